package net

import (
	"bytes"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// ackEvery is how many SENDs the reader takes before it asks the writer
// for an ACK in the middle of a message (it asks after every message too).
const ackEvery = 1000

// nodeRetain is the largest read buffer a node connection keeps from one
// message to the next (zmtp.Message.Retain): a stream of big messages
// then reads each into the same buffer, without allocating, zeroing and
// growing one for each. Client connections keep the zmtp default.
const nodeRetain = 16 << 20

// detachMin is the smallest []byte body that is handed to its receiver
// inside the read buffer instead of copied out of it: the buffer is then
// detached from the connection (zmtp.Message.Detach), which reads the next
// message into a new one. Below this size a copy is cheaper than a new
// buffer for every message.
const detachMin = 512

// An inReader is the state of an inConn's reader goroutine: the message
// and envelope it decodes into, reused for every read.
type inReader struct {
	c      *inConn
	m      zmtp.Message
	e      wire.Envelope
	dec    wire.Decoder
	isNode bool     // the peer said HELLO
	peer   string   // its address
	seen   bool     // an envelope has been read (HELLO must come first)
	inSend bool     // the last envelope of this message was a SEND or NEXT: a NEXT may follow
	kept   bool     // a delivered body aliases m's buffer: detach it
	hdrs   [][]byte // the slice headers of kept bodies (see boxKept)
	memo   typeMemo
	route  route    // of the last SEND of this message
	pend   []any    // messages of route decoded and not delivered yet (see flush)
	lent   lentRing // big bodies lent to their receivers (see recycle.go)
	batch  *lentBuf // the buffer of this message's kept bodies, if lent as a batch (see lendBatch)
}

// A typeMemo is the last type name a reader looked up in its codec: a
// stream of one type then skips the look-up. The codec's tables are part
// of the key, so a registration made meanwhile is seen.
type typeMemo struct {
	tables     *codecTables
	name       string
	rt         regType
	registered bool
	values     valueArena // for small values of registered types
}

// decode decodes a body like Codec.DecodeBody, through the memo. A
// stream of one registered type with its own UnmarshalMsgpack goes
// straight to its decoder.
func (m *typeMemo) decode(c *Codec, name string, raw []byte) (any, error) {
	if m.rt.unmarshaler && sameString(name, m.name) && c.tables.Load() == m.tables {
		return decodeRegistered(m.rt, name, raw, nil, &m.values)
	}
	if v, ok, err := decodeBuiltinFast(name, raw); ok {
		return v, err
	}
	if t := c.tables.Load(); t != m.tables || name != m.name {
		m.rt, m.registered = t.byName[name]
		m.tables, m.name = t, name
	}
	return c.decodeAs(m.rt, m.registered, name, raw, &m.values)
}

// read is the reader goroutine: it delivers each SEND to its local
// target. Delivery may wait for room in a full Block mailbox: that is
// backpressure all the way to the sender. Bad input (undecodable
// envelopes, broken limits, protocol errors) closes the connection.
func (c *inConn) read() {
	defer c.n.wg.Done()
	defer close(c.readerDone)
	r := &inReader{c: c}
	for {
		err := c.conn.ReadMessage(&r.m)
		switch {
		case err != nil:
			err = readFailure(&c.stats, err)
		case !c.state.CompareAndSwap(readWaiting, readTaking):
			if r.farewell() { // stopped: discard until the PONG
				continue
			}
			return
		default:
			c.traffic.Add(1)
			err = r.message()
			c.state.Store(readWaiting)
			if c.stopping.Load() && c.state.CompareAndSwap(readWaiting, readStopped) {
				close(c.drained)
			}
		}
		if err != nil {
			c.n.log.Debug("net: inbound connection ends", "remote", c.conn.RemoteAddr().String(), "err", err)
			if errors.Is(err, ErrMalformed) || errors.Is(err, zmtp.ErrMalformed) ||
				errors.Is(err, zmtp.ErrMessageTooLarge) || errors.Is(err, zmtp.ErrTooManyFrames) {
				c.n.log.Warn("net: closing a connection for bad input", "remote", c.conn.RemoteAddr().String(), "err", err)
			}
			return
		}
	}
}

// farewell handles a message read after the reader stopped (see
// stopReading): it is not taken, so the peer dead-letters it. It reports
// whether to go on reading: false once the PONG that ends the farewell
// has come.
func (r *inReader) farewell() bool {
	return r.m.Kind != zmtp.KindCommand || r.m.Command.Name != zmtp.CmdPong
}

func (r *inReader) message() error {
	err := r.data()
	if r.batch != nil { // the batch's messages are all handed out: count them
		r.c.n.recycler.settle(r.batch)
		r.batch = nil
	}
	if r.kept {
		r.m.Detach()                // delivered bodies live in it: never read into it again
		r.kept, r.hdrs = false, nil // one array of headers per buffer
	}
	return err
}

// data handles a command or the envelopes of a data message.
func (r *inReader) data() error {
	c := r.c
	if r.m.Kind == zmtp.KindCommand {
		if r.m.Command.Name == zmtp.CmdPing {
			c.out.PostSystem(pongOp{ctx: bytes.Clone(r.m.Command.PingContext())})
			c.poke()
		}
		return nil
	}
	c.stats[cBatchIn].Add(1)
	frames := r.m.Frames
	if !r.isNode && len(frames) > 1 && len(frames[0]) == 0 {
		frames = frames[1:] // a REQ peer's delimiter (or a DEALER that imitates REQ)
		if !c.delimited.Load() {
			c.delimited.Store(true)
		}
	}
	r.inSend = false
	if r.isNode && len(frames) == 1 {
		// Wake the ACK writer before the delivery wakes the target: the
		// scheduler runs the goroutine woken last first, so the target
		// answers a request before the ACK is written, not after (p50 of
		// W5's request/reply: 75 → 68 µs). The poke below makes sure the
		// ACK counts this message even if the writer ran meanwhile.
		c.poke()
	}
	for _, f := range frames {
		c.stats[cBytesIn].Add(uint64(len(f)))
		if err := r.dec.Decode(f, &r.e); err != nil {
			r.flush()
			c.stats[cMalformed].Add(1)
			return err
		}
		if err := r.envelope(); err != nil {
			r.flush()
			return err
		}
	}
	r.flush()
	if r.isNode {
		c.poke() // ACK what this message brought
	}
	return nil
}

func (r *inReader) envelope() error {
	c, e := r.c, &r.e
	first := !r.seen
	r.seen = true
	switch e.Kind {
	case wire.Hello:
		if !first {
			c.stats[cMalformed].Add(1)
			return fmt.Errorf("%w: HELLO after the first envelope", ErrMalformed)
		}
		if e.Version != wire.Version {
			c.stats[cHandshake].Add(1)
			return fmt.Errorf("net: peer %s speaks protocol version %d, not %d", e.Node, e.Version, wire.Version)
		}
		r.isNode, r.peer = true, e.Node
		c.peerBeat.Store(int64(time.Duration(e.Beat) * time.Millisecond))
		r.m.Retain = nodeRetain
		r.m.Alloc = c.n.recycler.alloc
		c.node.Store(true)
		c.out.PostSystem(helloOp{})
		c.poke()
	case wire.Next:
		if !r.inSend {
			c.stats[cMalformed].Add(1)
			return fmt.Errorf("%w: NEXT without a SEND before it in the message", ErrMalformed)
		}
		fallthrough
	case wire.Send:
		if e.Kind == wire.Send { // a NEXT has the same parties
			r.flush()
			r.route = r.routeOf()
		}
		r.inSend = true
		c.stats[cEnvIn].Add(1)
		r.deliver()
		if taken := c.taken.Add(1); r.isNode && taken%ackEvery == 0 {
			c.poke()
		}
	case wire.Heartbeat:
		r.inSend = false
	default:
		c.stats[cMalformed].Add(1)
		return fmt.Errorf("%w: unexpected %v", ErrMalformed, e.Kind)
	}
	return nil
}

// A route is where a SEND goes and whom it comes from, worked out once
// for it and the NEXTs that repeat it.
type route struct {
	to, from actor.Ref
	ours     bool              // to is on this node (see target)
	reply    bool              // to is one of this node's reply refs
	batch    bool              // its messages may be delivered as a batch (see flush)
	dest     actor.Destination // to, resolved once for the SEND and its NEXTs
}

func (r *inReader) routeOf() route {
	n := r.c.n
	to, ours := r.target()
	rt := route{to: to, from: r.sender(), ours: ours, reply: actor.IsReplyRef(to) && to.Node == n.addr}
	if ours {
		rt.dest = n.sys.Destination(n.ctx, to)
	}
	// A failed delivery is answered to a client or a requester (see fail):
	// their messages go one by one.
	rt.batch = ours && !rt.reply && !IsClientRef(rt.from) && !actor.IsReplyRef(rt.from)
	return rt
}

// deliver decodes one SEND and hands it to its target, or keeps it to
// hand over with the rest of its run (see flush). Whatever cannot be
// delivered is dead-lettered (by the System, or here) and, if the sender
// waits for an answer, answered with an error.
func (r *inReader) deliver() {
	n, e, rt := r.c.n, &r.e, &r.route
	msg, err := r.decodeBody()
	if err != nil {
		r.flush()
		r.c.stats[cMalformed].Add(1)
		n.sys.DeadLetter(rt.to, rt.from, Unknown{Type: e.Type, Value: bytes.Clone(e.Body)}, actor.ReasonNotFound)
		r.fail(rt.from, wire.CodeMalformed, err.Error())
		return
	}
	msg = fillRefs(msg, r.defaultNode())
	switch {
	case rt.batch:
		r.pend = append(r.pend, msg)
		return
	case !rt.ours:
		r.c.stats[cUnknown].Add(1)
		n.sys.DeadLetter(rt.to, rt.from, msg, actor.ReasonNotFound)
		r.fail(rt.from, wire.CodeNotFound, fmt.Sprintf("net: %s is not node %s", rt.to.Node, n.addr))
		return
	case rt.reply:
		if m, ok := msg.(Error); ok { // a remote failure to answer a request
			if !n.sys.FailRequest(rt.to, wire.ErrorFromCode(m.Code, m.Text)) {
				n.sys.DeadLetter(rt.to, rt.from, msg, actor.ReasonLateReply)
			}
			return
		}
	}
	r.deliverOne(msg)
}

// flush delivers the messages of the route decoded so far: a run of them
// as one batch (actor.Destination.PostBatch), so that the reader and the
// actor, on two CPUs, meet at its mailbox once for the run, not once for
// each (in W5 that contention took a quarter of the receiving node's
// CPU). If the actor has no room for the whole run, or takes messages
// only one by one, they go one by one. The reader flushes before it
// delivers anything else, at a SEND to another route, and at the end of
// each ZMTP message.
func (r *inReader) flush() {
	switch len(r.pend) {
	case 0:
		return
	case 1:
		r.deliverOne(r.pend[0])
	default:
		if !r.route.dest.PostBatch(r.route.from, r.pend) {
			for _, msg := range r.pend {
				r.deliverOne(msg)
			}
		}
	}
	clear(r.pend)
	r.pend = r.pend[:0]
}

// deliverOne delivers msg to the route's target. Whatever cannot be
// delivered is dead-lettered by the System and, if the sender waits for
// an answer, answered with an error.
func (r *inReader) deliverOne(msg any) {
	rt := &r.route
	if err := rt.dest.Deliver(r.c.n.ctx, rt.from, msg); err != nil {
		if errors.Is(err, actor.ErrNotFound) && !actor.IsReplyRef(rt.to) {
			r.c.stats[cUnknown].Add(1)
		}
		r.fail(rt.from, wire.ErrorCode(err), err.Error())
	}
}

// decodeBody decodes the SEND's body. A big []byte body is not copied: it
// stays in the read buffer, which the message then gives away (r.kept).
func (r *inReader) decodeBody() (any, error) {
	e, codec := &r.e, r.c.n.cfg.codec
	// Hand the buffer over only when it is about the message's size: a
	// small body must not keep a large kept-over buffer alive.
	if len(e.Body) < detachMin || r.m.Retained() > 4*r.m.Size() {
		return r.memo.decode(codec, e.Type, e.Body)
	}
	msg, kept, err := codec.decodeBodyOwned(e.Type, e.Body)
	if kept == nil {
		return msg, err
	}
	r.kept = true
	if r.isNode {
		// Lent before the delivery, so that a Recycle at once finds it.
		if len(r.m.Frames) == 1 && len(kept) >= recycleMin {
			// Alone in its buffer: the buffer is recycled with it.
			r.c.n.recycler.lend(kept, r.m.Buffer(), &r.lent)
		} else if r.c.n.recycler.recycles.Load() && r.m.Retained() <= maxBatchBuffer {
			if r.batch == nil {
				r.batch = r.c.n.recycler.lendBatch(r.m.Buffer(), len(r.m.Frames))
			}
			r.batch.handOut(kept)
		}
	}
	return r.boxKept(kept), nil
}

// boxKept returns b, a body kept in the read buffer, in an interface. The
// slice headers that such interfaces point to are allocated together, one
// array for the frames of a message, instead of one allocation for each
// body: a header is never written again once handed out, so the array is
// only appended to, and it lives as long as a body of its buffer does
// (a new buffer gets a new array: see message).
func (r *inReader) boxKept(b []byte) any {
	if len(r.hdrs) == cap(r.hdrs) {
		r.hdrs = make([][]byte, 0, len(r.m.Frames))
	}
	r.hdrs = append(r.hdrs, b)
	var v any
	*(*eface)(unsafe.Pointer(&v)) = eface{typ: bytesType, data: unsafe.Pointer(&r.hdrs[len(r.hdrs)-1])}
	return v
}

// sender is the SEND's from: nodes leave their own address out; a foreign
// client's request (corr != 0) gets a client ref to answer to.
func (r *inReader) sender() actor.Ref {
	e := &r.e
	switch {
	case r.isNode:
		return withNode(e.From, r.peer)
	case e.Corr != 0:
		return actor.Ref{Node: r.c.client, ID: e.Corr}
	}
	return e.From
}

// target is the SEND's to, with this node's address filled in; ours is
// false for a ref of another node (nodes do not relay), except a client
// ref, which goes to the node that holds the client.
func (r *inReader) target() (to actor.Ref, ours bool) {
	to = r.e.To
	switch {
	case r.c.n.isSelf(to.Node):
		to.Node = r.c.n.addr
		return to, true
	case IsClientRef(to):
		return to, true
	}
	return to, false
}

// defaultNode is the node of refs without one inside control messages:
// the sending node, or this one for a foreign client.
func (r *inReader) defaultNode() string {
	if r.isNode {
		return r.peer
	}
	return r.c.n.addr
}

// fail answers a request that could not be delivered: an ERROR to a
// client, a troupe.Error to a waiting request on another node.
func (r *inReader) fail(from actor.Ref, code uint64, text string) {
	if !IsClientRef(from) && !actor.IsReplyRef(from) {
		return // nobody waits
	}
	n := r.c.n
	if err := n.sys.Deliver(n.ctx, from, n.self, Error{Code: code, Text: text}); err != nil {
		n.log.Debug("net: cannot report a failed delivery", "to", from, "err", err)
	}
}
