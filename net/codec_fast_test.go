package net

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/vmihailenco/msgpack/v5"
)

// The hand-written encodings must decode, in any msgpack reader, to the
// same values as msgpack's own encoder produces.
func TestAppendBuiltinMatchesMsgpack(t *testing.T) {
	values := []any{
		nil, true, false, "", "short", strings.Repeat("x", 40), strings.Repeat("y", 300), strings.Repeat("z", 70000),
		[]byte{}, []byte{1, 2, 3}, bytes.Repeat([]byte{7}, 300), bytes.Repeat([]byte{8}, 70000),
		0, 1, 127, 128, 255, 256, 65535, 65536, math.MaxInt64, -1, -32, -33, -128, -129, -32768, -32769, math.MinInt64,
		int8(-5), int16(300), int32(-70000), uint(5), uint8(200), uint16(60000), uint32(1 << 31), uint64(math.MaxUint64),
		float32(1.5), 2.25,
	}
	for _, v := range values {
		got, ok := appendBuiltin(nil, v)
		if !ok {
			t.Fatalf("%T not handled", v)
		}
		var fromFast, fromLib any
		if err := msgpack.Unmarshal(got, &fromFast); err != nil {
			t.Fatalf("%T %v: fast encoding does not decode: %v", v, v, err)
		}
		lib, err := msgpack.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := msgpack.Unmarshal(lib, &fromLib); err != nil {
			t.Fatal(err)
		}
		// Same value; the integer's signedness may differ (msgpack keeps a
		// Go int16's signed form, the fast path writes the shortest one).
		if fmt.Sprint(normalize(fromFast)) != fmt.Sprint(normalize(fromLib)) {
			t.Errorf("%T %v: fast gives %#v, msgpack %#v", v, v, fromFast, fromLib)
		}
	}
}

func TestDecodeBuiltinFast(t *testing.T) {
	c := NewCodec()
	for _, v := range []any{"hello", strings.Repeat("s", 1000), []byte("bytes"), bytes.Repeat([]byte{1}, 100000)} {
		name, b, err := c.AppendBody(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.DecodeBody(name, b)
		if err != nil || !reflect.DeepEqual(got, v) {
			t.Fatalf("%T: got %v, %v", v, len(b), err)
		}
		if bs, ok := got.([]byte); ok && len(bs) > 0 && &bs[0] == &b[len(b)-len(bs)] {
			t.Fatal("decoded bytes alias the input buffer")
		}
	}
	// A truncated body falls through to the full decoder, which reports it.
	if _, err := c.DecodeBody(TypeBytes, []byte{0xc4, 5, 1}); err == nil {
		t.Fatal("truncated bin decoded")
	}
}

// fastPoint implements Marshaler and msgpack.Unmarshaler.
type fastPoint struct{ X, Y int64 }

func (p fastPoint) AppendMsgpack(b []byte) ([]byte, error) {
	b = append(b, 0x82, 0xa1, 'X')
	b = wire.AppendInt(b, p.X)
	b = append(b, 0xa1, 'Y')
	return wire.AppendInt(b, p.Y), nil
}

func (p *fastPoint) UnmarshalMsgpack(b []byte) error {
	type plain fastPoint
	return msgpack.Unmarshal(b, (*plain)(p))
}

func TestMarshalerPath(t *testing.T) {
	c := NewCodec()
	MustRegister[fastPoint](c, "test.FastPoint")
	name, b, err := c.AppendBody(nil, fastPoint{X: 3, Y: -400})
	if err != nil || name != "test.FastPoint" {
		t.Fatal(name, err)
	}
	got, err := c.DecodeBody(name, b)
	if err != nil || got != (fastPoint{X: 3, Y: -400}) {
		t.Fatalf("got %#v, %v", got, err)
	}
	// Another node without the type sees the same fields.
	u, err := NewCodec().DecodeBody(name, b)
	if err != nil || u.(Unknown).Value.(map[string]any)["Y"] != int64(-400) {
		t.Fatalf("as unknown: %#v, %v", u, err)
	}
}

func BenchmarkCodecBytes4k(b *testing.B) {
	c := NewCodec()
	payload := bytes.Repeat([]byte{1}, 4096)
	buf := make([]byte, 0, 8192)
	b.ReportAllocs()
	b.SetBytes(4096)
	for b.Loop() {
		name, out, err := c.AppendBody(buf[:0], payload)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.DecodeBody(name, out); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDecodeBodyOwned checks that a []byte body given away is returned in
// place (capped so that appends cannot reach past it), and that every
// other body is decoded as DecodeBody does, without keeping raw.
func TestDecodeBodyOwned(t *testing.T) {
	payload := bytes.Repeat([]byte{9}, 70000)
	raw := append(wire.AppendBinHeader(nil, len(payload)), payload...)
	raw = append(raw, 0xff)[:len(raw)] // a neighbour byte after the body
	v, p, err := testCodec.decodeBodyOwned(TypeBytes, raw)
	if err != nil || v != nil || !bytes.Equal(p, payload) {
		t.Fatalf("decodeBodyOwned(bytes) = %T, %d bytes kept, %v; want the payload, kept", v, len(p), err)
	}
	if &p[0] != &raw[len(raw)-len(payload)] || cap(p) != len(p) {
		t.Fatalf("the payload is not raw's own bytes, capped (cap %d, len %d)", cap(p), len(p))
	}
	raw = append(wire.AppendStrHeader(nil, 5), "hello"...)
	if v, kept, err := testCodec.decodeBodyOwned(TypeString, raw); err != nil || kept != nil || v != "hello" {
		t.Fatalf("decodeBodyOwned(string) = %v, %v, %v; want hello, not kept", v, kept, err)
	}
	raw = wire.AppendBinHeader(nil, 0)
	if v, kept, err := testCodec.decodeBodyOwned(TypeBytes, raw); err != nil || kept != nil || len(v.([]byte)) != 0 {
		t.Fatalf("decodeBodyOwned(empty bytes) = %v, %v, %v; want empty, not kept", v, kept, err)
	}
}
