package net

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"unsafe"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/troupe-go/troupe/net/internal/zmtp"
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
		var f zmtp.Frame
		o.sendFrame(&f, o.appendHead(nil, n.Address()))
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
		var next zmtp.Frame
		o.nextFrame(&next, nil)
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
			var f zmtp.Frame
			o.sendFrame(&f, o.appendHead(nil, n.Address()))
			if next {
				o.nextFrame(&f, nil)
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
		{actor.Ref{Node: other, Name: "echo"}, replyRef(n.Address())},              // a request
		{replyRef(other), actor.Ref{Node: n.Address(), Name: "echo", ID: 1 << 20}}, // its reply
	}
	for i, c := range cases {
		o, err := n.encodeSend(c.to, c.from, msgPing{N: int64(i), Text: "size"})
		if err != nil {
			t.Fatal(err)
		}
		var f zmtp.Frame
		o.sendFrame(&f, o.appendHead(nil, n.Address()))
		if got := f.Len(); o.size != got {
			t.Errorf("case %d: size %d, the frame has %d bytes", i, o.size, got)
		}
		o.release()
	}
}

// TestRouteOf checks that the SENDs of one stream share their route, that
// SENDs differing in any party or in type do not, and that a route's head
// is the head the link would write for its SENDs.
func TestRouteOf(t *testing.T) {
	_, n := startNode(t, endpoint(t, "tcp"))
	other := "tcp://127.0.0.1:1"
	base := struct {
		to, from actor.Ref
		typ      string
	}{actor.Ref{Node: other, Name: "sink", ID: 7}, actor.Ref{Node: n.Address(), Name: "src", ID: 9}, "t"}
	r := n.routeOf(&base.to, &base.from, base.typ)
	if again := n.routeOf(&base.to, &base.from, base.typ); again != r {
		t.Fatal("the same parties and type got a new route")
	}
	e := sendEnvelope(base.to, base.from, n.Address())
	e.Type = base.typ
	if !bytes.Equal(r.head, wire.AppendHead(nil, &e)) {
		t.Fatal("the route's head is not the SEND's head")
	}
	variants := []struct {
		to, from actor.Ref
		typ      string
	}{
		{actor.Ref{Node: other, Name: "sink", ID: 8}, base.from, base.typ},
		{actor.Ref{Node: other, Name: "sinK", ID: 7}, base.from, base.typ},
		{base.to, actor.Ref{Node: n.Address(), Name: "src", ID: 10}, base.typ},
		{base.to, base.from, "u"},
	}
	for i, v := range variants {
		got := n.routeOf(&v.to, &v.from, v.typ)
		if got == r || got.to != v.to || got.from != v.from || got.typ != v.typ {
			t.Fatalf("variant %d: route %+v", i, got)
		}
	}
	reply := replyRef(n.Address())
	if !n.routeOf(&base.to, &reply, base.typ).pending || r.pending {
		t.Fatal("only a route from one of this node's reply refs is pending")
	}
	// A request and its reply are one-offs: a route of their own, whose
	// head the link writes from the refs.
	for _, c := range []struct{ to, from actor.Ref }{{base.to, reply}, {reply, base.to}} {
		a, b := n.routeOf(&c.to, &c.from, base.typ), n.routeOf(&c.to, &c.from, base.typ)
		e := sendEnvelope(c.to, c.from, n.Address())
		e.Type = base.typ
		want := wire.AppendHead(nil, &e)
		if a == b || a.head != nil || !bytes.Equal(a.appendHead(nil, n.Address()), want) || a.headLen != len(want) {
			t.Fatalf("one-off route %+v: shared %v, head %q, length %d; want its own, the head %q", c, a == b, a.appendHead(nil, n.Address()), a.headLen, want)
		}
	}
}

// TestOutFree: the writer's batches come back to senders in order, an
// empty ring gives a fresh outMsg, what does not fit goes to the pool
// cleared, and drop empties the ring.
func TestOutFree(t *testing.T) {
	var f outFree
	f.init(8)
	batch := func(n int) []*outMsg {
		b := make([]*outMsg, n)
		for i := range b {
			b[i] = &outMsg{msg: i, route: &sendRoute{}}
		}
		return b
	}
	older, newer := batch(2), batch(3)
	f.put(older)
	f.put(newer)
	for i, want := range append(older, newer...) {
		if got := f.get(); got != want {
			t.Fatalf("get %d: %p, want %p", i, got, want)
		}
	}
	if o := f.get(); o == nil || o.route != nil || o.msg != nil {
		t.Fatal("an empty ring did not give a fresh outMsg")
	}
	full := batch(10)
	f.put(full)
	for i := 8; i < 10; i++ {
		if full[i].route != nil || full[i].msg != nil {
			t.Fatalf("outMsg %d did not fit, but went to the pool uncleared", i)
		}
	}
	for i := range 8 {
		if got := f.get(); got != full[i] {
			t.Fatalf("get %d of a full ring: %p, want %p", i, got, full[i])
		}
	}
	f.put(batch(3))
	f.drop()
	if f.take() != nil {
		t.Fatal("drop left outMsgs in the ring")
	}
}

// TestOutFreeConcurrent: while the writer puts, senders take; no outMsg
// is handed out twice.
func TestOutFreeConcurrent(t *testing.T) {
	const senders, each = 4, 20_000
	var f outFree
	f.init(64)
	taken := make(chan *outMsg, senders*each)
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				taken <- f.get()
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for put := true; put; {
		select {
		case <-done:
			put = false
		default:
			b := make([]*outMsg, 16)
			for i := range b {
				b[i] = &outMsg{msg: true}
			}
			f.put(b)
		}
	}
	close(taken)
	seen := map[*outMsg]bool{}
	for o := range taken {
		if o.msg == nil {
			continue // fresh from the pool
		}
		if seen[o] {
			t.Fatalf("outMsg %p handed out twice", o)
		}
		seen[o] = true
	}
	if len(seen) == 0 {
		t.Fatal("no sender took an outMsg from the ring")
	}
}

// TestOutMsgSettle: a written envelope that fitted inline keeps its
// references for reuse; one with a body of its own, a lent buffer or a
// grown buffer is cleared.
func TestOutMsgSettle(t *testing.T) {
	small := &outMsg{route: &sendRoute{}, msg: 1}
	small.buf = small.inline[:3]
	small.settle()
	if small.route == nil || small.msg == nil {
		t.Fatal("settle cleared an inline envelope")
	}
	for name, o := range map[string]*outMsg{
		"body":  {route: &sendRoute{}, msg: 1, body: make([]byte, 100)},
		"lent":  {route: &sendRoute{}, msg: 1, lent: &lentBuf{}},
		"grown": {route: &sendRoute{}, msg: 1, buf: make([]byte, 0, 2*inlineLen)},
	} {
		o.settle()
		if o.route != nil || o.msg != nil || o.body != nil || o.lent != nil {
			t.Fatalf("%s: settle left references", name)
		}
	}
}

// TestOutMsgLayout pins the layout that outMsg's doc describes: 128 bytes,
// two cache lines, the second starting with buf.
func TestOutMsgLayout(t *testing.T) {
	var o outMsg
	if size, second := unsafe.Sizeof(o), unsafe.Offsetof(o.buf); size != 128 || second != 64 {
		t.Fatalf("outMsg is %d bytes with buf at %d; want 128 and 64", size, second)
	}
}

// replyRef returns a ref that actor.IsReplyRef takes for a reply ref of
// node.
func replyRef(node string) actor.Ref {
	r := actor.Ref{Node: node}
	for bit := 0; bit < 64 && !actor.IsReplyRef(r); bit++ {
		r.ID = 1<<bit | 7
	}
	return r
}
