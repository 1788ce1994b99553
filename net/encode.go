package net

import (
	"fmt"
	"reflect"
	"sync"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// An outMsg is one envelope on its way out: encoded on the sender's
// goroutine (so that encoding errors reach the sender), queued, then
// written by a writer goroutine, which releases it. The message itself is
// kept so that it can become a dead letter if it never arrives.
//
// A SEND of a big []byte (refMin bytes or more) is not copied: buf holds
// the envelope before the payload (buf[:split]) and after it, and body is
// the message itself, which the connection writes straight from the
// sender's slice (zmtp.Frame). The sender must not modify it after Send,
// as with a local send, whose receiver gets the very slice.
type outMsg struct {
	to, from   actor.Ref
	msg        any
	buf        []byte // the encoded envelope, or its two ends around body
	body       []byte // the payload written by reference, or nil
	split      int    // with body: where body goes in buf
	head, tail int    // a SEND's bytes before and after its body value; 0 for other kinds
}

// refMin is the smallest []byte SEND body written by reference.
const refMin = 8 << 10

// maxPooled is the largest buffer kept for reuse; bigger ones (from big
// messages) go to the garbage collector.
const maxPooled = 64 << 10

var outPool = sync.Pool{New: func() any { return &outMsg{buf: make([]byte, 0, 256)} }}

// frame returns the envelope as a frame for zmtp.Conn.WriteFrames. Only
// the sender's own slice (body) goes as the frame's Body, which the
// connection may keep by reference until it flushes: o.buf goes back to
// the pool as soon as o is written, so it goes in the pieces that are
// copied at once.
func (o *outMsg) frame() zmtp.Frame {
	if o.body == nil {
		return zmtp.Frame{Head: o.buf}
	}
	return zmtp.Frame{Head: o.buf[:o.split], Body: o.body, Tail: o.buf[o.split:]}
}

// nextFrame rewrites the end of o's head as a NEXT header and returns the
// NEXT envelope: that header and o's body. o's head is lost.
func (o *outMsg) nextFrame() zmtp.Frame {
	start := o.head - len(wire.NextHeader)
	copy(o.buf[start:], wire.NextHeader[:])
	if o.body == nil {
		return zmtp.Frame{Head: o.buf[start : len(o.buf)-o.tail]}
	}
	return zmtp.Frame{Head: o.buf[start:o.split], Body: o.body}
}

// size returns the size of the encoded envelope.
func (o *outMsg) size() int { return len(o.buf) + len(o.body) }

// nextSize is the size of o as a NEXT envelope.
func (o *outMsg) nextSize() int { return len(wire.NextHeader) + o.size() - o.head - o.tail }

// sameSend reports whether o is a SEND with the same head and tail (to,
// from, type, corr) as first: then it can travel as a NEXT after it.
func (o *outMsg) sameSend(first *outMsg) bool {
	return o.head > len(wire.NextHeader) && o.head == first.head && o.tail == first.tail &&
		string(o.buf[:o.head]) == string(first.buf[:first.head]) &&
		string(o.buf[len(o.buf)-o.tail:]) == string(first.buf[len(first.buf)-first.tail:])
}

func (o *outMsg) release() {
	o.to, o.from, o.msg, o.body = actor.Ref{}, actor.Ref{}, nil, nil
	o.head, o.tail = 0, 0
	if cap(o.buf) > maxPooled {
		o.buf = nil
	}
	o.buf = o.buf[:0]
	outPool.Put(o)
}

// encodeSend encodes a SEND from from to to. to's node is left out of the
// envelope (the receiving node is the one the link goes to), and so is
// from's when it is this node.
func (n *Node) encodeSend(to, from actor.Ref, msg any) (*outMsg, error) {
	e := wire.Envelope{Kind: wire.Send, To: actor.Ref{Name: to.Name, ID: to.ID}, From: from}
	if IsClientRef(to) {
		e.To = to // a reply for a client of another node, routed by that node
	}
	if from.Node == n.addr {
		e.From.Node = ""
	}
	return n.encode(&e, to, from, msg)
}

// encodeReply encodes an answer for the foreign client request that the
// client ref to stands for (its ID is the correlation id): an ERROR for an
// Error message, a REPLY otherwise.
func (n *Node) encodeReply(to, from actor.Ref, msg any) (*outMsg, error) {
	if m, ok := msg.(Error); ok {
		e := wire.Envelope{Kind: wire.Error, Corr: to.ID, Code: m.Code, Text: m.Text}
		return n.encode(&e, to, from, msg)
	}
	e := wire.Envelope{Kind: wire.Reply, Corr: to.ID}
	return n.encode(&e, to, from, msg)
}

// encode fills in e's type and body from msg (for SEND and REPLY) and
// appends e to a pooled buffer. The body is encoded in place, between the
// envelope's head and tail: one copy of it, not two.
func (n *Node) encode(e *wire.Envelope, to, from actor.Ref, msg any) (*outMsg, error) {
	o := outPool.Get().(*outMsg)
	o.to, o.from, o.msg = to, from, msg
	o.head, o.tail = 0, 0
	if e.Kind != wire.Send && e.Kind != wire.Reply {
		o.buf = wire.Append(o.buf[:0], e)
		return n.checkSize(o)
	}
	name, err := n.nameOf(msg)
	if err != nil {
		o.release()
		return nil, err
	}
	e.Type = name
	if b, ok := msg.([]byte); ok && len(b) >= refMin && e.Kind == wire.Send {
		head := wire.AppendHead(o.buf[:0], e)
		withBin := wire.AppendBinHeader(head, len(b))
		o.split, o.body = len(withBin), b
		o.buf = wire.AppendTail(withBin, e)
		o.head, o.tail = len(head), len(o.buf)-o.split
		return n.checkSize(o)
	}
	head := wire.AppendHead(o.buf[:0], e)
	got, b, err := n.cfg.codec.AppendBody(head, msg)
	switch {
	case err != nil:
		o.release()
		return nil, err
	case got != name:
		o.release()
		return nil, fmt.Errorf("net: encode %T: named %q, then %q", msg, name, got)
	}
	o.buf = wire.AppendTail(b, e)
	if e.Kind == wire.Send {
		o.head, o.tail = len(head), len(o.buf)-len(b)
	}
	return n.checkSize(o)
}

// A typeName is a message type and the name the node's codec gives it.
type typeName struct {
	t    reflect.Type
	name string
}

var unknownType = reflect.TypeFor[Unknown]()

// nameOf returns the name msg travels under (Codec.Name), remembering the
// last type it named: a stream of one type then costs a comparison here
// instead of a look-up in the codec's table by type (the codec looks it
// up again in AppendBody). A type keeps its name once registered, so the
// memory never goes stale; Unknown, named by its value, is not kept.
func (n *Node) nameOf(msg any) (string, error) {
	t := reflect.TypeOf(msg)
	if last := n.lastType.Load(); last != nil && last.t == t {
		return last.name, nil
	}
	name, err := n.cfg.codec.Name(msg)
	if err == nil && t != nil && t != unknownType {
		n.lastType.Store(&typeName{t: t, name: name})
	}
	return name, err
}

// checkSize passes o on, or releases it if it is over the size limit.
func (n *Node) checkSize(o *outMsg) (*outMsg, error) {
	if o.size() <= n.cfg.maxMessageSize {
		return o, nil
	}
	err := fmt.Errorf("%w: %d-byte envelope, the limit is %d", ErrTooLarge, o.size(), n.cfg.maxMessageSize)
	o.release()
	return nil, err
}
