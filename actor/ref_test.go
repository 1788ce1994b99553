package actor_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/troupe-go/troupe/actor"
)

func TestRefStringRoundTrip(t *testing.T) {
	cases := []struct {
		ref actor.Ref
		s   string
	}{
		{actor.Ref{}, "nobody"},
		{actor.Ref{Name: "sink"}, "sink"},
		{actor.Ref{ID: 0x1f}, "#1f"},
		{actor.Ref{Name: "sink", ID: 0x1a2b}, "sink#1a2b"},
		{actor.Ref{Name: "pipeline/sink", ID: 1}, "pipeline/sink#1"},
		{actor.Ref{Node: "tcp://127.0.0.1:5555", Name: "sink", ID: 0x1a2b}, "sink#1a2b@tcp://127.0.0.1:5555"},
		{actor.Ref{Node: "tcp://127.0.0.1:5555", ID: math.MaxUint64}, "#ffffffffffffffff@tcp://127.0.0.1:5555"},
		{actor.Ref{Node: "tcp://127.0.0.1:5555", Name: "sink"}, "sink@tcp://127.0.0.1:5555"},
		{actor.Ref{Node: "ipc:///tmp/x.sock", Name: "sink"}, "sink@ipc:///tmp/x.sock"},
		{actor.Ref{Node: "ipc:///tmp/x.sock", ID: 7}, "#7@ipc:///tmp/x.sock"},
		{actor.Ref{Node: "ipc:///tmp/x.sock", Name: "a", ID: 0xabc}, "a#abc@ipc:///tmp/x.sock"},
	}
	for _, c := range cases {
		if got := c.ref.String(); got != c.s {
			t.Errorf("%#v.String() = %q, want %q", c.ref, got, c.s)
		}
		got, err := actor.ParseRef(c.s)
		if err != nil {
			t.Errorf("ParseRef(%q): %v", c.s, err)
			continue
		}
		if got != c.ref {
			t.Errorf("ParseRef(%q) = %#v, want %#v", c.s, got, c.ref)
		}
	}
}

// The refs a running system hands out survive the trip through their
// string form, with and without a node address.
func TestRefOfSpawnedActorRoundTrip(t *testing.T) {
	for _, node := range []string{"", "tcp://127.0.0.1:5555", "ipc:///tmp/x.sock"} {
		sys := newSystem(t, actor.WithNode(node))
		for _, opts := range [][]actor.SpawnOption{nil, {actor.WithName("worker-1")}} {
			ref := spawn(t, sys, actor.Func(func(*actor.Process) error { return nil }), opts...)
			if ref.Node != node || ref.ID == 0 {
				t.Errorf("spawned ref %#v: want node %q and an id", ref, node)
			}
			back, err := actor.ParseRef(ref.String())
			if err != nil || back != ref {
				t.Errorf("ParseRef(%q) = %#v, %v; want %#v", ref.String(), back, err, ref)
			}
		}
	}
}

func TestParseRefBadInput(t *testing.T) {
	bad := []string{
		"",                      // neither name nor id
		"@tcp://127.0.0.1:5555", // neither name nor id
		"sink@",                 // empty node
		"#",                     // empty id
		"#0",                    // id 0 is no incarnation
		"#xyz",                  // not hexadecimal
		"#-1",                   // signed
		"#10000000000000000",    // 65 bits
		"a#1#2",                 // two ids
		"a b",                   // white space in the name
		"a\tb#1",                // white space in the name
		"line\nbreak@ipc:///tmp/x.sock",
	}
	for _, s := range bad {
		r, err := actor.ParseRef(s)
		if err == nil {
			t.Errorf("ParseRef(%q) = %#v, want an error", s, r)
			continue
		}
		if !errors.Is(err, actor.ErrBadRef) {
			t.Errorf("ParseRef(%q): %v does not wrap ErrBadRef", s, err)
		}
		if !strings.HasPrefix(err.Error(), "actor: malformed ref") {
			t.Errorf("ParseRef(%q): error %q lacks the package prefix", s, err)
		}
		if r != (actor.Ref{}) {
			t.Errorf("ParseRef(%q) returned %#v with its error", s, r)
		}
	}
}

func TestRefComparable(t *testing.T) {
	sys := newSystem(t)
	noop := actor.Func(func(*actor.Process) error { return nil })
	a := spawn(t, sys, noop, actor.WithName("a"))
	b := spawn(t, sys, noop)
	seen := map[actor.Ref]string{a: "a", b: "b"}
	if len(seen) != 2 || a == b {
		t.Fatalf("distinct actors share a ref: %v %v", a, b)
	}
	parsed, err := actor.ParseRef(a.String())
	if err != nil {
		t.Fatal(err)
	}
	if seen[parsed] != "a" {
		t.Errorf("parsed ref %v does not find its map entry", parsed)
	}
	if (actor.Ref{Name: "a"}) == a {
		t.Error("a name-only ref equals an incarnation's ref")
	}
	if !(actor.Ref{}).IsZero() || a.IsZero() {
		t.Error("IsZero is wrong")
	}
}
