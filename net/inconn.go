package net

import (
	"sync/atomic"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// An inConn is a connection accepted on one of the node's endpoints: the
// outbound link of another node (it starts with HELLO) or a foreign
// client. Its reader goroutine (read, in inread.go) decodes and delivers;
// its writer goroutine (write) answers: HELLO, ACKs and heartbeats to a
// node, REPLY and ERROR envelopes to a client, PONGs to both. The reader
// hands over to the writer through atomics (taken, traffic) and the
// system lane of the out queue; the writer owns everything else.
type inConn struct {
	n          *Node
	id         uint64
	conn       *zmtp.Conn
	client     string          // the Node of client refs for this connection
	out        mailbox.Mailbox // REPLY and ERROR envelopes; system lane: helloOp, pongOp
	wake       chan struct{}   // capacity 1
	drained    chan struct{}   // closed when the node closes and taken is final (see stopReading)
	readerDone chan struct{}   // closed when read returns
	stats      counters

	taken     atomic.Uint64 // SENDs taken off the connection: delivered or dead-lettered
	traffic   atomic.Uint64 // messages read
	stopping  atomic.Bool   // set by stopReading
	node      atomic.Bool   // the peer said HELLO
	state     atomic.Int32  // readWaiting, readTaking or readStopped
	delimited atomic.Bool   // replies start with an empty frame (REQ peers)
	peerBeat  atomic.Int64  // the peer's heartbeat interval (a time.Duration) from its HELLO

	// Owned by the writer.
	isNode      bool
	acked       uint64
	lastTraffic uint64
	missed      int
	wrote       bool
	dirty       bool
	err         error
	ackBuf      []byte
}

type (
	helloOp struct{}             // the peer is a node: answer its HELLO
	pongOp  struct{ ctx []byte } // answer a ZMTP PING
)

func newInConn(n *Node, id uint64, c *zmtp.Conn) *inConn {
	ic := &inConn{
		n:          n,
		id:         id,
		conn:       c,
		client:     clientNode(n.addr, id),
		wake:       make(chan struct{}, 1),
		drained:    make(chan struct{}),
		readerDone: make(chan struct{}),
	}
	ic.delimited.Store(c.PeerSocketType() == zmtp.Req)
	ic.out.Init(ic, mailbox.WithCapacity(n.cfg.replyCap), mailbox.WithPolicy(n.cfg.queuePolicy))
	return ic
}

func (c *inConn) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// States of an inConn's reader.
const (
	readWaiting int32 = iota // in ReadMessage, or about to be: taking nothing
	readTaking               // delivering the SENDs of a message
	readStopped              // the node closes: the reader takes nothing more
)

// stopReading makes the reader stop taking messages, after the one it is
// handling if any. A client's connection is cut at once; a node's ends
// with a farewell: once nothing more will be taken (whoever of this
// goroutine and the reader moves the state from readWaiting to
// readStopped closes drained), the writer sends the final ACK and a PING,
// and the reader waits for the PONG. The peer's reader sends that PONG
// after it has read the ACK, so closing then loses nothing: closing while
// the peer still sends resets the connection, and a reset may discard
// what the peer has received but not read. Interrupting the reader
// instead (a read deadline) could cut a message in half. The farewell is
// bounded by heartbeat interval × liveness, and by Close's linger.
func (c *inConn) stopReading() {
	c.stopping.Store(true)
	if !c.node.Load() {
		_ = c.conn.SetReadDeadline(time.Now())
		return
	}
	cfg := c.n.cfg
	_ = c.conn.SetReadDeadline(time.Now().Add(cfg.interval * time.Duration(cfg.liveness)))
	if c.state.CompareAndSwap(readWaiting, readStopped) {
		close(c.drained)
	}
}

// farewellPing is the context of the PING that follows the last ACK.
var farewellPing = []byte("bye")

// Dropped dead-letters the replies the out queue discards.
func (c *inConn) Dropped(msg any, why mailbox.DropReason) {
	o, ok := msg.(*outMsg)
	if !ok {
		return
	}
	reason := actor.ReasonDropped
	if why == mailbox.DroppedClosed {
		reason = actor.ReasonRemote
		c.stats[cRemoteDead].Add(1)
	} else {
		c.stats[cDropped].Add(1)
	}
	c.n.sys.DeadLetter(o.route.to, o.route.from, o.msg, reason)
	o.release()
}

// write is the writer goroutine.
func (c *inConn) write() {
	defer c.n.wg.Done()
	defer c.finish()
	t := time.NewTicker(c.n.cfg.interval)
	defer t.Stop()
	drained := c.drained
	for c.err == nil {
		c.out.DrainSystem(c.op)
		c.ack()
		c.flushIfDirty()
		select {
		case v := <-c.out.C():
			c.writeReplies(v.(*outMsg))
		case <-c.wake:
		case <-t.C:
			c.tick()
		case <-drained:
			drained = nil
			c.farewell()
		case <-c.readerDone:
			c.out.DrainSystem(c.op)
			c.ack()
			c.flushIfDirty()
			return
		}
	}
}

// farewell writes the last ACK, then a PING whose PONG will show that the
// peer has read it (see stopReading).
func (c *inConn) farewell() {
	c.ack()
	if c.isNode && c.err == nil {
		c.err = c.conn.WritePing(0, farewellPing)
		c.dirty = true
	}
}

// finish closes the connection, joins the reader, dead-letters the
// replies left, and tells the manager.
func (c *inConn) finish() {
	_ = c.conn.Close()
	<-c.readerDone
	c.out.Close()
	c.out.DrainSystem(func(any) {})
	select {
	case c.n.gone <- c:
	case <-c.n.mgrDone:
	}
}

func (c *inConn) op(v any) {
	switch op := v.(type) {
	case helloOp:
		c.isNode = true
		hello := wire.Envelope{Kind: wire.Hello, Node: c.n.addr, Epoch: c.n.epoch, Version: wire.Version, Beat: c.n.cfg.beatMillis()}
		c.writeFrames(wire.Append(nil, &hello))
		c.dirty = true
	case pongOp:
		if c.err == nil {
			c.err = c.conn.WritePong(op.ctx)
		}
		c.dirty, c.wrote = true, true
	}
}

// ack acknowledges the SENDs taken since the last ACK (nodes only).
func (c *inConn) ack() {
	if !c.isNode {
		return
	}
	if taken := c.taken.Load(); taken != c.acked {
		c.acked = taken
		c.ackBuf = wire.Append(c.ackBuf[:0], &wire.Envelope{Kind: wire.Ack, Count: taken})
		c.writeFrames(c.ackBuf)
		c.dirty = true
	}
}

func (c *inConn) writeFrames(frames ...[]byte) {
	if c.err == nil {
		c.err = c.conn.WriteMessage(frames...)
	}
	c.wrote = true
}

func (c *inConn) flushIfDirty() {
	if c.dirty && c.err == nil {
		c.err = c.conn.Flush()
		c.stats[cFlushes].Add(1)
	}
	c.dirty = false
}

// writeReplies writes o and the replies queued behind it, up to the batch
// limit, one message each (clients expect one envelope per message).
func (c *inConn) writeReplies(o *outMsg) {
	for i := 1; o != nil; i++ {
		if c.delimited.Load() {
			c.writeFrames(nil, o.buf)
		} else {
			c.writeFrames(o.buf)
		}
		c.stats[cEnvOut].Add(1)
		c.stats[cBatchOut].Add(1)
		c.stats[cBytesOut].Add(uint64(len(o.buf)))
		o.release()
		o = nil
		if i < c.n.cfg.batchLimit {
			select {
			case v := <-c.out.C():
				o = v.(*outMsg)
			default:
			}
		}
	}
	c.dirty = true
}

// tick runs every heartbeat interval on node connections: a peer silent
// for interval × liveness (while the reader waits for it) is cut off, and
// an idle connection gets a HEARTBEAT with an ACK.
func (c *inConn) tick() {
	if !c.isNode {
		return
	}
	cfg := c.n.cfg
	if t := c.traffic.Load(); t != c.lastTraffic || c.state.Load() != readWaiting {
		c.lastTraffic, c.missed = t, 0
	} else if c.missed++; c.missed >= cfg.silentLimit(time.Duration(c.peerBeat.Load())) {
		c.stats[cIdle].Add(1)
		c.n.log.Info("net: closing a silent connection", "remote", c.conn.RemoteAddr().String())
		_ = c.conn.Close()
		return
	}
	if !c.wrote {
		c.acked = c.taken.Load()
		c.ackBuf = wire.Append(c.ackBuf[:0], &wire.Envelope{Kind: wire.Ack, Count: c.acked})
		c.writeFrames(heartbeat)
		c.writeFrames(c.ackBuf)
		c.dirty = true
		c.flushIfDirty()
	}
	c.wrote = false
}
