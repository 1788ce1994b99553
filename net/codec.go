package net

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/vmihailenco/msgpack/v5"
)

// ErrUnregistered is returned when a message's Go type has no registered
// name, so it cannot be sent to another node.
var ErrUnregistered = errors.New("net: message type not registered")

// A Codec is a registry of message types by name. A message crosses the
// wire as its registered name and its msgpack encoding; the receiving node
// decodes it into a value of the type registered under that name there,
// or into an Unknown if there is none. Registration is safe at any time
// and from any goroutine; lookups never lock (the tables are replaced
// whole on each registration, which is rare).
type Codec struct {
	tables atomic.Pointer[codecTables]
}

type codecTables struct {
	byName map[string]regType
	byType map[reflect.Type]string
}

// regType is a registered type, with what DecodeBody needs to know about
// it worked out once, at registration.
type regType struct {
	t           reflect.Type
	unmarshaler bool // *T implements msgpack.Unmarshaler: decode needs no msgpack.Decoder
	decode      bodyDecoder
}

// Built-in type names, registered in every Codec. Go's integer types all
// travel as "int" or "uint" and arrive as int64 or uint64; float32 and
// float64 arrive as float64; map[string]any and []any travel as "any" and
// arrive as generic msgpack values.
const (
	TypeString = "str"
	TypeBytes  = "bytes"
	TypeInt    = "int"
	TypeUint   = "uint"
	TypeFloat  = "float"
	TypeBool   = "bool"
	TypeNil    = "nil"
	TypeAny    = "any"
)

// An Unknown is a message whose type name the receiving node has not
// registered: Value is its body decoded as a generic msgpack value
// (map[string]any, []any, string, []byte, int64, uint64, float64, bool or
// nil). Sending an Unknown sends Value under the name Type, so messages
// can be relayed without their Go types.
type Unknown struct {
	Type  string
	Value any
}

// DefaultCodec is the Codec nodes use unless configured otherwise.
var DefaultCodec = NewCodec()

// NewCodec returns a Codec with the built-in and control types registered.
func NewCodec() *Codec {
	c := &Codec{}
	c.tables.Store(&codecTables{byName: map[string]regType{}, byType: map[reflect.Type]string{}})
	registerControl(c)
	return c
}

// Register registers T under name in c. Registering the same type under
// the same name again is a no-op; reusing a name or a type for something
// else is an error.
func Register[T any](c *Codec, name string) error {
	t := reflect.TypeFor[T]()
	return c.register(name, regType{t: t, unmarshaler: reflect.PointerTo(t).Implements(unmarshalerType), decode: decoderFor[T]()})
}

// MustRegister is Register that panics on error, for package init.
func MustRegister[T any](c *Codec, name string) {
	if err := Register[T](c, name); err != nil {
		panic(err)
	}
}

// RegisterType registers T under name in DefaultCodec.
func RegisterType[T any](name string) error { return Register[T](DefaultCodec, name) }

func (c *Codec) register(name string, rt regType) error {
	t := rt.t
	if name == "" || isBuiltinName(name) {
		return fmt.Errorf("net: register %v: name %q is empty or reserved", t, name)
	}
	for {
		old := c.tables.Load()
		if cur, ok := old.byName[name]; ok {
			if cur.t == t {
				return nil
			}
			return fmt.Errorf("net: register %v: name %q is taken by %v", t, name, cur.t)
		}
		if cur, ok := old.byType[t]; ok {
			return fmt.Errorf("net: register %v as %q: already registered as %q", t, name, cur)
		}
		next := &codecTables{byName: make(map[string]regType, len(old.byName)+1), byType: make(map[reflect.Type]string, len(old.byType)+1)}
		for k, v := range old.byName {
			next.byName[k] = v
		}
		for k, v := range old.byType {
			next.byType[k] = v
		}
		next.byName[name] = rt
		next.byType[t] = name
		if c.tables.CompareAndSwap(old, next) {
			return nil
		}
	}
}

// Name returns the name msg travels under, or ErrUnregistered.
func (c *Codec) Name(msg any) (string, error) {
	if name := builtinName(msg); name != "" {
		return name, nil
	}
	if u, ok := msg.(Unknown); ok {
		return u.Type, nil
	}
	t := reflect.TypeOf(msg)
	if name, ok := c.tables.Load().byType[t]; ok {
		return name, nil
	}
	return "", fmt.Errorf("%w: %v (register it with net.Register)", ErrUnregistered, t)
}

// AppendBody appends msg's msgpack encoding to b and returns its type name.
// Built-in types and types that implement Marshaler are encoded without
// reflection or allocation; others go through msgpack's encoder.
func (c *Codec) AppendBody(b []byte, msg any) (typeName string, out []byte, err error) {
	name, err := c.Name(msg)
	if err != nil {
		return "", b, err
	}
	if out, err = appendValue(b, name, msg); err != nil {
		return "", b, err
	}
	return name, out, nil
}

// appendValue appends the body of msg, whose type name is name.
func appendValue(b []byte, name string, msg any) ([]byte, error) {
	if u, ok := msg.(Unknown); ok {
		msg = u.Value
	}
	if out, ok := appendBuiltin(b, msg); ok {
		return out, nil
	}
	if m, ok := msg.(Marshaler); ok {
		out, err := m.AppendMsgpack(b)
		if err != nil {
			return b, fmt.Errorf("net: encode %s: %w", name, err)
		}
		return out, nil
	}
	enc := encoders.Get().(*encoder)
	enc.w.b = b
	enc.e.Reset(&enc.w)
	err := enc.e.Encode(msg)
	out := enc.w.b
	enc.w.b = nil
	encoders.Put(enc)
	if err != nil {
		return b, fmt.Errorf("net: encode %s: %w", name, err)
	}
	return out, nil
}

// A Marshaler encodes itself as one msgpack value appended to b. Message
// types on a hot path implement it (with UnmarshalMsgpack from
// msgpack.Unmarshaler on the pointer type for decoding) to skip
// reflection; the encoding must be what msgpack would produce for a
// reader in another language to understand it.
type Marshaler interface {
	AppendMsgpack(b []byte) ([]byte, error)
}

type encoder struct {
	w appendWriter
	e *msgpack.Encoder
}

var encoders = sync.Pool{New: func() any {
	enc := &encoder{}
	enc.e = msgpack.NewEncoder(&enc.w)
	return enc
}}

// DecodeBody decodes a body of the named type. An unregistered name gives
// an Unknown holding the generic value. raw is not retained.
func (c *Codec) DecodeBody(typeName string, raw []byte) (any, error) {
	if v, ok, err := decodeBuiltinFast(typeName, raw); ok {
		return v, err
	}
	rt, registered := c.tables.Load().byName[typeName]
	return c.decodeAs(rt, registered, typeName, raw, nil)
}

// decodeAs is DecodeBody for a name that is not one of the fast builtin
// cases, once looked up: rt, registered. A small value may go into mem
// (see valueArena) if it is not nil.
func (c *Codec) decodeAs(rt regType, registered bool, typeName string, raw []byte, mem *valueArena) (any, error) {
	if rt.unmarshaler {
		return decodeRegistered(rt, typeName, raw, nil, mem)
	}
	dec := decoders.Get().(*decoder)
	defer decoders.Put(dec)
	dec.r.Reset(raw)
	dec.d.Reset(&dec.r) // also clears the options: set it again
	dec.d.SetMapDecoder(untypedMap)
	if isBuiltinName(typeName) {
		return decodeBuiltin(dec.d, typeName)
	}
	if !registered {
		v, err := dec.d.DecodeInterface()
		if err != nil {
			return nil, fmt.Errorf("net: decode unknown type %q: %w", typeName, err)
		}
		return Unknown{Type: typeName, Value: normalize(v)}, nil
	}
	return decodeRegistered(rt, typeName, raw, dec.d, mem)
}

var unmarshalerType = reflect.TypeFor[msgpack.Unmarshaler]()

type decoder struct {
	r bytes.Reader
	d *msgpack.Decoder
}

var decoders = sync.Pool{New: func() any {
	d := &decoder{}
	d.d = msgpack.NewDecoder(&d.r)
	return d
}}

// untypedMap decodes a map whose type is not known as map[string]any when
// its keys are strings (as msgpack maps from other languages usually are).
func untypedMap(dec *msgpack.Decoder) (any, error) {
	n, err := dec.DecodeMapLen()
	if err != nil || n < 0 {
		return nil, err
	}
	m := make(map[string]any, n)
	for range n {
		k, err := dec.DecodeInterface()
		if err != nil {
			return nil, err
		}
		v, err := dec.DecodeInterface()
		if err != nil {
			return nil, err
		}
		ks, ok := k.(string)
		if !ok {
			ks = fmt.Sprint(k)
		}
		m[ks] = v
	}
	return m, nil
}

// appendWriter is an io.Writer that appends to a slice.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// WriteByte appends c. With it, msgpack's Encoder writes to the
// appendWriter directly instead of wrapping it in a writer of its own
// (an allocation per Reset, and one per byte written through it).
func (w *appendWriter) WriteByte(c byte) error {
	w.b = append(w.b, c)
	return nil
}

// normalize widens the integers and floats of a generic value, however
// deeply nested, to int64, uint64 and float64, so that receivers need not
// care how compactly the sender encoded them.
func normalize(v any) any {
	switch x := v.(type) {
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return uint64(x)
	case uint16:
		return uint64(x)
	case uint32:
		return uint64(x)
	case float32:
		return float64(x)
	case []any:
		for i := range x {
			x[i] = normalize(x[i])
		}
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
	}
	return v
}
