package net

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/vmihailenco/msgpack/v5"
)

// A bodyDecoder decodes the body of one registered type. dec reads raw.
// mem, if not nil, is where a small value without pointers may be put.
type bodyDecoder func(raw []byte, dec *msgpack.Decoder, mem *valueArena) (any, error)

// decoderFor returns the decoder of T's bodies: through T's own
// UnmarshalMsgpack if *T has one, else through msgpack's reflection. Either
// way the value is decoded into memory of its own, which the returned
// interface then holds (see box): one allocation per message, not two, or
// a share of one if T fits an arena (see valueArena).
func decoderFor[T any]() bodyDecoder {
	b := newBoxer[T]()
	_, unmarshaler := any((*T)(nil)).(msgpack.Unmarshaler)
	t := reflect.TypeFor[T]()
	inArena, size, align := arenaFits(t), t.Size(), uintptr(t.Align())
	return func(raw []byte, dec *msgpack.Decoder, mem *valueArena) (any, error) {
		var p *T
		if inArena && mem != nil {
			p = (*T)(mem.alloc(size, align))
		} else {
			p = new(T)
		}
		var err error
		if unmarshaler {
			err = any(p).(msgpack.Unmarshaler).UnmarshalMsgpack(raw)
		} else {
			err = dec.Decode(p)
		}
		if err != nil {
			return nil, err
		}
		return b.box(p), nil
	}
}

// Arena sizes: a chunk, and the largest value taken from one.
const (
	arenaChunk   = 1024
	arenaMaxSize = 64
)

// A valueArena hands out memory for small decoded values that hold no
// pointers (a stream of counters, ticks, prices), many to a chunk: a
// reader goroutine then allocates once per chunk instead of once per
// message. It is what the runtime's tiny allocator does for 16 bytes, for
// values of up to arenaMaxSize. The collector keeps a chunk as long as
// any value in it is reachable, so a value kept for long keeps up to
// arenaChunk bytes; it never needs to scan one, as nothing in it is a
// pointer. Owned by one goroutine.
type valueArena struct {
	chunk []byte // the current chunk; free from pos on
	pos   uintptr
}

// alloc returns size zeroed bytes aligned to align (at most 8), used by
// nothing else.
func (a *valueArena) alloc(size, align uintptr) unsafe.Pointer {
	at := (a.pos + align - 1) &^ (align - 1)
	if at+size > uintptr(len(a.chunk)) {
		a.chunk, at = make([]byte, arenaChunk), 0
	}
	a.pos = at + size
	return unsafe.Pointer(&a.chunk[at])
}

// arenaFits reports whether a value of type t may live in a valueArena:
// small, aligned to at most 8, not empty, and free of pointers, which
// the collector would not see there.
func arenaFits(t reflect.Type) bool {
	return t.Size() > 0 && t.Size() <= arenaMaxSize && t.Align() <= 8 && !hasPointers(t)
}

// hasPointers reports whether a value of type t holds a pointer of any
// kind (strings, slices, maps, interfaces, channels and funcs do).
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	default: // pointers, uintptr (to be safe), strings, slices, maps, interfaces, channels, funcs
		return true
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
func decodeRegistered(rt regType, name string, raw []byte, dec *msgpack.Decoder, mem *valueArena) (any, error) {
	v, err := rt.decode(raw, dec, mem)
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
