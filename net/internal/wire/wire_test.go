package wire

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/vmihailenco/msgpack/v5"
)

func body(t testing.TB, v any) []byte {
	b, err := msgpack.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	long := string(make([]byte, 300))
	cases := []Envelope{
		{Kind: Hello, Node: "tcp://127.0.0.1:5555", Epoch: 1 << 50, Version: Version},
		{Kind: Hello, Node: "tcp://127.0.0.1:5555", Epoch: 3, Version: Version, Beat: 1000},
		{Kind: Send, To: actor.Ref{Name: "echo"}, Type: "str", Body: body(t, "hi")},
		{Kind: Send, To: actor.Ref{ID: 77}, From: actor.Ref{Node: "ipc:///tmp/a.sock", Name: "x", ID: 1<<63 | 5},
			Type: "example.Ping", Body: body(t, map[string]any{"n": 1, "l": []int{1, 2}}), Corr: 99},
		{Kind: Send, To: actor.Ref{Name: long}, Type: long, Body: body(t, make([]byte, 70000))},
		{Kind: Reply, Corr: 1 << 40, Type: "int", Body: body(t, -5)},
		{Kind: Error, Corr: 3, Code: CodeNotFound, Text: "no such actor"},
		{Kind: Heartbeat},
		{Kind: Ack, Count: 123456789},
		{Kind: Next, Body: body(t, "again")},
	}
	var d Decoder
	for i, want := range cases {
		b := Append(nil, &want)
		var got Envelope
		if err := d.Decode(b, &got); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("case %d:\n got %+v\nwant %+v", i, got, want)
		}
		if want.Kind == Send || want.Kind == Reply {
			split := AppendTail(append(AppendHead(nil, &want), want.Body...), &want)
			if string(split) != string(b) {
				t.Fatalf("case %d: AppendHead+body+AppendTail\n got %x\nwant %x", i, split, b)
			}
		}
	}
}

// TestNextKeepsTheSend decodes a NEXT into the envelope of the SEND
// before it: the body changes, the rest stays; any other kind clears it.
func TestNextKeepsTheSend(t *testing.T) {
	send := Envelope{Kind: Send, To: actor.Ref{Name: "sink", ID: 4}, From: actor.Ref{ID: 9}, Type: "int", Body: []byte{0x01}}
	var d Decoder
	var e Envelope
	if err := d.Decode(Append(nil, &send), &e); err != nil {
		t.Fatal(err)
	}
	if err := d.Decode(Append(nil, &Envelope{Kind: Next, Body: []byte{0x02}}), &e); err != nil {
		t.Fatal(err)
	}
	want := send
	want.Kind, want.Body = Next, []byte{0x02}
	if fmt.Sprint(e) != fmt.Sprint(want) {
		t.Fatalf("after NEXT:\n got %+v\nwant %+v", e, want)
	}
	if err := d.Decode(Append(nil, &Envelope{Kind: Heartbeat}), &e); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(e) != fmt.Sprint(Envelope{Kind: Heartbeat}) {
		t.Fatalf("after HEARTBEAT: %+v", e)
	}
}

// TestForeignEncoding decodes an envelope as msgpack-python (or any
// generic encoder) writes it, not as Append does.
func TestForeignEncoding(t *testing.T) {
	b := body(t, []any{int8(1), []any{nil, "echo", uint16(0)}, nil, "str", "hello", int32(7)})
	var e Envelope
	var d Decoder
	if err := d.Decode(b, &e); err != nil {
		t.Fatal(err)
	}
	if e.Kind != Send || e.To.Name != "echo" || e.Corr != 7 || e.Type != "str" {
		t.Fatalf("got %+v", e)
	}
	var s string
	if err := msgpack.Unmarshal(e.Body, &s); err != nil || s != "hello" {
		t.Fatalf("body %q %v", s, err)
	}
}

func TestMalformed(t *testing.T) {
	cases := map[string][]byte{
		"empty":          {},
		"not array":      {0xa1, 'x'},
		"empty array":    {0x90},
		"unknown kind":   {0x91, 9},
		"wrong arity":    {0x92, 4, 1},
		"truncated str":  {0x94, 0, 0xa5, 'a'},
		"negative int":   {0x92, 5, 0xd0, 0xff},
		"trailing":       {0x91, 4, 0},
		"bad ref":        Append(nil, &Envelope{Kind: Send, To: actor.Ref{Name: "a"}})[:3],
		"ref no name id": {0x96, 1, 0x93, 0xc0, 0xc0, 0, 0xc0, 0xa0, 0xc0, 0},
		"huge array":     {0x96, 1, 0xc0, 0xc0, 0xa0, 0xdd, 0xff, 0xff, 0xff, 0xff, 0},
		"deep body":      append([]byte{0x96, 1, 0xc0, 0xc0, 0xa0}, deep(200)...),
		"invalid byte":   {0x96, 1, 0xc0, 0xc0, 0xa0, 0xc1, 0},
		// NEXTs, which a stream's fast path decodes (see nextBody)
		"next no body":      {0x92, 6},
		"next trailing":     {0x92, 6, 0x01, 0x02},
		"next truncated":    {0x92, 6, 0x82, 0xa1, 'a', 0x01, 0xa1},
		"next str too long": {0x92, 6, 0xd9, 9, 'a'},
		"next invalid byte": {0x92, 6, 0xc1},
		"next extra field":  {0x93, 6, 0x01, 0x02},
	}
	var d Decoder
	for name, b := range cases {
		var e Envelope
		if err := d.Decode(b, &e); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}

func deep(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 0x91
	}
	return append(b, 0xc0)
}

func TestRemoteError(t *testing.T) {
	for _, sentinel := range []error{actor.ErrNotFound, actor.ErrNormal, ErrNodeDown, actor.ErrSlowConsumer} {
		wrapped := fmt.Errorf("ctx: %w", sentinel)
		got := ErrorFromCode(ErrorCode(wrapped), wrapped.Error())
		if !errors.Is(got, sentinel) || got.Error() != wrapped.Error() {
			t.Errorf("%v: round trip gave %v", sentinel, got)
		}
	}
	fail := ErrorFromCode(ErrorCode(errors.New("boom")), "boom")
	if errors.Is(fail, actor.ErrNormal) || ErrorCode(fail) != CodeFailure {
		t.Errorf("failure round trip gave %v", fail)
	}
}

func FuzzDecode(f *testing.F) {
	for _, e := range []Envelope{
		{Kind: Hello, Node: "tcp://127.0.0.1:1", Epoch: 9, Version: 1},
		{Kind: Send, To: actor.Ref{Name: "echo"}, From: actor.Ref{ID: 3}, Type: "str", Body: []byte{0xa2, 'h', 'i'}, Corr: 1},
		{Kind: Reply, Corr: 2, Type: "any", Body: []byte{0x81, 0xa1, 'k', 0x90}},
		{Kind: Error, Corr: 2, Code: 1, Text: "x"},
		{Kind: Heartbeat}, {Kind: Ack, Count: 1 << 33}, {Kind: Next, Body: []byte{0x07}},
	} {
		f.Add(Append(nil, &e))
	}
	f.Add([]byte{0x96, 1, 0xc0, 0xc0, 0xa0, 0xdf, 0xff, 0xff, 0xff, 0xff, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Decoder
		var e Envelope
		if err := d.Decode(b, &e); err != nil {
			return
		}
		again := Append(nil, &e)
		var e2 Envelope
		if err := d.Decode(again, &e2); err != nil {
			t.Fatalf("re-encoded envelope does not decode: %v", err)
		}
		if fmt.Sprint(e) != fmt.Sprint(e2) {
			t.Fatalf("round trip changed the envelope:\n%+v\n%+v", e, e2)
		}
	})
}

func BenchmarkDecodeSend(b *testing.B) {
	e := Envelope{Kind: Send, To: actor.Ref{ID: 12345}, From: actor.Ref{Node: "tcp://127.0.0.1:5555", ID: 99}, Type: "bench.Msg", Body: []byte{0x81, 0xa1, 'V', 7}}
	buf := Append(nil, &e)
	var d Decoder
	var out Envelope
	b.ReportAllocs()
	for b.Loop() {
		if err := d.Decode(buf, &out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendSend(b *testing.B) {
	e := Envelope{Kind: Send, To: actor.Ref{ID: 12345}, From: actor.Ref{Node: "tcp://127.0.0.1:5555", ID: 99}, Type: "bench.Msg", Body: []byte{0x81, 0xa1, 'V', 7}}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf = Append(buf[:0], &e)
	}
}

// TestSendHeadLen checks SendHeadLen against what AppendHead writes for a
// Send, across the size boundaries of every field.
func TestSendHeadLen(t *testing.T) {
	strs := []string{"", "a", strings.Repeat("s", 31), strings.Repeat("s", 32), strings.Repeat("s", 255),
		strings.Repeat("s", 256), strings.Repeat("s", 65535), strings.Repeat("s", 65536)}
	ids := []uint64{0, 1, 127, 128, 255, 256, 65535, 65536, 1<<32 - 1, 1 << 32, 1<<63 | 5}
	for _, s := range strs {
		for _, id := range ids {
			for _, e := range []Envelope{
				{Kind: Send, To: actor.Ref{Name: "x", ID: id}, From: actor.Ref{Node: s, Name: s, ID: id}, Type: s, Corr: id},
				{Kind: Send, To: actor.Ref{Node: s, ID: id + 1}, Type: "t"},
			} {
				if got, want := SendHeadLen(&e.To, &e.From, e.Type), len(AppendHead(nil, &e)); got != want {
					t.Fatalf("SendHeadLen(%d-byte strings, id %d) = %d, want %d", len(s), id, got, want)
				}
			}
		}
	}
}
