package net

import (
	"errors"
	"reflect"
	"testing"

	"github.com/troupe-go/troupe/actor"
)

type ping struct {
	N    int64
	Text string
	From actor.Ref
}

func TestCodecRoundTrip(t *testing.T) {
	c := NewCodec()
	MustRegister[ping](c, "test.Ping")
	cases := []struct {
		in   any
		name string
		out  any
	}{
		{ping{N: 3, Text: "x", From: actor.Ref{Node: "tcp://127.0.0.1:1", Name: "a", ID: 9}}, "test.Ping", nil},
		{"hello", TypeString, nil},
		{[]byte{1, 2}, TypeBytes, nil},
		{int32(-7), TypeInt, int64(-7)},
		{uint8(7), TypeUint, uint64(7)},
		{float32(1.5), TypeFloat, float64(1.5)},
		{true, TypeBool, nil},
		{nil, TypeNil, nil},
		{map[string]any{"k": "v"}, TypeAny, nil},
		{Lookup{Name: "echo"}, "troupe.Lookup", nil},
		{Found{Ref: actor.Ref{Name: "x", ID: 1}}, "troupe.Found", nil},
	}
	for _, tc := range cases {
		name, b, err := c.AppendBody(nil, tc.in)
		if err != nil || name != tc.name {
			t.Fatalf("%T: name %q err %v", tc.in, name, err)
		}
		got, err := c.DecodeBody(name, b)
		if err != nil {
			t.Fatalf("%T: decode: %v", tc.in, err)
		}
		want := tc.out
		if want == nil {
			want = tc.in
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%T: got %#v want %#v", tc.in, got, want)
		}
	}
}

func TestCodecUnknownAndUnregistered(t *testing.T) {
	sender, receiver := NewCodec(), NewCodec()
	MustRegister[ping](sender, "test.Ping")
	name, b, err := sender.AppendBody(nil, ping{N: 5, Text: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := receiver.DecodeBody(name, b)
	if err != nil {
		t.Fatal(err)
	}
	u, ok := got.(Unknown)
	if !ok || u.Type != "test.Ping" {
		t.Fatalf("got %#v", got)
	}
	m, ok := u.Value.(map[string]any)
	if !ok || m["Text"] != "hi" {
		t.Fatalf("value %#v", u.Value)
	}
	// Relaying the Unknown keeps its name and content.
	name2, b2, err := receiver.AppendBody(nil, u)
	if err != nil || name2 != "test.Ping" {
		t.Fatalf("relay: %q %v", name2, err)
	}
	back, err := sender.DecodeBody(name2, b2)
	if err != nil || back.(ping).N != 5 {
		t.Fatalf("relayed: %#v %v", back, err)
	}
	if _, _, err := receiver.AppendBody(nil, ping{}); !errors.Is(err, ErrUnregistered) {
		t.Fatalf("unregistered: %v", err)
	}
}

func TestCodecRegisterConflicts(t *testing.T) {
	c := NewCodec()
	if err := Register[ping](c, "a"); err != nil {
		t.Fatal(err)
	}
	if err := Register[ping](c, "a"); err != nil {
		t.Fatalf("same registration twice: %v", err)
	}
	if err := Register[ping](c, "b"); err == nil {
		t.Fatal("one type under two names accepted")
	}
	if err := Register[struct{ X int }](c, "a"); err == nil {
		t.Fatal("one name for two types accepted")
	}
	if err := Register[ping](c, TypeString); err == nil {
		t.Fatal("reserved name accepted")
	}
}

func TestCodecBadBody(t *testing.T) {
	c := NewCodec()
	MustRegister[ping](c, "test.Ping")
	if _, err := c.DecodeBody("test.Ping", []byte{0xa3, 'x'}); err == nil {
		t.Fatal("truncated body decoded")
	}
	if _, err := c.DecodeBody(TypeInt, []byte{0xa1, 'x'}); err == nil {
		t.Fatal("string decoded as int")
	}
}

type benchMsg struct{ V int64 }

func BenchmarkCodecSmall(b *testing.B) {
	c := NewCodec()
	MustRegister[benchMsg](c, "bench.Msg")
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		name, out, err := c.AppendBody(buf[:0], benchMsg{V: 42})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.DecodeBody(name, out); err != nil {
			b.Fatal(err)
		}
	}
}
