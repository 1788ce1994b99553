package socket

import (
	"errors"
	"time"

	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// maxBatch bounds how many messages a writer appends before it flushes.
const maxBatch = 512

// writeLoop is a peer's writer goroutine: it owns the connection's
// writes, drains the peer's queue in batches (one flush per batch) and
// answers PINGs.
func (s *sock) writeLoop(p *peer) {
	defer s.wg.Done()
	err := s.write(p)
	if err != nil {
		_ = p.conn.Close()
	}
	close(p.wdone) // before reporting: a lingering teardown waits for it, not for the report
	s.report(peerExit{p: p, err: err})
}

// A batch counts the messages written since the last flush. They are
// counted as sent when appended, before any flush can put them on the
// wire (so a peer never sees a message the counters do not); if the
// connection fails before the batch is flushed, they move to
// DropDisconnected.
type batch struct {
	p *peer
	n int
}

func (s *sock) write(p *peer) error {
	b := batch{p: p}
	var tick <-chan time.Time
	if s.cfg.heartbeat > 0 {
		t := time.NewTicker(s.cfg.heartbeat)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case m := <-p.out:
			if err := s.writeMessage(&b, m); err != nil {
				return err
			}
		case ctx := <-p.pong:
			if err := p.conn.WritePong(ctx); err != nil {
				return s.lost(&b, err)
			}
		case <-tick:
			if err := p.conn.WritePing(s.cfg.heartbeatTTL, nil); err != nil {
				return s.lost(&b, err)
			}
		case <-p.stop:
			return nil
		case <-p.linger:
			return s.drainOut(&b)
		}
		if err := s.fill(&b); err != nil {
			return err
		}
		if err := s.flush(&b); err != nil {
			return err
		}
	}
}

// fill appends what is queued already, up to maxBatch messages.
func (s *sock) fill(b *batch) error {
	for b.n < maxBatch {
		select {
		case m := <-b.p.out:
			if err := s.writeMessage(b, m); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

// writeMessage appends m to the connection's buffer. A message the
// connection refuses (limits) is dropped; an I/O error ends the writer.
func (s *sock) writeMessage(b *batch, m Message) error {
	err := b.p.conn.WriteMessage(m.Frames...)
	switch {
	case err == nil:
		b.n++
		b.p.sent.Add(1)
		s.count.sent.Add(1)
		return nil
	case errors.Is(err, zmtp.ErrMessageTooLarge), errors.Is(err, zmtp.ErrTooManyFrames):
		s.drop(DropTooLarge, 1, "outbound message over the limit", "err", err)
		return nil
	case errors.Is(err, zmtp.ErrEmptyMessage):
		s.drop(DropInvalid, 1, "outbound message without frames")
		return nil
	}
	s.drop(DropDisconnected, 1, "message being written when the connection failed", "remote", b.p.remote)
	return s.lost(b, err)
}

// flush writes the batch out and tells the actor there may be room.
func (s *sock) flush(b *batch) error {
	if err := b.p.conn.Flush(); err != nil {
		return s.lost(b, err)
	}
	b.n = 0
	select {
	case s.room <- struct{}{}:
	default:
	}
	return nil
}

// lost recounts the messages of a batch that a failed write may not have
// delivered (a message whose own write failed was never counted).
func (s *sock) lost(b *batch, err error) error {
	if b.n > 0 {
		undo := ^uint64(b.n - 1) // adding it subtracts b.n
		b.p.sent.Add(undo)
		s.count.sent.Add(undo)
		s.drop(DropDisconnected, b.n, "messages unflushed when the connection failed",
			"remote", b.p.remote, "err", err)
	}
	b.n = 0
	return err
}

// drainOut writes everything still queued, for a lingering stop.
func (s *sock) drainOut(b *batch) error {
	for {
		if err := s.fill(b); err != nil {
			return err
		}
		if b.n == 0 {
			return nil
		}
		if err := s.flush(b); err != nil {
			return err
		}
	}
}
