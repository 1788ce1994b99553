package socket

import (
	"errors"
	"fmt"

	"github.com/troupe-go/troupe/actor"
)

// send handles a Message sent to the socket actor by from.
func (s *sock) send(m Message, from actor.Ref) {
	if err := s.check(m); err != nil {
		reason := DropInvalid
		if errors.Is(err, ErrTooLarge) {
			reason = DropTooLarge
		}
		s.refuse(from, reason, err)
		return
	}
	switch s.kind {
	case KindPush, KindDealer:
		s.backlog.push(item{msg: m})
		s.dispatch()
	case KindReq:
		s.backlog.push(item{msg: m, from: from})
		s.dispatch()
	case KindPub:
		s.publish(m)
	case KindRouter:
		s.route(m)
	case KindRep:
		s.answer(m)
	default:
		s.refuse(from, DropInvalid, fmt.Errorf("%w: a %s socket cannot send", ErrBadMessage, s.kind))
	}
}

// check validates m against the kind and the limits.
func (s *sock) check(m Message) error {
	if len(m.Frames) == 0 {
		return fmt.Errorf("%w: no frames", ErrBadMessage)
	}
	if s.kind == KindRouter && len(m.Frames) < 2 {
		return fmt.Errorf("%w: a ROUTER message needs an identity frame and a body", ErrBadMessage)
	}
	if n, size := len(m.Frames), m.Size(); n > s.cfg.maxFrames || size > s.cfg.maxSize {
		return fmt.Errorf("%w: %d frames, %d bytes (limits %d frames, %d bytes)",
			ErrTooLarge, n, size, s.cfg.maxFrames, s.cfg.maxSize)
	}
	return nil
}

// dispatch hands held messages to peers with room, in order, round-robin
// (PUSH, DEALER), or sends the next request (REQ).
func (s *sock) dispatch() {
	switch s.kind {
	case KindPush, KindDealer:
		for s.backlog.len() > 0 && s.place(s.backlog.peek().msg) {
			s.backlog.pop()
		}
	case KindReq:
		s.nextRequest()
	}
}

// place queues m for the next peer in round-robin order that has room;
// it reports false when none has.
func (s *sock) place(m Message) bool {
	n := len(s.peers)
	for i := range n {
		p := s.peers[(s.rr+i)%n]
		select {
		case p.out <- m:
			s.rr = (s.rr + i + 1) % n
			return true
		default:
		}
	}
	return false
}

// publish queues m for every subscriber whose subscriptions match its
// first frame; a subscriber whose queue is full misses it (counted).
func (s *sock) publish(m Message) {
	matched := false
	for _, p := range s.peers {
		if !p.wants(m.Frames[0]) {
			continue
		}
		matched = true
		select {
		case p.out <- m:
		default:
			p.dropped++
			s.drop(DropHWM, 1, "a subscriber's queue is full", "remote", p.remote)
		}
	}
	if !matched {
		s.drop(DropNoSubscriber, 1, "no subscriber for the topic")
	}
}

// route sends a ROUTER message to the peer named by its first frame.
func (s *sock) route(m Message) {
	p := s.byID[string(m.Frames[0])]
	if p == nil {
		s.drop(DropUnroutable, 1, "no peer with this identity", "identity", m.Frames[0])
		return
	}
	select {
	case p.out <- Message{Frames: m.Frames[1:]}:
	default:
		p.dropped++
		s.drop(DropHWM, 1, "the peer's queue is full", "identity", p.id)
	}
}
