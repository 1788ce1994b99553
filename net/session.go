package net

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// In-flight window of a link connection: the writer stops taking SENDs
// from the queue while this many (or this many bytes) are unacknowledged,
// so the records kept for dead-lettering stay bounded and the queue's
// policy applies when the peer falls behind. The peer acknowledges after
// every message it reads, so the window only closes on a slow peer.
const (
	maxInFlight      = 8192
	maxInFlightBytes = 64 << 20
)

var heartbeat = wire.Append(nil, &wire.Envelope{Kind: wire.Heartbeat})

// A session is one connection of a link, from HELLO to its loss. The
// link's goroutine writes; the session's reader goroutine reads.
type session struct {
	l          *link
	conn       *zmtp.Conn
	peer       string // the address the peer announced in HELLO
	epoch      uint64
	peerBeat   time.Duration // the peer's heartbeat interval, from its HELLO (0: not told)
	readerDone chan struct{} // closed when read returns; readErr is set then
	readErr    error
	acked      atomic.Uint64 // the peer's cumulative ACK count, stored by the reader
	waitAcks   atomic.Bool   // the link's goroutine waits on ACKs: the reader wakes it for each
	traffic    atomic.Uint64 // messages read, counted by the reader

	// Owned by the link's goroutine.
	sent, applied uint64 // SENDs written, and acknowledged
	unacked       ring
	inFlight      int // bytes of the unacknowledged SENDs
	lastTraffic   uint64
	missed        int  // heartbeat intervals without traffic
	wrote         bool // something was written since the last tick
	dirty         bool // a command was written and not flushed
	unflushed     int  // envelopes written since the last flush
	frames        []zmtp.Frame
	batch         []*outMsg
	first         *outMsg // the SEND that the batch's NEXTs repeat, if any
	heads         []byte  // the heads of the batch's full SENDs
	size          int     // bytes in frames
	err           error   // the first write error; the session is over
}

func newSession(l *link, c *zmtp.Conn, hello wire.Envelope) *session {
	return &session{l: l, conn: c, peer: hello.Node, epoch: hello.Epoch,
		peerBeat: time.Duration(hello.Beat) * time.Millisecond, readerDone: make(chan struct{})}
}

// serve writes on the session until it fails, the peer falls silent, or
// the link stops (then it drains first).
func (l *link) serve(s *session) error {
	l.up(s)
	held := l.held
	l.held = nil
	for _, o := range held {
		s.add(o)
	}
	t := time.NewTicker(l.n.cfg.interval)
	defer t.Stop()
	for {
		if err := l.drainOps(s); err != nil {
			return err
		}
		open, err := s.waitInput()
		if err != nil {
			return err
		}
		if open {
			if o := l.sends.pop(); o != nil {
				if err := s.writeFrom(o); err != nil {
					return err
				}
				if err := s.poll(t); err != nil {
					return err
				}
				continue
			}
		}
		if testHookIdle != nil {
			testHookIdle()
		}
		if open && !l.sends.sleep() {
			continue // a SEND came after the pop: its sender may not wake us
		}
		err = s.wait(t, open)
		l.sends.awake()
		if err != nil {
			return err
		}
	}
}

// testHookIdle, if set, runs when the link's goroutine found the queue
// empty and is about to wait: tests widen the window in which a SEND can
// come unnoticed.
var testHookIdle func()

// wait waits for something to do: a wake-up (a SEND, an operation, an
// ACK), a heartbeat tick, the end of the reader, or the link's stop (then
// it drains and returns the session's end). While it waits with the
// in-flight window open, it lends the session to its senders (see
// lend.go).
func (s *session) wait(t *time.Ticker, open bool) error {
	if !open {
		return s.handle(t, s.l.wake)
	}
	s.l.lend(s)
	ev := s.next(t, s.l.wake)
	s.l.takeBack()
	return s.on(ev)
}

// poll is wait without waiting, for a goroutine that has more to write:
// a stream of SENDs does not starve the heartbeat, the reader's end or
// the link's stop (a ready one is taken at least half the time).
func (s *session) poll(t *time.Ticker) error { return s.handle(t, ready) }

// handle handles the first of the session's events to come, or returns
// when wake is ready.
func (s *session) handle(t *time.Ticker, wake <-chan struct{}) error {
	return s.on(s.next(t, wake))
}

// The events a session's goroutine waits for.
type event int

const (
	evWake event = iota
	evTick
	evReaderDone
	evStop
)

// next waits for the first of the session's events, or for wake.
func (s *session) next(t *time.Ticker, wake <-chan struct{}) event {
	select {
	case <-wake:
		return evWake
	case <-t.C:
		return evTick
	case <-s.readerDone:
		return evReaderDone
	case <-s.l.stop:
		return evStop
	}
}

// on handles an event.
func (s *session) on(ev event) error {
	switch ev {
	case evTick:
		return s.tick()
	case evReaderDone:
		return s.readErr
	case evStop:
		return s.drain()
	}
	return nil
}

// ready is a channel that is always ready to receive from.
var ready = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// isDone reports whether ch is closed.
func isDone(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// waitInput applies the ACKs read so far and reports whether the
// in-flight window is open (see open). When it is closed, the reader is
// asked to wake the link's goroutine for each ACK; otherwise ACKs wait
// for the next round of writing, and a request/reply exchange does not
// wake the link for the ACK of each request. The flag is set before the
// ACK count is read, so an ACK stored meanwhile is either seen here or
// wakes the link.
func (s *session) waitInput() (bool, error) {
	s.waitAcks.Store(!s.open())
	if err := s.applyAcks(); err != nil {
		return false, err
	}
	return s.open(), nil
}

// open reports whether the in-flight window lets the writer take more
// SENDs from the queue.
func (s *session) open() bool {
	return s.unacked.len() < maxInFlight && s.inFlight < maxInFlightBytes
}

// writeFrom writes o and whatever else the queue holds, up to the batch
// limit, and flushes when the queue is empty, the limit is reached or the
// window closes: one system call for many envelopes.
func (s *session) writeFrom(o *outMsg) error {
	limit := s.l.n.cfg.batchLimit
	i := 1
	for ; ; i++ {
		s.addSend(o)
		if i >= limit || !s.open() {
			break
		}
		if o = s.l.sends.popSoon(); o == nil {
			break
		}
	}
	s.emit()
	s.l.sends.done(i)
	if s.l.sends.Len() == 0 || s.unflushed >= limit || !s.open() {
		s.flush()
	}
	return s.err
}

// addSend adds a SEND taken from the queue, after the system lane's
// operations if any wait: an operation queued before the SEND (a WATCH
// before a remote stop, from the same goroutine or causally before) is
// then written first. The SEND was seen in its slot, so everything
// queued before it is seen in the lane.
func (s *session) addSend(o *outMsg) {
	if s.l.q.HasSystem() {
		s.l.q.DrainSystem(func(v any) { s.l.op(s, v) })
	}
	s.add(o)
}

// add puts o into the multipart message being built, writing the message
// out first if o would break its frame or size limit. A SEND like the
// last full one in the message (same target, sender, type) goes as a
// NEXT, its body only; the head of a full SEND is encoded here, into
// heads.
func (s *session) add(o *outMsg) {
	cfg := s.l.n.cfg
	next := s.first != nil && o.sameSend(s.first)
	size := o.size
	if next {
		size = o.nextSize()
	}
	if len(s.frames) > 0 && (len(s.frames) >= cfg.maxBatch || s.size+size > cfg.maxMessageSize) {
		s.emit()
		next, size = false, o.size
	}
	s.frames = append(s.frames, zmtp.Frame{})
	frame := &s.frames[len(s.frames)-1]
	switch {
	case next:
		s.heads = o.nextFrame(frame, s.heads)
	case o.kind == wire.Send:
		at := len(s.heads)
		s.heads = o.appendHead(s.heads, s.l.n.addr)
		s.first = o
		o.sendFrame(frame, s.heads[at:len(s.heads):len(s.heads)])
	default:
		s.first = nil
		o.frame(frame)
	}
	s.batch = append(s.batch, o)
	s.size += size
}

// emit writes the message being built into the connection's buffer. Its
// SENDs are numbered and kept until acknowledged, even if the write
// fails: then they are dead-lettered with the others.
func (s *session) emit() {
	if len(s.batch) == 0 {
		return
	}
	for _, o := range s.batch {
		s.track(o)
	}
	if s.err == nil {
		if err := s.conn.WriteFrames(s.frames...); err != nil {
			s.err = fmt.Errorf("net: write to %s: %w", s.l.addr, err)
		}
	}
	st := &s.l.stats
	st[cEnvOut].Add(uint64(len(s.batch)))
	st[cBatchOut].Add(1)
	st[cBytesOut].Add(uint64(s.size))
	s.unflushed += len(s.batch)
	s.wrote = true
	s.recycle()
	s.batch, s.frames, s.size, s.first, s.heads = s.batch[:0], s.frames[:0], 0, nil, s.heads[:0]
}

// recycle gives the batch's outMsgs back to the link's senders (see
// outFree). The slices keep their stale entries, which the next batch
// overwrites, except the senders' bodies, which must not be kept alive.
func (s *session) recycle() {
	for i, o := range s.batch {
		o.settle()
		if s.frames[i].Body != nil {
			s.frames[i].Body = nil
		}
	}
	s.l.sends.free.put(s.batch)
}

func (s *session) track(o *outMsg) {
	s.sent++
	s.unacked.push(record{route: o.route, msg: o.msg, lent: o.lent}, o.size)
	s.inFlight += o.size
	if o.route.pending {
		s.l.pending[o.route.from] = struct{}{}
	}
}

func (s *session) flush() {
	if s.err == nil {
		if err := s.conn.Flush(); err != nil {
			s.err = fmt.Errorf("net: write to %s: %w", s.l.addr, err)
		}
	}
	s.l.stats[cFlushes].Add(1)
	s.unflushed, s.dirty = 0, false
}

func (s *session) pong(ctx []byte) {
	if s.err == nil {
		if err := s.conn.WritePong(ctx); err != nil {
			s.err = fmt.Errorf("net: write to %s: %w", s.l.addr, err)
		}
	}
	s.dirty, s.wrote = true, true
}

// applyAcks releases the SENDs the peer has acknowledged.
func (s *session) applyAcks() error {
	a := s.acked.Load()
	if a > s.sent {
		s.l.stats[cMalformed].Add(1)
		return fmt.Errorf("%w: %s acknowledged %d SENDs, %d were sent", ErrMalformed, s.peer, a, s.sent)
	}
	if a > s.applied {
		s.inFlight -= s.unacked.release(int(a-s.applied), s.l.n.recycler.release)
		s.applied = a
	}
	return nil
}

// tick runs every heartbeat interval: liveness, heartbeat, and the
// forgetting of requests that are over.
func (s *session) tick() error {
	cfg := s.l.n.cfg
	if t := s.traffic.Load(); t != s.lastTraffic {
		s.lastTraffic, s.missed = t, 0
	} else if s.missed++; s.missed >= cfg.silentLimit(s.peerBeat) {
		return fmt.Errorf("silent for %v (heartbeat %v, the peer's %v, × %d)",
			cfg.interval*time.Duration(s.missed), cfg.interval, s.peerBeat, cfg.liveness)
	}
	if !s.wrote {
		s.l.sends.free.drop() // idle: the pool lets the collector have them
	}
	if !s.wrote && s.err == nil {
		if err := s.conn.WriteMessage(heartbeat); err != nil {
			s.err = fmt.Errorf("net: write to %s: %w", s.l.addr, err)
		}
		s.flush()
	}
	s.wrote = false
	s.l.prunePending()
	return s.err
}

// drain writes what the queue still holds and waits for the peer to
// acknowledge everything, until the node's linger time is over (then the
// connection is closed, which ends the wait).
func (s *session) drain() error {
	stop := context.AfterFunc(s.l.n.linkCtx, func() { _ = s.conn.Close() })
	defer stop()
	s.waitAcks.Store(true) // the end of the drain is the last ACK
	for {
		if err := s.l.drainOps(s); err != nil {
			return err
		}
		if err := s.applyAcks(); err != nil {
			return err
		}
		if s.unacked.len() == 0 && s.l.sends.Len() == 0 {
			return ErrClosed
		}
		if s.open() {
			if o := s.l.sends.pop(); o != nil {
				if err := s.writeFrom(o); err != nil {
					return err
				}
				continue
			}
		}
		if s.open() && !s.l.sends.sleep() {
			continue // a SEND came after the pop: its sender may not wake us
		}
		select {
		case <-s.l.wake:
		case <-s.readerDone:
		}
		s.l.sends.awake()
		if isDone(s.readerDone) {
			return s.readErr
		}
	}
}
