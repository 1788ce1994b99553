package net

import (
	"bytes"
	"strings"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
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

// TestBigEncodedBodiesIntact streams structs whose encoding is bigger
// than the size written by reference (so the envelope buffers are large
// and pooled) from two goroutines at once: every message must arrive with
// its own content, whatever happens to the buffers after they are written.
func TestBigEncodedBodiesIntact(t *testing.T) {
	sysA, _ := startNode(t, endpoint(t, "tcp"))
	sysB, b := startNode(t, endpoint(t, "tcp"))
	const perSender, senders = 200, 2
	got := make(chan any, perSender*senders)
	ref := spawn(t, sysB, echo(got), actor.WithName("collector"),
		actor.WithMailbox(mailbox.WithCapacity(perSender*senders)))
	ref.Node = b.Address()
	sendConcurrently(t, sysA, senders, perSender, func(s, i int) (actor.Ref, any) {
		n := int64(s*perSender + i)
		return ref, msgPing{N: n, Text: strings.Repeat(string(rune('a'+n%26)), 2*refMin+int(n))}
	})
	for range perSender * senders {
		m, ok := recv(t, got, "a message").(msgPing)
		want := strings.Repeat(string(rune('a'+m.N%26)), 2*refMin+int(m.N))
		if !ok || m.Text != want {
			t.Fatalf("message %d arrived corrupted (%d bytes of text)", m.N, len(m.Text))
		}
	}
}
