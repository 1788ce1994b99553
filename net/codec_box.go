package net

import (
	"fmt"
	"unsafe"

	"github.com/vmihailenco/msgpack/v5"
)

// A bodyDecoder decodes the body of one registered type. dec reads raw.
type bodyDecoder func(raw []byte, dec *msgpack.Decoder) (any, error)

// decoderFor returns the decoder of T's bodies: through T's own
// UnmarshalMsgpack if *T has one, else through msgpack's reflection. Either
// way the value is decoded into one new allocation, which the returned
// interface then holds (see box): one allocation per message, not two.
func decoderFor[T any]() bodyDecoder {
	b := newBoxer[T]()
	if _, ok := any((*T)(nil)).(msgpack.Unmarshaler); ok {
		return func(raw []byte, _ *msgpack.Decoder) (any, error) {
			p := new(T)
			if err := any(p).(msgpack.Unmarshaler).UnmarshalMsgpack(raw); err != nil {
				return nil, err
			}
			return b.box(p), nil
		}
	}
	return func(_ []byte, dec *msgpack.Decoder) (any, error) {
		p := new(T)
		if err := dec.Decode(p); err != nil {
			return nil, err
		}
		return b.box(p), nil
	}
}

// A boxer turns a *T into an interface holding T.
type boxer[T any] struct {
	typ    unsafe.Pointer // T's type word in an interface
	direct bool           // T is pointer-shaped: an interface holds it, not a pointer to it
}

// eface is the layout of an empty interface: type word, data word.
type eface struct {
	typ, data unsafe.Pointer
}

func newBoxer[T any]() boxer[T] {
	var v any = *new(T) // once per registration
	w := (*eface)(unsafe.Pointer(&v))
	// A pointer-shaped zero value is a nil data word; any other value,
	// even a zero one, is held through a non-nil pointer to a copy (or to
	// the runtime's zero area). Asking the runtime beats restating the
	// compiler's rule for which types are pointer-shaped. An interface
	// type T has no type word of its own (the zero value is a nil
	// interface): its values are boxed the usual way too.
	return boxer[T]{typ: w.typ, direct: w.data == nil || w.typ == nil}
}

// box returns the interface holding *p. Converting *p to any the usual way
// copies it into a new allocation; box hands over p's own instead, which
// is sound because p is new, and dropped by the caller: nothing else can
// see or change the value the interface holds.
func (b boxer[T]) box(p *T) any {
	if b.direct {
		return *p
	}
	var v any
	*(*eface)(unsafe.Pointer(&v)) = eface{typ: b.typ, data: unsafe.Pointer(p)}
	return v
}

// decodeRegistered decodes a body of the registered type rt.
func decodeRegistered(rt regType, name string, raw []byte, dec *msgpack.Decoder) (any, error) {
	v, err := rt.decode(raw, dec)
	if err != nil {
		return nil, fmt.Errorf("net: decode %s: %w", name, err)
	}
	return v, nil
}

// sliceHeader is the size of a slice header.
const sliceHeader = int(unsafe.Sizeof([]byte(nil)))

// boxedCopy returns a copy of p in an interface, with one allocation
// instead of two (the bytes, then the slice header the interface points
// to): the header sits at the start of the allocation, the bytes after
// it. The allocation holds no pointers as far as the collector knows; the
// one in the header points into the allocation itself, which the
// interface (or any slice taken from it) keeps alive.
func boxedCopy(p []byte) any {
	if len(p) == 0 {
		return []byte(nil)
	}
	mem := make([]byte, sliceHeader+len(p))
	b := mem[sliceHeader : sliceHeader+len(p) : sliceHeader+len(p)]
	copy(b, p)
	hdr := (*[]byte)(unsafe.Pointer(&mem[0]))
	*hdr = b
	var v any
	*(*eface)(unsafe.Pointer(&v)) = eface{typ: bytesType, data: unsafe.Pointer(hdr)}
	return v
}

// bytesType is []byte's type word in an interface.
var bytesType = func() unsafe.Pointer {
	var v any = []byte(nil)
	return (*eface)(unsafe.Pointer(&v)).typ
}()
