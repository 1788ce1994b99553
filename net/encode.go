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
// A SEND is encoded without its head (to, from, type): the link's writer
// writes the head for the first SEND of a run to one actor, and the
// others of the run go as NEXT envelopes, without one (see session.add).
// Its buf then holds two spare bytes, for a NEXT header, the body, and
// the tail. A SEND of a []byte of refMin bytes or more is not copied here:
// buf holds the bin header, body is the message itself, which the
// connection copies straight from the sender's slice into its buffer, or,
// when big, writes from it by reference (zmtp.Frame) — one copy or none
// instead of two. The sender must not modify it after Send, as with a
// local send, whose receiver gets the very slice. Other envelopes are
// encoded whole in buf.
type outMsg struct {
	to, from actor.Ref
	msg      any
	kind     wire.Kind
	typ      string // SEND: the body's type name
	buf      []byte
	body     []byte   // the payload written by reference, or nil
	tailAt   int      // SEND: where the tail starts in buf (and body goes)
	size     int      // the encoded envelope's size, head included
	next     *outMsg  // in a link's outQueue
	lent     *lentBuf // a received big body sent on: released when acknowledged
}

// spare is the room a SEND's buf keeps for the header of a NEXT.
const spare = len(wire.NextHeader)

// refMin is the smallest []byte SEND body that is not copied into the
// envelope's buffer: below it, one copy of a few bytes costs less than a
// frame piece of its own. (At 512 B, copying in the writer from the
// sender's slice instead of from a buffer just filled on another CPU took
// the sending node's CPU per message down by a third.)
const refMin = 64

// maxPooled is the largest buffer kept for reuse; bigger ones (from big
// messages) go to the garbage collector.
const maxPooled = 64 << 10

var outPool = sync.Pool{New: func() any { return &outMsg{buf: make([]byte, 0, 256)} }}

// In the frames below, only the sender's own slice (body) goes as a
// frame's Body, which the connection may keep by reference until it
// flushes: o.buf goes back to the pool as soon as o is written, so it
// goes in the pieces that are copied at once (Head, Tail).

// frame returns a whole envelope (not a SEND) as a frame for
// zmtp.Conn.WriteFrames.
func (o *outMsg) frame() zmtp.Frame { return zmtp.Frame{Head: o.buf} }

// appendHead appends the head of the SEND o (to, from, type) to b, then
// the bin header of a body sent by reference: the Head of its frame. self
// is the sending node's address, which the envelope leaves out.
func (o *outMsg) appendHead(b []byte, self string) []byte {
	e := sendEnvelope(o.to, o.from, self)
	e.Type = o.typ
	b = wire.AppendHead(b, &e)
	if o.body != nil {
		b = append(b, o.buf[spare:o.tailAt]...)
	}
	return b
}

// sendFrame returns the SEND o as a frame whose Head is head (see
// appendHead).
func (o *outMsg) sendFrame(head []byte) zmtp.Frame {
	if o.body == nil {
		return zmtp.Frame{Head: head, Tail: o.buf[spare:]}
	}
	return zmtp.Frame{Head: head, Body: o.body, Tail: o.buf[o.tailAt:]}
}

// nextFrame returns the SEND o as a NEXT envelope: a NEXT header, written
// into the spare bytes of buf, and the body.
func (o *outMsg) nextFrame() zmtp.Frame {
	copy(o.buf, wire.NextHeader[:])
	if o.body == nil {
		return zmtp.Frame{Head: o.buf[:o.tailAt]}
	}
	return zmtp.Frame{Head: o.buf[:o.tailAt], Body: o.body}
}

// nextSize is the size of the SEND o as a NEXT envelope.
func (o *outMsg) nextSize() int { return o.tailAt + len(o.body) }

// sameSend reports whether o is a SEND like first (to, from, type; corr
// is always 0 between nodes): then it can travel as a NEXT after it.
func (o *outMsg) sameSend(first *outMsg) bool {
	return o.kind == wire.Send && o.typ == first.typ && o.to == first.to && o.from == first.from
}

func (o *outMsg) release() {
	o.to, o.from, o.msg, o.body, o.typ, o.next, o.lent = actor.Ref{}, actor.Ref{}, nil, nil, "", nil, nil
	if cap(o.buf) > maxPooled {
		o.buf = nil
	}
	o.buf = o.buf[:0]
	outPool.Put(o)
}

// sendEnvelope returns the envelope of a SEND from from to to, without
// type and body (see sendRefs).
func sendEnvelope(to, from actor.Ref, self string) wire.Envelope {
	to, from = sendRefs(to, from, self)
	return wire.Envelope{Kind: wire.Send, To: to, From: from}
}

// sendRefs returns to and from as a SEND between nodes carries them: to's
// node is left out (the receiving node is the one the link goes to), and
// so is from's when it is self, the sending node.
func sendRefs(to, from actor.Ref, self string) (actor.Ref, actor.Ref) {
	if !IsClientRef(to) { // a reply for a client of another node keeps it: that node routes it
		to = actor.Ref{Name: to.Name, ID: to.ID}
	}
	if from.Node == self {
		from.Node = ""
	}
	return to, from
}

// encodeSend encodes a SEND from from to to, all but its head (see
// outMsg): its body, between two spare bytes and its tail (corr 0).
func (n *Node) encodeSend(to, from actor.Ref, msg any) (*outMsg, error) {
	name, err := n.nameOf(msg)
	if err != nil {
		return nil, err
	}
	o := outPool.Get().(*outMsg)
	o.to, o.from, o.msg, o.kind, o.typ = to, from, msg, wire.Send, name
	b := append(o.buf[:0], make([]byte, spare)...)
	if p, ok := msg.([]byte); ok && len(p) >= refMin {
		o.body, b = p, wire.AppendBinHeader(b, len(p))
		o.lent = n.recycler.hold(p)
	} else if b, err = appendValue(b, name, msg); err != nil { // nameOf knew the type
		o.release()
		return nil, err
	}
	o.tailAt = len(b)
	o.buf = wire.AppendUint(b, 0)
	o.size = len(o.buf) + len(o.body) + n.sendHeadLen(to, from, name) - spare
	return n.checkSize(o)
}

// sendHeadLen is the size of the head the link writes for a SEND, without
// building the envelope.
func (n *Node) sendHeadLen(to, from actor.Ref, typ string) int {
	to, from = sendRefs(to, from, n.addr)
	return wire.SendHeadLen(&to, &from, typ)
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

// encode fills in e's type and body from msg (for a REPLY) and appends e
// to a pooled buffer; a control envelope is appended whole. The body is
// encoded in place, between the envelope's head and tail: one copy of it,
// not two. (SENDs: encodeSend.)
func (n *Node) encode(e *wire.Envelope, to, from actor.Ref, msg any) (*outMsg, error) {
	o := outPool.Get().(*outMsg)
	o.to, o.from, o.msg, o.kind = to, from, msg, e.Kind
	if e.Kind != wire.Send && e.Kind != wire.Reply {
		o.buf = wire.Append(o.buf[:0], e)
		o.size = len(o.buf)
		return n.checkSize(o)
	}
	name, err := n.nameOf(msg)
	if err != nil {
		o.release()
		return nil, err
	}
	e.Type = name
	b := wire.AppendHead(o.buf[:0], e)
	if b, err = appendValue(b, name, msg); err != nil { // nameOf knew the type
		o.release()
		return nil, err
	}
	o.tailAt, o.typ = len(b), name
	o.buf = wire.AppendTail(b, e)
	o.size = len(o.buf)
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
	if o.size <= n.cfg.maxMessageSize {
		return o, nil
	}
	err := fmt.Errorf("%w: %d-byte envelope, the limit is %d", ErrTooLarge, o.size, n.cfg.maxMessageSize)
	o.release()
	return nil, err
}
