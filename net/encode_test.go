package net

import (
	"bytes"
	"errors"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/wire"
)

// TestEncodeBigBytesByReference checks that a SEND of a big []byte keeps
// the message itself as the frame's body (no copy) and that its pieces
// make the very envelope wire.Append writes; smaller bodies and other
// kinds are encoded whole.
func TestEncodeBigBytesByReference(t *testing.T) {
	_, n := startNode(t, endpoint(t, "tcp"))
	to := actor.Ref{Node: "tcp://127.0.0.1:1", Name: "sink", ID: 7}
	from := actor.Ref{Node: n.Address(), Name: "src", ID: 9}
	for _, size := range []int{0, 10, refMin - 1, refMin, 1 << 20} {
		body := bytes.Repeat([]byte{'p'}, size)
		o, err := n.encodeSend(to, from, body)
		if err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		f := o.sendFrame(o.appendHead(nil, n.Address()))
		if byRef := size >= refMin; byRef != (len(f.Body) == size && size > 0 && &f.Body[0] == &body[0]) {
			t.Fatalf("%d bytes: body by reference %v, want %v", size, !byRef, byRef)
		}
		got := bytes.Join([][]byte{f.Head, f.Body, f.Tail}, nil)
		e := wire.Envelope{Kind: wire.Send, To: actor.Ref{Name: to.Name, ID: to.ID}, From: actor.Ref{Name: from.Name, ID: from.ID}, Type: TypeBytes}
		e.Body = append(wire.AppendBinHeader(nil, size), body...)
		if want := wire.Append(nil, &e); !bytes.Equal(got, want) {
			t.Fatalf("%d bytes: the frame's pieces are not the envelope wire.Append writes", size)
		}
		if o.size != len(got) {
			t.Fatalf("%d bytes: size %d, the frame has %d", size, o.size, len(got))
		}
		next := o.nextFrame()
		e2 := wire.Envelope{Kind: wire.Next, Body: e.Body}
		if got, want := bytes.Join([][]byte{next.Head, next.Body, next.Tail}, nil), wire.Append(nil, &e2); !bytes.Equal(got, want) {
			t.Fatalf("%d bytes: the NEXT frame's pieces are not the envelope wire.Append writes", size)
		}
		if o.nextSize() != len(wire.Append(nil, &e2)) {
			t.Fatalf("%d bytes: NEXT size %d, want %d", size, o.nextSize(), len(wire.Append(nil, &e2)))
		}
		o.release()
	}
}

// TestEncodeBigBytesTooLarge checks that the size limit counts a body
// sent by reference.
func TestEncodeBigBytesTooLarge(t *testing.T) {
	_, n := startNode(t, endpoint(t, "tcp"), WithMaxMessageSize(64<<10))
	to := actor.Ref{Node: "tcp://127.0.0.1:1", Name: "sink"}
	if _, err := n.encodeSend(to, actor.Ref{}, make([]byte, 64<<10)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("a 64 KiB body under a 64 KiB limit: %v, want ErrTooLarge", err)
	}
}

// TestPooledBuffersAreCopied checks that no frame puts a pooled envelope
// buffer where the connection keeps pieces by reference (Frame.Body):
// the buffer goes back to the pool as soon as the frame is written, before
// the flush. Only a sender's own []byte may be kept.
func TestPooledBuffersAreCopied(t *testing.T) {
	_, n := startNode(t, endpoint(t, "tcp"))
	to := actor.Ref{Node: "tcp://127.0.0.1:1", Name: "sink", ID: 7}
	big := msgPing{Text: string(bytes.Repeat([]byte{'s'}, 4*refMin))} // encoded into a pooled buffer
	for _, msg := range []any{big, "small", make([]byte, 2*refMin)} {
		for _, next := range []bool{false, true} {
			o, err := n.encodeSend(to, actor.Ref{}, msg)
			if err != nil {
				t.Fatal(err)
			}
			f := o.sendFrame(o.appendHead(nil, n.Address()))
			if next {
				f = o.nextFrame()
			}
			if b, ok := msg.([]byte); ok {
				if &f.Body[0] != &b[0] {
					t.Fatalf("%T next=%v: the sender's bytes are not the frame's body", msg, next)
				}
			} else if len(f.Body) != 0 {
				t.Fatalf("%T next=%v: %d bytes of a pooled buffer in the frame's body", msg, next, len(f.Body))
			}
			o.release()
		}
	}
}

// TestEncodeSendSize checks that a SEND's size, worked out without
// building its envelope, is the size of the frame the link writes, for
// senders on this node and on others, and for a reply to another node's
// client.
func TestEncodeSendSize(t *testing.T) {
	_, n := startNode(t, endpoint(t, "tcp"))
	other := "tcp://127.0.0.1:1"
	cases := []struct{ to, from actor.Ref }{
		{actor.Ref{Node: other, Name: "sink"}, actor.Ref{Node: n.Address(), Name: "src", ID: 9}},
		{actor.Ref{Node: other, ID: 1 << 40}, actor.Ref{Node: "tcp://10.0.0.1:5555", Name: "far", ID: 3}},
		{actor.Ref{Node: other, Name: "sink"}, actor.Ref{}},
		{actor.Ref{Node: clientNode(other, 4), ID: 77}, actor.Ref{Node: n.Address(), Name: "echo"}},
	}
	for i, c := range cases {
		o, err := n.encodeSend(c.to, c.from, msgPing{N: int64(i), Text: "size"})
		if err != nil {
			t.Fatal(err)
		}
		f := o.sendFrame(o.appendHead(nil, n.Address()))
		if got := f.Len(); o.size != got {
			t.Errorf("case %d: size %d, the frame has %d bytes", i, o.size, got)
		}
		o.release()
	}
}
