package socket

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// A sock is the state of one socket actor. Everything but the counters,
// the channels and the immutable configuration is owned by the actor's
// goroutine (run); the goroutines it starts report to it on events.
type sock struct {
	kind   Kind
	cfg    *config
	sys    *actor.System
	target actor.Ref
	topics []string // SUB
	log    *slog.Logger
	spin   *zmtp.ReadSpin // shared by the socket's connections

	self   actor.Ref
	life   context.Context // the actor's lifetime: bounds deliveries to the target
	ctx    context.Context // cancelled at the end of teardown: bounds every goroutine
	cancel context.CancelFunc
	wg     sync.WaitGroup // accept, dial, reader and writer goroutines

	events chan any      // from the goroutines to the actor; unbuffered
	ctl    control       // StatsOf's way in (see registry.go)
	room   chan struct{} // a writer flushed: a peer may have room again
	turn   chan struct{} // REP: the token a reader holds while its request is answered

	listeners []*zmtp.Listener
	bound     []string
	peers     []*peer            // connected and usable, in connection order
	dying     map[*peer]struct{} // closed, waiting for their goroutines
	rr        int                // round-robin position in peers
	byID      map[string]*peer   // ROUTER: peers by routing identity
	nextID    uint32             // ROUTER: next generated identity
	backlog   fifo               // PUSH, DEALER: held for a peer with room; REQ: requests waiting their turn
	req       reqState
	rep       repState

	count  counters
	warned [numDropReasons]atomic.Bool // each reason is logged at Warn once
}

func newSock(sys *actor.System, kind Kind, target actor.Ref, topics []string, cfg *config) *sock {
	log := cfg.logger
	if log == nil {
		log = sys.Logger()
	}
	s := &sock{
		kind:   kind,
		cfg:    cfg,
		sys:    sys,
		target: target,
		topics: topics,
		log:    log.With("socket", string(kind)),
		events: make(chan any),
		ctl:    control{stats: make(chan chan Stats), done: make(chan struct{})},
		room:   make(chan struct{}, 1),
		dying:  make(map[*peer]struct{}),
		byID:   make(map[string]*peer),
		nextID: rand.Uint32(),
		spin:   cfg.newReadSpin(),
	}
	if kind == KindRep {
		s.turn = make(chan struct{}, 1)
		s.turn <- struct{}{}
	}
	return s
}

// listen binds the Bind endpoints, so that Push, Pull... report bind
// errors and the real ports before the actor starts.
func (s *sock) listen(ctx context.Context) error {
	opts := s.cfg.zmtpOptions(s.kind, s.log, true, s.spin)
	for _, ep := range s.cfg.binds {
		ln, err := zmtp.Listen(ctx, ep, opts...)
		if err != nil {
			s.closeListeners()
			return fmt.Errorf("socket: %s bind: %w", s.kind, err)
		}
		s.listeners = append(s.listeners, ln)
		s.bound = append(s.bound, ln.Endpoint())
	}
	return nil
}

func (s *sock) closeListeners() {
	for _, ln := range s.listeners {
		if err := ln.Close(); err != nil {
			s.log.Warn("socket: closing listener", "err", err)
		}
	}
}

// run is the socket actor's loop: a select that hands each case to a
// method. It returns when the actor stops, after teardown has joined
// every goroutine the socket started.
func (s *sock) run(p *actor.Process, inbox <-chan any) error {
	s.self, s.life = p.Self(), p.Context()
	s.ctx, s.cancel = context.WithCancel(context.WithoutCancel(s.life))
	key := regKey{sys: s.sys, ref: s.self}
	register(key, s.ctl)
	defer func() {
		close(s.ctl.done) // before unregistering: see open
		unregister(key)
	}()
	s.start()
	defer s.teardown(p, inbox)
	for {
		select {
		case <-s.life.Done():
			return nil
		case v := <-s.inbox(inbox):
			s.handle(p, p.Accept(v))
		case ev := <-s.events:
			s.event(ev)
		case reply := <-s.ctl.stats:
			s.catchUp(p, inbox)
			reply <- s.stats()
		case <-s.roomC():
			s.dispatch()
		}
	}
}

// start launches the accept and dial goroutines.
func (s *sock) start() {
	for i, ln := range s.listeners {
		s.wg.Add(1)
		go s.acceptLoop(ln, s.bound[i])
	}
	for _, ep := range s.cfg.connects {
		s.wg.Add(1)
		go s.dialLoop(ep)
	}
}

// inbox returns the mailbox channel, or nil while a PUSH, DEALER or REQ
// holds HWM messages no peer can take: its mailbox then fills up and its
// senders block or fail, per policy.
func (s *sock) inbox(inbox <-chan any) <-chan any {
	if s.kind.roundRobin() && s.backlog.len() >= s.cfg.hwm {
		return nil
	}
	return inbox
}

// catchUp handles the messages already in the mailbox, unless the socket
// is holding back its senders, so that StatsOf counts what was sent
// before it.
func (s *sock) catchUp(p *actor.Process, inbox <-chan any) {
	for n := len(inbox); n > 0 && s.inbox(inbox) != nil; n-- {
		select {
		case v := <-inbox:
			s.handle(p, p.Accept(v))
		default:
			return
		}
	}
}

// roomC returns the room channel while messages are held for peers.
func (s *sock) roomC() <-chan struct{} {
	if s.kind.roundRobin() && s.backlog.len() > 0 {
		return s.room
	}
	return nil
}

// handle handles one value from the mailbox.
func (s *sock) handle(p *actor.Process, v any) {
	switch m := v.(type) {
	case Message:
		s.send(m, p.Sender())
	case *Message:
		s.send(*m, p.Sender())
	default:
		s.refuse(p.Sender(), DropInvalid, fmt.Errorf("%w: %T is not a socket.Message", ErrBadMessage, v))
	}
}

// event handles one report from the socket's goroutines.
func (s *sock) event(ev any) {
	switch e := ev.(type) {
	case connUp:
		s.addPeer(e)
	case peerExit:
		s.peerExited(e.p, e.err)
	case subEvent:
		s.subscribe(e.p, e.topic, e.on)
	case repRequest:
		s.rep = repState{busy: true, peer: e.p, envelope: e.envelope}
	case repAbandon:
		s.rep.release(s)
	case reqDone:
		s.replied(e.p)
	}
}

// report hands ev to the actor; it gives up (false) once the socket is
// torn down.
func (s *sock) report(ev any) bool {
	select {
	case s.events <- ev:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// drop counts n messages dropped for reason and logs it: at Warn the
// first time for each reason, at Debug afterwards.
func (s *sock) drop(reason DropReason, n int, msg string, attrs ...any) {
	if n <= 0 {
		return
	}
	s.count.dropped[reason].Add(uint64(n))
	level := slog.LevelDebug
	if reason != DropNoSubscriber && s.warned[reason].CompareAndSwap(false, true) {
		level = slog.LevelWarn
	}
	if s.log.Enabled(context.Background(), level) {
		attrs = append(attrs, "reason", reason.String(), "count", n)
		s.log.Log(context.Background(), level, "socket: dropped: "+msg, attrs...)
	}
}

// refuse drops a value the socket cannot send; a request fails with err.
func (s *sock) refuse(from actor.Ref, reason DropReason, err error) {
	s.drop(reason, 1, err.Error())
	if actor.IsReplyRef(from) {
		s.sys.FailRequest(from, err)
	}
}
