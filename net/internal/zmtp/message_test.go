package zmtp

import (
	"bytes"
	"testing"
)

// TestMessageDetach checks that a detached buffer is never read into
// again: frames kept from before Detach stay intact after later reads,
// even with a Retain that would otherwise reuse the buffer; and that
// Detach allocates the next buffer at once, as big as the message given
// away (its frame and header: the wire bytes).
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
	m.Detach()
	wire := len(first) + 9 // one long frame
	if c := m.Retained(); c != wire {
		t.Fatalf("Detach of a %d-byte message left a %d-byte buffer, want one of its size", wire, c)
	}
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	if !equalFrames(m.Frames, [][]byte{small}) {
		t.Fatal("the small message read back differently")
	}
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	if !equalFrames(m.Frames, [][]byte{second}) {
		t.Fatal("the message after Detach read back differently")
	}
	if c := cap(m.data); c != wire {
		t.Fatalf("after Detach a %d-byte frame was read into a %d-byte buffer, want the one Detach made", len(second), c)
	}
	if !bytes.Equal(kept, first) {
		t.Fatal("a frame kept across Detach was overwritten by a later read")
	}
}

// TestMessageDetachEmpty checks that Detach before any read leaves the
// Message usable.
func TestMessageDetachEmpty(t *testing.T) {
	var m Message
	m.Detach()
	d := newTestDecoder(bytes.NewReader(frameBytes(t, [][]byte{[]byte("x")})), 1<<10, 3)
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	if !equalFrames(m.Frames, [][]byte{[]byte("x")}) {
		t.Fatal("message read back differently")
	}
}

// TestMessageBigFrames checks that big frames after the first of a
// message are read into buffers of their own instead of growing (and
// copying) the message's buffer, once the peer has sent frames that big,
// and that Detach keeps them all.
func TestMessageBigFrames(t *testing.T) {
	big := func(c byte) []byte { return bytes.Repeat([]byte{c}, 3<<20) }
	msgs := [][][]byte{
		{big('a'), big('b'), []byte("tail")},
		{big('c'), big('d'), big('e')},
		{[]byte("head"), big('f')},
	}
	var in []byte
	for _, frames := range msgs {
		in = append(in, frameBytes(t, frames)...)
	}
	d := newTestDecoder(bytes.NewReader(in), 16<<20, 4)
	m := Message{Retain: 16 << 20}
	var kept [][][]byte
	detached := 0 // the buffer Detach made after message 0
	for i, frames := range msgs {
		if err := d.readMessage(&m); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if !equalFrames(m.Frames, frames) {
			t.Fatalf("message %d read back differently", i)
		}
		if size := m.Size(); size != len(bytes.Join(frames, nil)) {
			t.Fatalf("message %d: Size %d", i, size)
		}
		if i == 1 && cap(m.data) != detached {
			t.Fatalf("message %d: a %d-byte buffer, want the %d bytes Detach made (later big frames go apart)", i, cap(m.data), detached)
		}
		kept = append(kept, m.Frames)
		m.Frames = nil // keep the slice headers too
		m.Detach()
		if i == 0 {
			detached = m.Retained()
			if wire := len(in) - len(frameBytes(t, msgs[1])) - len(frameBytes(t, msgs[2])); detached < wire {
				t.Fatalf("Detach after a %d-byte message (wire size) made a %d-byte buffer, want one that holds it whole", wire, detached)
			}
		}
	}
	for i, frames := range msgs {
		if !equalFrames(kept[i], frames) {
			t.Fatalf("message %d changed after Detach and later reads", i)
		}
	}
}
