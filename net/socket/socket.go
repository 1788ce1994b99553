package socket

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/troupe-go/troupe/actor"
)

// Push starts a PUSH socket actor and returns its ref: each Message sent
// to it goes to one connected PULL peer, round-robin over the peers with
// room. With no peer able to take it (none connected yet, or all at the
// high-water mark), up to HWM messages are held; past that the socket
// stops reading its mailbox, so senders wait (mailbox.Block) or get
// mailbox.ErrFull (mailbox.Fail). Stopping the ref closes the socket.
func Push(ctx context.Context, sys *actor.System, opts ...Option) (actor.Ref, error) {
	return open(ctx, sys, KindPush, actor.Ref{}, nil, opts)
}

// Pub starts a PUB socket actor: each Message sent to it is queued for
// every connected SUB whose subscriptions (prefixes, sent by the peer)
// match its first frame. A subscriber whose queue is at the high-water
// mark misses the message, which is counted (DropHWM) against it; the
// other subscribers and the senders never wait for it.
func Pub(ctx context.Context, sys *actor.System, opts ...Option) (actor.Ref, error) {
	return open(ctx, sys, KindPub, actor.Ref{}, nil, opts)
}

// Dealer starts a DEALER socket actor: Messages sent to it go out
// round-robin as with Push; messages its peers send are delivered to
// target (nothing to deliver to if target is the zero Ref: they are
// counted as DropNoReceiver).
func Dealer(ctx context.Context, sys *actor.System, target actor.Ref, opts ...Option) (actor.Ref, error) {
	return open(ctx, sys, KindDealer, target, nil, opts)
}

// Req starts a REQ socket actor. Make requests with Request (or
// sys.Request with a Message): each goes to one peer, round-robin, one at
// a time, and its reply (without the envelope) answers the caller. A
// request whose peer disconnects fails with ErrPeerLost; one whose caller
// gives up is dropped, and its connection closed if it was in flight.
// An actor may also p.Send a Message: the reply comes back to it as a
// Message from the socket.
func Req(ctx context.Context, sys *actor.System, opts ...Option) (actor.Ref, error) {
	return open(ctx, sys, KindReq, actor.Ref{}, nil, opts)
}

// Pull starts a PULL socket actor that delivers every message its peers
// send to target, as a Message whose sender is the socket. Delivery
// follows the target's mailbox policy: under Block a full target
// mailbox stops the reading, and the peers are held back (ZeroMQ's
// receive high-water mark).
func Pull(ctx context.Context, sys *actor.System, target actor.Ref, opts ...Option) (actor.Ref, error) {
	return open(ctx, sys, KindPull, target, nil, opts)
}

// Sub starts a SUB socket actor subscribed to topics (prefixes of the
// first frame; "" subscribes to everything) that delivers matching
// messages to target as Pull does. The publishers filter; the socket
// checks again and counts what did not match (Stats.Filtered).
func Sub(ctx context.Context, sys *actor.System, target actor.Ref, topics []string, opts ...Option) (actor.Ref, error) {
	if len(topics) == 0 {
		return actor.Ref{}, fmt.Errorf("%w: SUB needs at least one topic (\"\" for everything)", ErrBadOption)
	}
	return open(ctx, sys, KindSub, target, slices.Clone(topics), opts)
}

// Rep starts a REP socket actor: each request is delivered to target as a
// Message (without its envelope) sent by the socket, one at a time, and
// the next Message sent to the socket (p.Reply does it) is the reply.
// Requests wait until the one in progress is answered.
func Rep(ctx context.Context, sys *actor.System, target actor.Ref, opts ...Option) (actor.Ref, error) {
	return open(ctx, sys, KindRep, target, nil, opts)
}

// Router starts a ROUTER socket actor: each message a peer sends is
// delivered to target with the peer's identity as first frame; a Message
// sent to the socket goes to the peer its first frame names (the rest
// are the frames sent). A message for an unknown identity, or for a peer
// whose queue is full, is dropped and counted.
func Router(ctx context.Context, sys *actor.System, target actor.Ref, opts ...Option) (actor.Ref, error) {
	return open(ctx, sys, KindRouter, target, nil, opts)
}

// open validates the options, binds, and spawns the socket actor.
func open(ctx context.Context, sys *actor.System, kind Kind, target actor.Ref, topics []string, opts []Option) (actor.Ref, error) {
	cfg := newConfig(opts)
	if err := cfg.validate(kind); err != nil {
		return actor.Ref{}, fmt.Errorf("socket: %s: %w", kind, err)
	}
	if target.IsZero() && kind != KindDealer && kind.receives() {
		return actor.Ref{}, fmt.Errorf("socket: %s: %w: no target actor", kind, ErrBadOption)
	}
	s := newSock(sys, kind, target, topics, cfg)
	if err := s.listen(ctx); err != nil {
		return actor.Ref{}, err
	}
	return s.spawn(ctx)
}

// spawn starts the actor of a bound socket.
func (s *sock) spawn(ctx context.Context) (actor.Ref, error) {
	spawnOpts := []actor.SpawnOption{actor.WithMailbox(s.cfg.inbox(s.kind)...)}
	if s.cfg.name != "" {
		spawnOpts = append(spawnOpts, actor.WithName(s.cfg.name))
	}
	ref, err := s.sys.Spawn(ctx, actor.Loop(s.behavior()), spawnOpts...)
	if err != nil {
		s.closeListeners()
		return actor.Ref{}, fmt.Errorf("socket: %s: %w", s.kind, err)
	}
	// The loop registers itself too, but may not have started yet: make
	// StatsOf work as soon as the ref is known. A loop that is over
	// already has unregistered, so undo the registration.
	key := regKey{sys: s.sys, ref: ref}
	register(key, s.ctl)
	select {
	case <-s.ctl.done:
		unregister(key)
	default:
	}
	return ref, nil
}

// behavior returns the socket's loop. The first incarnation runs the
// socket bound by open; should the actor fail and be restarted, the new
// incarnation binds the same endpoints (the real ports) again.
func (s *sock) behavior() actor.LoopFunc {
	var started atomic.Bool
	return func(p *actor.Process, inbox <-chan any) error {
		if started.CompareAndSwap(false, true) {
			return s.run(p, inbox)
		}
		cfg := *s.cfg
		cfg.binds = slices.Clone(s.bound)
		fresh := newSock(s.sys, s.kind, s.target, s.topics, &cfg)
		if err := fresh.listen(p.Context()); err != nil {
			return err
		}
		return fresh.run(p, inbox)
	}
}
