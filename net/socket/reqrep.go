package socket

import (
	"context"
	"fmt"

	"github.com/troupe-go/troupe/actor"
)

// reqState is a REQ's request in flight: one at a time, as ZeroMQ's REQ.
// The requests waiting their turn are in the socket's backlog.
type reqState struct {
	peer *peer     // the peer the request went to; nil when none is in flight
	from actor.Ref // the requester
}

// repState is a REP's request being answered: the peer it came from and
// its envelope (the frames up to and including the empty delimiter).
type repState struct {
	busy     bool
	peer     *peer
	envelope [][]byte
}

// repRequest tells a REP actor that a reader holds the turn and is
// delivering a request from p to the target.
type repRequest struct {
	p        *peer
	envelope [][]byte
}

// repAbandon tells a REP actor that the request in progress could not be
// delivered, so no reply will come.
type repAbandon struct{ p *peer }

// reqDone tells a REQ actor that the reply from p was delivered.
type reqDone struct{ p *peer }

// Request sends msg through the REQ socket req and waits for the reply,
// until ctx ends. It is sys.Request with the types filled in.
func Request(ctx context.Context, sys *actor.System, req actor.Ref, msg Message) (Message, error) {
	r, err := sys.Request(ctx, req, msg)
	if err != nil {
		return Message{}, err
	}
	m, ok := r.(Message)
	if !ok {
		return Message{}, fmt.Errorf("socket: request to %v: %w: reply is a %T", req, ErrNotSocket, r)
	}
	return m, nil
}

// nextRequest sends the next waiting request, if none is in flight and a
// peer has room. A request whose caller gave up is dropped; if it was in
// flight, its connection is closed (the Lazy Pirate way: a reply that
// comes later cannot be mistaken for the next one's).
func (s *sock) nextRequest() {
	if s.req.peer != nil {
		if !s.abandoned(s.req.from) {
			return
		}
		s.drop(DropAbandoned, 1, "the requester gave up waiting; closing the connection", "remote", s.req.peer.remote)
		s.closePeer(s.req.peer, fmt.Errorf("socket: request abandoned by its caller"))
		s.req = reqState{}
	}
	for s.backlog.len() > 0 {
		it := s.backlog.peek()
		if s.abandoned(it.from) {
			s.backlog.pop()
			s.drop(DropAbandoned, 1, "the requester gave up before the request was sent")
			continue
		}
		p := s.pickRequestPeer()
		if p == nil {
			return
		}
		s.backlog.pop()
		p.expect <- it.from // empty: at most one request is in flight
		p.out <- Message{Frames: append([][]byte{{}}, it.msg.Frames...)}
		s.req = reqState{peer: p, from: it.from}
		return
	}
}

// abandoned reports whether a request's caller has stopped waiting.
func (s *sock) abandoned(from actor.Ref) bool {
	return actor.IsReplyRef(from) && !s.sys.Waiting(from)
}

// pickRequestPeer returns the next peer in round-robin order whose queue
// is empty.
func (s *sock) pickRequestPeer() *peer {
	n := len(s.peers)
	for i := range n {
		p := s.peers[(s.rr+i)%n]
		if len(p.out) == 0 && len(p.expect) == 0 {
			s.rr = (s.rr + i + 1) % n
			return p
		}
	}
	return nil
}

// reply is a REQ reader's handling of a message: the reply to the request
// in flight on p, delivered to its requester without the empty delimiter.
func (s *sock) reply(p *peer, frames [][]byte) {
	var who actor.Ref
	select {
	case who = <-p.expect:
	default:
		s.drop(DropNoRequest, 1, "a REQ received a message it was not waiting for", "remote", p.remote)
		return
	}
	if len(frames) < 2 || len(frames[0]) != 0 {
		p.expect <- who // malformed: still waiting for the real reply, as libzmq does
		s.drop(DropInvalid, 1, "a reply without an empty delimiter frame", "remote", p.remote)
		return
	}
	if who.IsZero() {
		s.drop(DropNoReceiver, 1, "a reply to a request sent without a sender")
	} else {
		s.deliver(who, copyMessage(nil, frames[1:]))
	}
	s.report(reqDone{p: p})
}

// replied ends the request in flight on p.
func (s *sock) replied(p *peer) {
	if s.req.peer == p {
		s.req = reqState{}
		s.nextRequest()
	}
}

// lostRequest fails the request in flight when its peer is gone.
func (s *sock) lostRequest(p *peer) {
	if s.req.peer != p {
		return
	}
	s.failRequest(s.req.from, DropDisconnected, fmt.Errorf("%w: %s (%v)", ErrPeerLost, p.remote, p.err))
	s.req = reqState{}
}

// failRequest ends a request with err: the waiting caller sees it; an
// actor that sent with p.Send gets nothing, so it is counted for reason.
func (s *sock) failRequest(from actor.Ref, reason DropReason, err error) {
	if actor.IsReplyRef(from) && s.sys.FailRequest(from, err) {
		return
	}
	s.drop(reason, 1, "a request failed with no caller waiting", "err", err)
}

// request is a REP reader's handling of a message: it takes the turn,
// tells the actor where the reply goes, and delivers the body to the
// target. It returns false when the reader must stop.
func (s *sock) request(p *peer, frames [][]byte) bool {
	i := 0
	for i < len(frames) && len(frames[i]) != 0 {
		i++
	}
	if i == len(frames) {
		s.drop(DropInvalid, 1, "a request without an empty delimiter frame", "remote", p.remote)
		return true
	}
	envelope := copyMessage(nil, frames[:i+1]).Frames
	select {
	case <-s.turn:
	case <-p.stop:
		return false
	case <-s.ctx.Done():
		return false
	}
	if !s.report(repRequest{p: p, envelope: envelope}) {
		return false
	}
	if !s.deliver(s.target, copyMessage(nil, frames[i+1:])) {
		return s.report(repAbandon{p: p})
	}
	return true
}

// answer sends a REP's reply to the request in progress and gives the
// turn to the next request.
func (s *sock) answer(m Message) {
	cur := s.rep
	if !cur.busy {
		s.drop(DropNoRequest, 1, "a REP reply with no request in progress")
		return
	}
	s.rep.release(s)
	if cur.peer.closing {
		s.drop(DropDisconnected, 1, "a REP reply for a peer that disconnected", "remote", cur.peer.remote)
		return
	}
	reply := Message{Frames: append(cur.envelope[:len(cur.envelope):len(cur.envelope)], m.Frames...)}
	select {
	case cur.peer.out <- reply:
	default:
		cur.peer.dropped++
		s.drop(DropHWM, 1, "the peer's queue is full", "remote", cur.peer.remote)
	}
}

// release ends the request in progress and passes the turn on.
func (r *repState) release(s *sock) {
	if !r.busy {
		return
	}
	*r = repState{}
	s.turn <- struct{}{} // the turn was taken: there is room
}
