package net

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/troupe-go/troupe/actor"
)

// TestBigBodiesOwned checks that big []byte bodies, which the receiving
// reader hands over inside its read buffer instead of copying them, stay
// intact while later messages, big and small, arrive on the same
// connection (run with -race: a reused buffer is also a data race).
func TestBigBodiesOwned(t *testing.T) {
	ctx := testContext(t)
	sysA, _ := startNode(t, endpoint(t, "tcp"))
	sysB, b := startNode(t, endpoint(t, "tcp"))
	got := make(chan any, 16)
	spawn(t, sysB, echo(got), actor.WithName("echo"))
	to := actor.Ref{Node: b.Address(), Name: "echo"}
	sizes := []int{1 << 20, 1 << 10, 2 << 20, detachMin, detachMin - 1, 1 << 20, 3}
	want := make([][]byte, len(sizes))
	for i, size := range sizes {
		want[i] = bytes.Repeat([]byte{byte('a' + i)}, size)
		if err := sysA.Send(ctx, to, bytes.Clone(want[i])); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	kept := make([][]byte, len(sizes))
	for i := range sizes {
		m := recv(t, got, fmt.Sprintf("message %d", i))
		p, ok := m.([]byte)
		if !ok {
			t.Fatalf("message %d is a %T, want []byte", i, m)
		}
		kept[i] = p
	}
	if err := sysA.Send(ctx, to, "after"); err != nil {
		t.Fatalf("send: %v", err)
	}
	if m := recv(t, got, "the last message"); m != "after" {
		t.Fatalf("last message %v, want after", m)
	}
	for i := range sizes {
		if !bytes.Equal(kept[i], want[i]) {
			t.Fatalf("the %d-byte body %d changed after later messages arrived", sizes[i], i)
		}
	}
	for i := range sizes {
		kept[i] = append(kept[i], 'z') // must not write into a neighbour's bytes
	}
	for i := range sizes {
		if !bytes.Equal(kept[i][:sizes[i]], want[i]) {
			t.Fatalf("appending to a body changed body %d", i)
		}
	}
}

// TestBoxKept checks that bodies kept in a read buffer come out of their
// interfaces intact, and that the headers of one message's bodies cost
// one allocation together.
func TestBoxKept(t *testing.T) {
	buf := []byte("abcdefghi")
	var r inReader
	r.m.Frames = make([][]byte, 3)
	bodies := [][]byte{buf[0:3], buf[3:6], buf[6:9]}
	var got []any
	allocs := testing.AllocsPerRun(1, func() {
		r.hdrs, got = nil, got[:0]
		for _, b := range bodies {
			got = append(got, r.boxKept(b))
		}
	})
	if allocs > 1 {
		t.Errorf("%v allocations for three bodies, want 1", allocs)
	}
	for i, v := range got {
		b, ok := v.([]byte)
		if !ok || &b[0] != &bodies[i][0] || len(b) != 3 || cap(b) != len(buf)-3*i {
			t.Fatalf("body %d came out as %T %q", i, v, v)
		}
	}
}
