package zmtp

import (
	"bytes"
	"testing"
)

// TestMessageDetach checks that a detached buffer is never read into
// again: frames kept from before Detach stay intact after later reads,
// even with a Retain that would otherwise reuse the buffer.
func TestMessageDetach(t *testing.T) {
	first := bytes.Repeat([]byte("0123456789abcdef"), 5<<16) // 5 MiB, several grow steps
	second := bytes.Repeat([]byte("fedcba9876543210"), 5<<16)
	small := []byte("small")
	in := cat(frameBytes(t, [][]byte{first}), frameBytes(t, [][]byte{small}), frameBytes(t, [][]byte{second}))
	d := newTestDecoder(bytes.NewReader(in), 8<<20, 3)
	m := Message{Retain: 16 << 20}
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	kept := m.Frames[0]
	if b := m.Detach(); len(b) != len(first) || &b[0] != &kept[0] {
		t.Fatalf("Detach returned %d bytes, not the %d-byte buffer of the frame", len(b), len(first))
	}
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	if !equalFrames(m.Frames, [][]byte{small}) {
		t.Fatal("the small message read back differently")
	}
	if c := cap(m.data); c > growChunk {
		t.Fatalf("a %d-byte message got a %d-byte buffer after Detach", len(small), c)
	}
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	if !equalFrames(m.Frames, [][]byte{second}) {
		t.Fatal("the message after Detach read back differently")
	}
	if c := cap(m.data); c != len(second) {
		t.Fatalf("after Detach a %d-byte frame grew a %d-byte buffer, want one of its size", len(second), c)
	}
	if !bytes.Equal(kept, first) {
		t.Fatal("a frame kept across Detach was overwritten by a later read")
	}
}

// TestMessageDetachEmpty checks that Detach before any read returns nil
// and leaves the Message usable.
func TestMessageDetachEmpty(t *testing.T) {
	var m Message
	if b := m.Detach(); b != nil {
		t.Fatalf("Detach of an unread Message returned %d bytes", len(b))
	}
	d := newTestDecoder(bytes.NewReader(frameBytes(t, [][]byte{[]byte("x")})), 1<<10, 3)
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	if !equalFrames(m.Frames, [][]byte{[]byte("x")}) {
		t.Fatal("message read back differently")
	}
}
