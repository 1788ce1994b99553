package net

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"testing"
	"unsafe"
)

type (
	boxStruct   struct{ A, B int64 }
	boxPointer  struct{ P *int64 } // pointer-shaped: held in the interface itself
	boxArray    [1]*int64          // pointer-shaped too
	boxString   string
	boxSlice    []string
	boxNested   struct{ In boxStruct }
	boxMapField struct{ M map[string]int64 }
)

// TestDecodeBoxesEveryShape decodes registered types of every shape an
// interface can hold (pointer-shaped or not) and checks the values after
// a garbage collection: the interfaces that decoding hands over must own
// their memory.
func TestDecodeBoxesEveryShape(t *testing.T) {
	c := NewCodec()
	seven := int64(7)
	MustRegister[boxStruct](c, "box.Struct")
	MustRegister[boxPointer](c, "box.Pointer")
	MustRegister[boxArray](c, "box.Array")
	MustRegister[boxString](c, "box.String")
	MustRegister[boxSlice](c, "box.Slice")
	MustRegister[boxNested](c, "box.Nested")
	MustRegister[boxMapField](c, "box.MapField")
	MustRegister[fastPoint](c, "box.FastPoint") // decoded through its UnmarshalMsgpack
	in := []any{
		boxStruct{A: 1, B: 2}, boxPointer{P: &seven}, boxArray{&seven}, boxString("s"),
		boxSlice{"a", "b"}, boxNested{In: boxStruct{A: 3}}, boxMapField{M: map[string]int64{"k": 4}},
		fastPoint{X: 1 << 40, Y: -1},
	}
	var got []any
	for _, v := range in {
		name, b, err := c.AppendBody(nil, v)
		if err != nil {
			t.Fatalf("encode %T: %v", v, err)
		}
		d, err := c.DecodeBody(name, b)
		if err != nil {
			t.Fatalf("decode %T: %v", v, err)
		}
		got = append(got, d)
	}
	runtime.GC()
	for i, v := range in {
		if !reflect.DeepEqual(got[i], v) {
			t.Errorf("%T: got %#v, want %#v", v, got[i], v)
		}
	}
}

// TestBoxedCopy checks the one-allocation copy of a []byte body: equal,
// independent of the input, alive after collections however it is held.
func TestBoxedCopy(t *testing.T) {
	var held []any
	var slices [][]byte
	for n := range 300 {
		in := make([]byte, n)
		for i := range in {
			in[i] = byte(n + i)
		}
		v := boxedCopy(in)
		b, ok := v.([]byte)
		if !ok || !bytes.Equal(b, in) || len(b) != cap(b) {
			t.Fatalf("size %d: got %T %v (cap %d)", n, v, v, cap(b))
		}
		if n > 0 {
			in[0]++ // the copy is independent
			if b[0] == in[0] {
				t.Fatalf("size %d: the copy aliases its input", n)
			}
		}
		if n%2 == 0 {
			held = append(held, v)
		} else {
			slices = append(slices, b[n/2:]) // an interior slice alone keeps it alive
		}
	}
	if got := testing.AllocsPerRun(100, func() { _ = boxedCopy([]byte("12345678")) }); got != 1 {
		t.Errorf("boxedCopy allocates %v times, want 1", got)
	}
	runtime.GC()
	runtime.GC()
	for i, v := range held {
		n := 2 * i
		b := v.([]byte)
		for j := range b {
			if j > 0 && b[j] != byte(n+j) || j == 0 && b[0] != byte(n) {
				t.Fatalf("held size %d: byte %d is %d after GC", n, j, b[j])
			}
		}
	}
	for i, s := range slices {
		n := 2*i + 1
		for j := range s {
			if s[j] != byte(n+n/2+j) {
				t.Fatalf("slice of size %d: byte %d is %d after GC", n, j, s[j])
			}
		}
	}
}

// TestBoxerKnowsPointerShapes checks, for types of every shape, that a
// boxer stores values the way the runtime does: in the data word itself
// for pointer-shaped types, through a pointer to a copy for the others.
func TestBoxerKnowsPointerShapes(t *testing.T) {
	x, y := int64(1), int64(2)
	type (
		one       struct{ P *int64 }
		two       struct{ P, Q *int64 }
		nested    struct{ In one }
		arr1      [1]*int64
		arr2      [2]*int64
		withBlank struct {
			_ struct{}
			P *int64
		}
		withInt struct {
			P *int64
			N int64
		}
	)
	check := func(name string, boxed bool, v any) {
		t.Helper()
		if direct := (*eface)(unsafe.Pointer(&v)).data == unsafe.Pointer(&x); boxed != direct {
			t.Errorf("%s: the boxer says pointer-shaped %v, the runtime %v", name, boxed, direct)
		}
	}
	check("one", newBoxer[one]().direct, one{&x})
	check("two", newBoxer[two]().direct, two{&x, &y})
	check("nested", newBoxer[nested]().direct, nested{one{&x}})
	check("arr1", newBoxer[arr1]().direct, arr1{&x})
	check("arr2", newBoxer[arr2]().direct, arr2{&x, &y})
	check("withBlank", newBoxer[withBlank]().direct, withBlank{P: &x})
	check("withInt", newBoxer[withInt]().direct, withInt{P: &x})
	check("*int64", newBoxer[*int64]().direct, &x)
	if !newBoxer[fmt.Stringer]().direct {
		t.Error("an interface type is boxed in place")
	}
	for _, b := range []bool{newBoxer[int64]().direct, newBoxer[string]().direct, newBoxer[struct{}]().direct, newBoxer[boxStruct]().direct} {
		if b {
			t.Error("a type without pointers is taken for pointer-shaped")
		}
	}
	// And a pointer-shaped type registered and decoded survives.
	c := NewCodec()
	MustRegister[withBlankMsg](c, "box.WithBlank")
	name, b, err := c.AppendBody(nil, withBlankMsg{M: map[string]int64{"k": 9}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.DecodeBody(name, b)
	runtime.GC()
	if got, ok := v.(withBlankMsg); err != nil || !ok || got.M["k"] != 9 {
		t.Fatalf("decoded %#v, %v", v, err)
	}
}

// withBlankMsg is pointer-shaped (one map and a zero-size field).
type withBlankMsg struct {
	_ struct{}
	M map[string]int64
}

// TestArenaFits checks which types a reader may decode into a valueArena:
// small ones without pointers, and no others.
func TestArenaFits(t *testing.T) {
	cases := []struct {
		t    reflect.Type
		want bool
	}{
		{reflect.TypeFor[boxStruct](), true},
		{reflect.TypeFor[boxNested](), true},
		{reflect.TypeFor[fastPoint](), true},
		{reflect.TypeFor[struct {
			A int32
			B [2]byte
			C bool
		}](), true},
		{reflect.TypeFor[[8]int64](), true},
		{reflect.TypeFor[[9]int64](), false}, // over arenaMaxSize
		{reflect.TypeFor[struct{}](), false}, // empty
		{reflect.TypeFor[boxPointer](), false},
		{reflect.TypeFor[boxArray](), false},
		{reflect.TypeFor[boxString](), false},
		{reflect.TypeFor[boxSlice](), false},
		{reflect.TypeFor[boxMapField](), false},
		{reflect.TypeFor[struct{ F func() }](), false},
		{reflect.TypeFor[struct{ A [2]any }](), false},
		{reflect.TypeFor[struct{ U uintptr }](), false},
	}
	for _, c := range cases {
		if got := arenaFits(c.t); got != c.want {
			t.Errorf("arenaFits(%v) = %v, want %v", c.t, got, c.want)
		}
	}
}

// TestValueArena decodes a stream of small values through a reader's
// memo, as the reader does: each value must keep its own bytes (none
// overwritten by a later one), survive collections, and the stream must
// cost a fraction of an allocation per value, the chunks'.
func TestValueArena(t *testing.T) {
	c := NewCodec()
	MustRegister[boxStruct](c, "arena.Struct") // through msgpack's reflection
	MustRegister[fastPoint](c, "arena.Point")  // through its UnmarshalMsgpack
	MustRegister[boxString](c, "arena.String") // has a pointer: never in the arena
	var memo typeMemo
	const n = 1000
	var got []any
	for i := range n {
		for _, v := range []any{boxStruct{A: int64(i), B: -int64(i)}, fastPoint{X: int64(i), Y: 1}, boxString(fmt.Sprint(i))} {
			name, b, err := c.AppendBody(nil, v)
			if err != nil {
				t.Fatal(err)
			}
			d, err := memo.decode(c, name, b)
			if err != nil {
				t.Fatalf("decode %T: %v", v, err)
			}
			got = append(got, d)
		}
	}
	runtime.GC()
	runtime.GC()
	for i := range n {
		want := []any{boxStruct{A: int64(i), B: -int64(i)}, fastPoint{X: int64(i), Y: 1}, boxString(fmt.Sprint(i))}
		for j, w := range want {
			if g := got[3*i+j]; !reflect.DeepEqual(g, w) {
				t.Fatalf("value %d: got %#v, want %#v", 3*i+j, g, w)
			}
		}
	}

	name, b, err := c.AppendBody(nil, boxStruct{A: 1, B: 2})
	if err != nil {
		t.Fatal(err)
	}
	var sink any
	allocs := testing.AllocsPerRun(arenaChunk, func() {
		sink, _ = memo.decode(c, name, b)
	})
	// One chunk per arenaChunk/16 values; the reflection path allocates
	// nothing else for this type.
	if allocs > 0.1 {
		t.Errorf("%.3f allocations per decoded value, want at most 0.1", allocs)
	}
	if sink != (boxStruct{A: 1, B: 2}) {
		t.Errorf("got %#v", sink)
	}
}
