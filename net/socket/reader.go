package socket

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// readLoop is a peer's reader goroutine: it reads messages until the
// connection fails or closes, then reports its exit.
func (s *sock) readLoop(p *peer) {
	defer s.wg.Done()
	err := s.read(p)
	if err != nil {
		_ = p.conn.Close()
	}
	s.report(peerExit{p: p, err: err})
}

func (s *sock) read(p *peer) error {
	var m zmtp.Message // reused: frames are copied before they leave this goroutine
	var armed time.Time
	for {
		armed = s.armHeartbeat(p, armed)
		if err := p.conn.ReadMessage(&m); err != nil {
			return s.readError(p, err)
		}
		if m.Kind == zmtp.KindCommand {
			s.command(p, m.Command)
			continue
		}
		s.count.received.Add(1)
		if !s.inbound(p, m.Frames) {
			return nil // stopping
		}
	}
}

// armHeartbeat pushes the read deadline to a heartbeat timeout from now,
// at most every quarter of the heartbeat interval (setting a deadline is
// not free). It returns when it last did.
func (s *sock) armHeartbeat(p *peer, armed time.Time) time.Time {
	if s.cfg.heartbeat <= 0 {
		return armed
	}
	now := time.Now()
	if now.Sub(armed) < s.cfg.heartbeat/4 {
		return armed
	}
	_ = p.conn.SetReadDeadline(now.Add(s.cfg.heartbeatTTL))
	return now
}

// readError counts a message the peer sent over the limits; the
// connection cannot be resynchronised, so it ends either way.
func (s *sock) readError(p *peer, err error) error {
	if errors.Is(err, zmtp.ErrMessageTooLarge) || errors.Is(err, zmtp.ErrTooManyFrames) {
		s.drop(DropTooLarge, 1, "inbound message over the limit; disconnecting the peer",
			"remote", p.remote, "err", err)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		s.log.Warn("socket: heartbeat timeout, disconnecting the peer", "remote", p.remote,
			"timeout", s.cfg.heartbeatTTL)
		return fmt.Errorf("%w: nothing received for %v", ErrHeartbeat, s.cfg.heartbeatTTL)
	}
	return err
}

// command handles a ZMTP command: PING is answered by the writer,
// SUBSCRIBE and CANCEL (ZMTP 3.1) feed a PUB's filter.
func (s *sock) command(p *peer, c zmtp.Command) {
	switch c.Name {
	case zmtp.CmdPing:
		select {
		case p.pong <- bytes.Clone(c.PingContext()):
		default: // a PONG is pending already
		}
	case zmtp.CmdSubscribe, zmtp.CmdCancel:
		if s.kind == KindPub {
			s.report(subEvent{p: p, topic: string(c.Body), on: c.Name == zmtp.CmdSubscribe})
		}
	}
}

// inbound handles a data message. It returns false when the reader must
// stop because the socket or the peer is going away.
func (s *sock) inbound(p *peer, frames [][]byte) bool {
	delivered := true
	switch s.kind {
	case KindPull, KindDealer:
		delivered = s.deliver(s.target, copyMessage(nil, frames))
	case KindRouter:
		delivered = s.deliver(s.target, copyMessage([][]byte{p.id}, frames))
	case KindSub:
		if !matchAny(s.topics, frames[0]) {
			s.count.filtered.Add(1)
			return true
		}
		delivered = s.deliver(s.target, copyMessage(nil, frames))
	case KindPub:
		return s.subscriptionMessage(p, frames)
	case KindReq:
		s.reply(p, frames)
	case KindRep:
		return s.request(p, frames)
	default:
		s.drop(DropInvalid, 1, "a "+string(s.kind)+" socket received a message", "remote", p.remote)
	}
	return s.ctx.Err() == nil && (delivered || s.life.Err() == nil)
}

// deliver hands an inbound message to to, the target or requester,
// waiting under its Block policy until the socket stops. Once it has
// stopped, a message the target has no room for is dropped, and the
// reader stops too (see inbound): reading on would only drop what the
// peer goes on writing, where a PUSH or DEALER peer would have handed
// what it still queues to its other peers when the connection closes.
func (s *sock) deliver(to actor.Ref, m Message) bool {
	if to.IsZero() {
		s.drop(DropNoReceiver, 1, "no receiver for an inbound message")
		return false
	}
	err := s.sys.Deliver(s.life, to, s.self, m)
	switch {
	case err == nil:
		return true
	case s.life.Err() != nil:
		s.drop(DropClosed, 1, "inbound message arrived while the socket stopped")
	default:
		s.drop(DropTarget, 1, "the target did not take an inbound message", "target", to, "err", err)
	}
	return false
}

// subscriptionMessage handles what a SUB sends a PUB: ZMTP 3.0
// subscription messages, a single frame starting with 1 (subscribe) or 0
// (cancel) followed by the topic prefix.
func (s *sock) subscriptionMessage(p *peer, frames [][]byte) bool {
	if len(frames) != 1 || len(frames[0]) == 0 || frames[0][0] > 1 {
		s.drop(DropInvalid, 1, "a PUB received a message that is not a subscription", "remote", p.remote)
		return true
	}
	return s.report(subEvent{p: p, topic: string(frames[0][1:]), on: frames[0][0] == 1})
}
