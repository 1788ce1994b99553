package net

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// A link carries this node's messages to one other node. One goroutine,
// run, owns it: it dials, says HELLO, writes what the queue holds, keeps
// the books (unacknowledged SENDs, watches of the peer's actors, requests
// waiting on it) and redials with backoff when the connection is lost.
// A reader goroutine per connection (see session.read) reads the peer's
// ACKs and heartbeats and hands them over through atomics and the system
// lane of the queue.
//
// Its queues: sends holds the encoded SENDs of Transport.Send (bounded:
// the link's high-water mark and policy; see outQueue); the system lane
// of the mailbox q, which never blocks, holds control envelopes and
// operations (watchOp, exitOp…) that must not be dropped (its user lane
// is not used).
type link struct {
	n        *Node
	addr     string
	q        mailbox.Mailbox
	sends    outQueue
	wake     chan struct{} // capacity 1: "look at the system lane and the acks"
	stop     chan struct{} // closed by Node.Close
	conn     atomic.Pointer[zmtp.Conn]
	finished atomic.Bool
	stats    counters
	writer   atomic.Int32 // who owns the session: see lend.go
	wantBack atomic.Bool  // the link's goroutine waits for its lent session
	lent     *session     // the session lent, while writer is not ownLink

	// Owned by run.
	isUp      bool // NodeUp published, NodeDown due when lost
	everUp    bool
	epoch     uint64
	lastDown  error
	failures  int                    // dial failures in a row
	downSince time.Time              // when the link last lost, or failed to make, a connection
	watches   map[watchKey]actor.Ref // local watcher × remote target → the target as watched
	pending   map[actor.Ref]struct{} // reply refs of requests written to the peer
	held      []*outMsg              // control envelopes waiting for a connection
}

// A watchKey identifies a watch of a remote actor: the node is implied
// by the link (the peer may know itself by another address).
type watchKey struct {
	watcher actor.Ref
	name    string
	id      uint64
}

func keyOf(watcher, target actor.Ref) watchKey {
	return watchKey{watcher: watcher, name: target.Name, id: target.ID}
}

func newLink(n *Node, addr string) *link {
	l := &link{
		n:       n,
		addr:    addr,
		wake:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		watches: map[watchKey]actor.Ref{},
		pending: map[actor.Ref]struct{}{},
	}
	l.lastDown = fmt.Errorf("net: node %s: %w: not connected yet", addr, ErrNodeDown)
	l.q.Init(l, mailbox.WithCapacity(1))
	l.sends.init(n.cfg.queueCap, n.cfg.queuePolicy, l.kick, l.dropped)
	l.sends.free.init(n.cfg.queueCap + n.cfg.batchLimit) // as many as the queue and a batch use
	return l
}

func (l *link) run() {
	defer l.n.wg.Done()
	expired := l.loop()
	l.finish(expired)
	if expired {
		l.n.dropLink(l)
		l.n.sys.PublishEvent(TopicNodeGone, NodeGone{Node: l.addr, Reason: l.lastDown})
	}
}

// loop connects, serves and redials until the link stops; it reports
// whether it stopped because the peer stayed unreachable too long.
func (l *link) loop() (expired bool) {
	wait := backoff{initial: l.n.cfg.reconnectInit, max: l.n.cfg.reconnectMax}
	l.downSince = time.Now()
	for !l.stopping() || !l.idle() {
		s, err := l.connect()
		if err != nil {
			l.unreachable(err)
		} else {
			wait.reset()
			l.lost(s, l.serve(s))
			l.downSince = time.Now()
		}
		if l.expired() {
			return true
		}
		if !l.pause(wait.next()) {
			return false
		}
	}
	return false
}

// expired reports whether the peer has been unreachable for the link
// expiry; it says so in the log, with what the link holds still.
func (l *link) expired() bool {
	d := l.n.cfg.linkExpiry
	if d <= 0 || l.stopping() || time.Since(l.downSince) < d {
		return false
	}
	l.n.log.Info("net: giving up on an unreachable node", "node", l.addr, "unreachable for", d,
		"queued", l.sends.Len(), "err", l.lastDown)
	return true
}

// backoff is the wait between dials: initial, doubling up to max.
type backoff struct {
	initial, max, last time.Duration
}

func (b *backoff) reset() { b.last = 0 }

func (b *backoff) next() time.Duration {
	b.last = min(max(2*b.last, b.initial), b.max)
	return b.last
}

// stopping reports whether Close has begun. The link then delivers what
// it holds, until that is done or the node's linger time is over
// (linkCtx).
func (l *link) stopping() bool {
	select {
	case <-l.stop:
		return true
	default:
		return false
	}
}

// idle reports whether the link holds nothing to deliver.
func (l *link) idle() bool { return l.sends.Len() == 0 && len(l.held) == 0 && !l.q.HasSystem() }

// pause waits d before the next dial, handling operations meanwhile. It
// reports false if the link is to stop: Close began and the link is
// idle, or the linger time is over.
func (l *link) pause(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	stop := l.stop
	for {
		_ = l.drainOps(nil)
		l.sends.evictDue()
		select {
		case <-t.C:
			return true
		case <-l.wake:
		case <-stop:
			if l.idle() {
				return false
			}
			stop = nil // keep trying until the linger time is over
		case <-l.n.linkCtx.Done():
			return false
		}
	}
}

// poke wakes the link's goroutine.
func (l *link) poke() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// connect dials the peer and exchanges HELLOs.
func (l *link) connect() (*session, error) {
	c, err := zmtp.Dial(l.n.linkCtx, l.addr, l.n.dialOpts...)
	if err != nil {
		if errors.Is(err, zmtp.ErrHandshake) {
			l.stats[cHandshake].Add(1)
		}
		return nil, err
	}
	peer, err := l.hello(c)
	if err != nil {
		_ = c.Close()
		l.stats[cHandshake].Add(1)
		return nil, fmt.Errorf("net: HELLO with %s: %w", l.addr, err)
	}
	s := newSession(l, c, peer)
	l.conn.Store(c)
	go s.read() // joined by lost
	return s, nil
}

// hello sends this node's HELLO and reads the peer's, within the HELLO
// timeout or until the node closes.
func (l *link) hello(c *zmtp.Conn) (wire.Envelope, error) {
	var e wire.Envelope
	stop := context.AfterFunc(l.n.linkCtx, func() { _ = c.Close() })
	defer stop()
	hello := wire.Envelope{Kind: wire.Hello, Node: l.n.addr, Epoch: l.n.epoch, Version: wire.Version, Beat: l.n.cfg.beatMillis()}
	if err := c.WriteMessage(wire.Append(nil, &hello)); err != nil {
		return e, err
	}
	if err := c.Flush(); err != nil {
		return e, err
	}
	if err := c.SetReadDeadline(time.Now().Add(l.n.cfg.helloTimeout())); err != nil {
		return e, err
	}
	var m zmtp.Message
	for m.Kind = zmtp.KindCommand; m.Kind == zmtp.KindCommand; { // skip commands until the deadline
		if err := c.ReadMessage(&m); err != nil {
			return e, err
		}
	}
	var d wire.Decoder
	switch {
	case len(m.Frames) != 1:
		return e, fmt.Errorf("%w: answer to HELLO has %d frames", ErrMalformed, len(m.Frames))
	case d.Decode(m.Frames[0], &e) != nil || e.Kind != wire.Hello:
		return e, fmt.Errorf("%w: answer to HELLO is not a HELLO", ErrMalformed)
	case e.Version != wire.Version:
		return e, fmt.Errorf("net: peer speaks protocol version %d, not %d", e.Version, wire.Version)
	}
	return e, c.SetReadDeadline(time.Time{})
}

// unreachable notes a failed dial.
func (l *link) unreachable(err error) {
	l.failures++
	l.lastDown = fmt.Errorf("net: node %s: %w: %w", l.addr, ErrNodeDown, err)
	if l.failures == 1 {
		l.n.log.Info("net: cannot reach node", "node", l.addr, "err", err)
	} else {
		l.n.log.Debug("net: cannot reach node", "node", l.addr, "err", err, "attempts", l.failures)
	}
}

// up notes a new connection: NodeUp, and the peer's other name if any.
func (l *link) up(s *session) {
	if l.everUp {
		l.stats[cReconnects].Add(1)
	}
	if l.epoch != 0 && s.epoch != l.epoch {
		l.n.log.Info("net: node restarted", "node", l.addr, "epoch", s.epoch)
	}
	l.isUp, l.everUp, l.epoch, l.failures = true, true, s.epoch, 0
	if s.peer != l.addr && s.peer != "" {
		l.n.alias(s.peer, l)
	}
	l.n.log.Debug("net: node up", "node", l.addr, "epoch", s.epoch)
	l.n.sys.PublishEvent(TopicNodeUp, NodeUp{Node: l.addr, Epoch: s.epoch})
}

// lost ends a session: what the peer has not acknowledged is
// dead-lettered, then the peer is down.
func (l *link) lost(s *session, cause error) {
	if s.err != nil { // a write failed: let the reader take the ACKs still in the socket, or a
		// message the peer took would be dead-lettered too
		_ = s.conn.SetReadDeadline(time.Now().Add(l.n.cfg.interval))
		<-s.readerDone
	}
	_ = s.conn.Close()
	<-s.readerDone
	l.conn.Store(nil)
	_ = s.applyAcks()
	if n := s.unacked.len(); n > 0 {
		s.unacked.drain(func(r record) { l.n.sys.DeadLetter(r.route.to, r.route.from, r.msg, actor.ReasonRemote) })
		l.stats[cRemoteDead].Add(uint64(n))
		l.n.log.Warn("net: messages lost with a link", "node", l.addr, "unacknowledged", n, "err", cause)
	}
	closing := l.stopping()
	if closing {
		cause = fmt.Errorf("%w: %w", ErrClosed, cause)
	}
	l.down(fmt.Errorf("net: node %s: %w: %w", l.addr, ErrNodeDown, cause), !closing)
}

// down fails the requests waiting on the peer and tells the watchers of
// its actors; NodeDown is published unless this node is closing.
func (l *link) down(reason error, publish bool) {
	l.lastDown = reason
	publish = publish && l.isUp
	l.isUp = false
	if publish {
		l.stats[cDowns].Add(1)
	}
	for ref := range l.pending {
		l.n.sys.FailRequest(ref, reason)
	}
	clear(l.pending)
	for k, target := range l.watches {
		l.n.sys.Notify(k.watcher, actor.Terminated{Ref: target, Reason: reason})
	}
	clear(l.watches)
	if publish {
		l.n.log.Warn("net: node down", "node", l.addr, "reason", reason)
		l.n.sys.PublishEvent(TopicNodeDown, NodeDown{Node: l.addr, Reason: reason})
	}
}

// finish disposes of what the link still holds when it stops.
func (l *link) finish(expired bool) {
	reason := fmt.Errorf("net: node %s: %w: %w", l.addr, ErrNodeDown, ErrClosed)
	if expired {
		reason = fmt.Errorf("net: node %s: %w: unreachable for %v: %w", l.addr, ErrNodeDown, l.n.cfg.linkExpiry, l.lastDown)
		l.lastDown = reason // for the operations orphaned below
	}
	l.finished.Store(true)
	l.sends.Close() // dead-letters the queue through dropped
	l.q.Close()
	l.q.DrainSystem(l.orphan)
	for _, o := range l.held {
		l.lose(o)
	}
	l.held = nil
	l.down(reason, false)
}

func (l *link) prunePending() {
	for ref := range l.pending {
		if !l.n.sys.Waiting(ref) {
			delete(l.pending, ref)
		}
	}
}
