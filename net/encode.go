package net

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// An outMsg is one envelope on its way out: encoded on the sender's
// goroutine (so that encoding errors reach the sender), queued, then
// written by a writer goroutine, which releases it. The message itself is
// kept so that it can become a dead letter if it never arrives.
//
// A SEND is encoded without its head (to, from, type): that is its
// route's, shared by every SEND of a stream (see sendRoute). The link's
// writer writes the head for the first SEND of a run to one actor, and
// the others of the run go as NEXT envelopes, without one (see
// session.add). buf holds the body and the tail. A SEND of a []byte of
// refMin bytes or more is not copied here: buf holds the bin header, body
// is the message itself, which the connection copies straight from the
// sender's slice into its buffer, or, when big, writes from it by
// reference (zmtp.Frame) — one copy or none instead of two. The sender
// must not modify it after Send, as with a local send, whose receiver gets
// the very slice. Other envelopes are encoded whole in buf.
//
// The sender's goroutine fills an outMsg and the writer's reads it, on
// another CPU: each cache line of it crosses between the two for every
// message, which is what a small message costs most. So an outMsg is two
// lines: the first holds what the writer clears when it hands it back
// (see clear and outFree), the second a small body inline, which the
// writer only reads (it never writes into buf, not even a NEXT's header).
type outMsg struct {
	// First cache line: written by the sender, read by the writer (which
	// clears it only when it must, see settle).
	route *sendRoute // to, from, type: shared by the SENDs of a stream
	msg   any
	lent  *lentBuf // a received big body sent on: released when acknowledged
	body  []byte   // the payload written by reference, or nil
	_     [8]byte  // to the end of the first line

	// Second cache line: written by the sender only.
	buf    []byte // the body (or its bin header) and tail; inline at first
	size   int    // the encoded envelope's size, head included (in outFree: see there)
	tailAt int32  // SEND: where the tail starts in buf (and body goes)
	kind   wire.Kind
	inline [inlineLen]byte
}

// inlineLen is the room for an envelope inside its outMsg, which makes it
// 128 bytes: a small body (a message with a number or two) and its tail
// need no buffer of their own.
const inlineLen = 64 - 37

// A sendRoute is what the SENDs of a stream have in common: the parties,
// the body's type, and so the head the link writes for the first of a
// run. It is made by a sender and never changed, so the CPUs of all the
// goroutines that use it keep it in their caches; SENDs of one route are
// recognised by the pointer (see outMsg.sameSend).
type sendRoute struct {
	to, from actor.Ref
	typ      string
	head     []byte // AppendHead of the SEND, as the link writes it; nil for a one-off route
	headLen  int    // len(head), or the length of the head a one-off route's SEND gets
	pending  bool   // from is a reply ref of this node (see session.track)
	urgent   bool   // a request or a reply: someone waits for it (see lend.go)
}

// routeSlots is the size of a node's table of recent routes: a node
// that sends to a few dozen actors at once finds each stream's route
// there instead of making one for each message.
const routeSlots = 64

// routeOf returns the route of a SEND from from to to of type typ: the one
// in the node's table, or a new one, which replaces whatever was in its
// slot. A request (from a reply ref) and its reply (to one) are one-offs:
// their route is made for them alone, without a head, which the link then
// writes from the refs, and stays out of the table. (The refs are passed
// by pointer on the send path: by value, five words each, they cost more
// to pass down than to compare.)
func (n *Node) routeOf(to, from *actor.Ref, typ string) *sendRoute {
	if isReplyRef(from) || isReplyRef(to) {
		return n.oneOffRoute(to, from, typ)
	}
	slot := &n.routes[routeHash(to, from, typ)%routeSlots]
	if r := slot.Load(); r != nil && sameRef(&r.to, to) && sameRef(&r.from, from) && sameString(r.typ, typ) {
		return r
	}
	return n.storeRoute(slot, to, from, typ)
}

// oneOffRoute makes the route of a request or a reply (see routeOf).
func (n *Node) oneOffRoute(to, from *actor.Ref, typ string) *sendRoute {
	t, f := sendRefs(*to, *from, n.addr)
	return &sendRoute{to: *to, from: *from, typ: typ, headLen: wire.SendHeadLen(&t, &f, typ),
		pending: isReplyRef(from) && n.isSelf(from.Node), urgent: true}
}

// storeRoute makes a route and puts it in slot, in place of the one there.
func (n *Node) storeRoute(slot *atomic.Pointer[sendRoute], to, from *actor.Ref, typ string) *sendRoute {
	r := n.newRoute(*to, *from, typ)
	slot.Store(r)
	return r
}

// isReplyRef is actor.IsReplyRef without copying the ref, which only its
// ID tells.
func isReplyRef(r *actor.Ref) bool { return actor.IsReplyRef(actor.Ref{ID: r.ID}) }

// routeHash spreads routes over the table by what is cheap to read.
func routeHash(to, from *actor.Ref, typ string) uint64 {
	h := to.ID*0x9e3779b97f4a7c15 ^ from.ID*0xc2b2ae3d27d4eb4f ^ uint64(len(to.Name))<<17 ^ uint64(len(typ))<<29
	if k := len(to.Name); k > 0 {
		h ^= uint64(to.Name[k-1]) << 37
	}
	return h ^ h>>32
}

func (n *Node) newRoute(to, from actor.Ref, typ string) *sendRoute {
	e := sendEnvelope(to, from, n.addr)
	e.Type = typ
	size := wire.SendHeadLen(&e.To, &e.From, typ)
	return &sendRoute{to: to, from: from, typ: typ, head: wire.AppendHead(make([]byte, 0, size), &e), headLen: size}
}

// appendHead appends the head of a SEND of route r to b.
func (r *sendRoute) appendHead(b []byte, self string) []byte {
	if r.head != nil {
		return append(b, r.head...)
	}
	e := sendEnvelope(r.to, r.from, self)
	e.Type = r.typ
	return wire.AppendHead(b, &e)
}

// refMin is the smallest []byte SEND body that is not copied into the
// envelope's buffer: below it, one copy of a few bytes costs less than a
// frame piece of its own. (At 512 B, copying in the writer from the
// sender's slice instead of from a buffer just filled on another CPU took
// the sending node's CPU per message down by a third.)
const refMin = 64

// maxPooled is the largest buffer kept for reuse; bigger ones (from big
// messages) go to the garbage collector.
const maxPooled = 64 << 10

var outPool = sync.Pool{New: func() any {
	o := new(outMsg)
	o.buf = o.inline[:0]
	return o
}}

// In the frames below, only the sender's own slice (body) goes as a
// frame's Body, which the connection may keep by reference until it
// flushes: o.buf goes back to the pool as soon as o is written, so it
// goes in the pieces that are copied at once (Head, Tail).

// The frame builders below fill in a frame in place, in the slice the
// connection writes from: a Frame built aside and copied there was
// stored as words and read back as pairs, a store-forwarding stall in
// every message.

// frame sets f to the whole envelope o (not a SEND), for
// zmtp.Conn.WriteFrames.
func (o *outMsg) frame(f *zmtp.Frame) { *f = zmtp.Frame{Head: o.buf} }

// appendHead appends the head of the SEND o (to, from, type) to b, then
// the bin header of a body sent by reference: the Head of its frame. self
// is the sending node's address.
func (o *outMsg) appendHead(b []byte, self string) []byte {
	b = o.route.appendHead(b, self)
	if o.body != nil {
		b = append(b, o.buf[:o.tailAt]...)
	}
	return b
}

// sendFrame sets f to the SEND o, with head as its Head (see appendHead).
func (o *outMsg) sendFrame(f *zmtp.Frame, head []byte) {
	f.Head = head
	if o.body == nil {
		f.Body, f.Tail = nil, o.buf
		return
	}
	f.Body, f.Tail = o.body, o.buf[o.tailAt:]
}

// nextFrame sets f to the SEND o as a NEXT envelope: a NEXT header and the
// body. The header of a body sent by reference is appended to scratch,
// which is returned.
func (o *outMsg) nextFrame(f *zmtp.Frame, scratch []byte) []byte {
	if o.body == nil {
		f.Head, f.Body, f.Tail = wire.NextHeader[:], nil, o.buf[:o.tailAt]
		return scratch
	}
	at := len(scratch)
	scratch = append(append(scratch, wire.NextHeader[:]...), o.buf[:o.tailAt]...)
	f.Head, f.Body, f.Tail = scratch[at:len(scratch):len(scratch)], o.body, nil
	return scratch
}

// nextSize is the size of the SEND o as a NEXT envelope.
func (o *outMsg) nextSize() int { return len(wire.NextHeader) + int(o.tailAt) + len(o.body) }

// sameSend reports whether o is a SEND like first (to, from, type; corr
// is always 0 between nodes): then it can travel as a NEXT after it.
func (o *outMsg) sameSend(first *outMsg) bool {
	if o.kind != wire.Send {
		return false
	}
	a, b := o.route, first.route
	return a == b || a.typ == b.typ && a.to == b.to && a.from == b.from
}

// release gives o back to the pool.
func (o *outMsg) release() {
	o.clear()
	outPool.Put(o)
}

// clear readies o for the pool. It clears the first cache line (the
// references that would keep memory alive); the second is the sender's to
// write, unless a big message grew buf, which goes back to the inline
// bytes.
func (o *outMsg) clear() {
	o.route, o.msg, o.lent, o.body = nil, nil, nil, nil
	if cap(o.buf) > maxPooled {
		o.buf = o.inline[:0]
	}
}

// settle readies o, written, for its link's senders (see outFree). An
// envelope that fitted in its inline bytes keeps its route and message
// until a sender fills o again or the link drops its free outMsgs when
// idle: a store by the writer here would make each reuse a sender's miss
// on a line the writer's CPU owns. Any other is cleared, so that a big
// body or message is not kept alive; a sender sets every field it uses.
func (o *outMsg) settle() {
	if o.body != nil || o.lent != nil || cap(o.buf) > inlineLen {
		o.clear()
	}
}

// An outFree hands the outMsgs that a link's writer has written back to
// the link's senders, instead of through outPool, whose per-CPU caches
// make every message a steal when the sender and the writer run on
// different CPUs. It is a ring: the writer (its one producer) stores
// each batch's outMsgs in the slots after tail and then moves tail;
// senders take from head, one compare-and-swap each. Neither side writes
// to the outMsgs themselves on the way: a sender's stores into an outMsg
// it takes then find its lines shared, not owned by the writer's CPU
// (see outMsg.settle). What does not fit goes to the pool.
type outFree struct {
	head  atomic.Uint64 // the next slot to take; senders move it
	_     [56]byte      // keeps head off the writer's line
	tail  atomic.Uint64 // the slots before it are filled; the writer moves it
	slots []atomic.Pointer[outMsg]
	mask  uint64
}

// init sizes the ring for at least n outMsgs: a link's queue and a batch,
// so that a stream that keeps the queue full recycles all its outMsgs
// here, not through the pool. Held free, they take no more memory than a
// full queue, and a link that has written nothing for a heartbeat
// interval drops them (see drop).
func (f *outFree) init(n int) {
	size := ringSize(n)
	f.slots, f.mask = make([]atomic.Pointer[outMsg], size), uint64(size-1)
}

// get returns an outMsg for a sender to fill (see outMsg.settle for what
// it may still hold).
func (f *outFree) get() *outMsg {
	if o := f.take(); o != nil {
		return o
	}
	return outPool.Get().(*outMsg)
}

// put gives the senders the outMsgs of batch, settled. Only the writer
// calls it. A slot is stored to only once its last outMsg was taken
// (tail − head < len(slots)); a sender that read that slot before then
// fails its compare-and-swap, since head has moved.
func (f *outFree) put(batch []*outMsg) {
	t, h, size := f.tail.Load(), f.head.Load(), uint64(len(f.slots))
	for _, o := range batch {
		if t-h >= size {
			if h = f.head.Load(); t-h >= size {
				o.release()
				continue
			}
		}
		f.slots[t&f.mask].Store(o)
		t++
	}
	f.tail.Store(t)
}

// drop gives what the ring holds to the pool, whose contents the garbage
// collector frees when nobody takes them. Only the writer calls it.
func (f *outFree) drop() {
	for o := f.take(); o != nil; o = f.take() {
		o.release()
	}
}

// take is get without the pool: nil when the ring is empty.
func (f *outFree) take() *outMsg {
	for {
		h := f.head.Load()
		if h == f.tail.Load() {
			return nil
		}
		o := f.slots[h&f.mask].Load()
		if f.head.CompareAndSwap(h, h+1) {
			return o
		}
	}
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
// outMsg): its body and its tail (corr 0).
func (n *Node) encodeSend(to, from actor.Ref, msg any) (*outMsg, error) {
	return n.encodeSendFrom(nil, &to, &from, msg)
}

// encodeSendFrom is encodeSend with an outMsg from free, if not nil.
func (n *Node) encodeSendFrom(free *outFree, to, from *actor.Ref, msg any) (*outMsg, error) {
	name, err := n.nameOf(msg)
	if err != nil {
		return nil, err
	}
	var o *outMsg
	if free != nil {
		o = free.get()
	} else {
		o = outPool.Get().(*outMsg)
	}
	o.route, o.msg, o.kind = n.routeOf(to, from, name), msg, wire.Send
	b := o.buf[:0]
	o.body, o.lent = nil, nil // an outMsg from free may hold old ones (see settle)
	if p, ok := msg.([]byte); ok && len(p) >= refMin {
		o.body, b = p, wire.AppendBinHeader(b, len(p))
		o.lent = n.recycler.hold(p)
	} else if b, err = appendValue(b, name, msg); err != nil { // nameOf knew the type
		o.release()
		return nil, err
	}
	o.tailAt = int32(len(b))
	o.buf = wire.AppendUint(b, 0)
	o.size = o.route.headLen + len(o.buf) + len(o.body)
	return n.checkSize(o)
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
	o.route, o.msg, o.kind = &sendRoute{to: to, from: from}, msg, e.Kind
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
	o.tailAt = int32(len(b))
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
