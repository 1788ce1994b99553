package net

import (
	"bytes"
	"testing"

	"github.com/troupe-go/troupe/actor"
)

// TestStreamsOfEveryBodySize sends, in one burst, runs of messages from
// one sender to one actor — small and big []byte bodies (the big ones
// written by reference), and a struct — so that the link packs them into
// batches of SENDs and NEXTs; every message must arrive intact and in
// order.
func TestStreamsOfEveryBodySize(t *testing.T) {
	ctx := testContext(t)
	sysA, _ := startNode(t, endpoint(t, "tcp"))
	sysB, b := startNode(t, endpoint(t, "tcp"))
	const perRun = 20
	sizes := []int{1, 100, refMin, 3 * refMin}
	got := make(chan any, perRun*(len(sizes)+1))
	ref := spawn(t, sysB, echo(got), actor.WithName("collector"))
	ref.Node = b.Address()
	var want []any
	for _, size := range sizes {
		for i := range perRun {
			want = append(want, bytes.Repeat([]byte{byte(i + size)}, size))
		}
	}
	for i := range perRun {
		want = append(want, msgPing{N: int64(i), Text: "struct"})
	}
	for _, m := range want {
		if err := sysA.Send(ctx, ref, m); err != nil {
			t.Fatal(err)
		}
	}
	for i, w := range want {
		m := recv(t, got, "a message of the stream")
		wb, isBytes := w.([]byte)
		if mb, ok := m.([]byte); isBytes && (!ok || !bytes.Equal(mb, wb)) || !isBytes && m != w {
			t.Fatalf("message %d: got %T of %v, want %T", i, m, describe(m), w)
		}
	}
}

func describe(m any) any {
	if b, ok := m.([]byte); ok {
		return len(b)
	}
	return m
}
