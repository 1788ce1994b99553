package socket

import (
	"time"

	"github.com/troupe-go/troupe/actor"
)

// teardown runs when the socket actor stops: it stops accepting, takes
// what is left in its mailbox, lets the writers drain their queues for
// up to the linger time, closes every connection, waits for every
// goroutine it started, and counts what could not be sent.
func (s *sock) teardown(p *actor.Process, inbox <-chan any) {
	s.closeListeners()
	s.drainInbox(p, inbox)
	s.dispatch()
	s.linger()
	s.cancel()
	for _, pr := range s.peers {
		s.closePeer(pr, nil)
	}
	for pr := range s.dying {
		_ = pr.conn.Close() // closed already; idempotent
	}
	s.wg.Wait()
	s.discard()
	st := s.stats()
	s.log.Debug("socket: closed", "sent", st.Sent, "received", st.Received, "dropped", st.Dropped.Total())
}

// drainInbox handles the messages already in the mailbox, so that a
// graceful stop sends them too. It is bounded: senders still blocked on
// a full mailbox may keep it busy.
func (s *sock) drainInbox(p *actor.Process, inbox <-chan any) {
	for range 2 * maxInbox {
		select {
		case v := <-inbox:
			s.handle(p, p.Accept(v))
		default:
			return
		}
	}
}

// linger gives the writers of connected peers up to the linger time to
// write their queues.
func (s *sock) linger() {
	if s.cfg.linger <= 0 || len(s.peers) == 0 {
		return
	}
	t := time.NewTimer(s.cfg.linger)
	defer t.Stop()
	for _, p := range s.peers {
		close(p.linger)
	}
	for _, p := range s.peers {
		select {
		case <-p.wdone:
		case <-t.C:
			s.log.Info("socket: linger time over, closing with messages queued", "linger", s.cfg.linger)
			return
		}
	}
}

// discard counts what is left after the goroutines have exited: held
// messages, the peers' queues, and REQ requests (which fail).
func (s *sock) discard() {
	for _, it := range s.backlog.drain() {
		if s.kind == KindReq {
			s.failRequest(it.from, DropClosed, ErrClosed)
			continue
		}
		s.drop(DropClosed, 1, "held when the socket stopped")
	}
	if s.req.peer != nil {
		s.failRequest(s.req.from, DropClosed, ErrClosed)
		s.req = reqState{}
	}
	for p := range s.dying {
		if s.kind != KindSub && s.kind != KindReq {
			s.drop(DropClosed, len(drainQueue(p.out)), "queued when the socket stopped", "remote", p.remote)
		}
	}
}
