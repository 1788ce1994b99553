package actor

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
)

// A System is the process's actor context, as a ZeroMQ context is the
// process's socket context: it knows every actor, routes every message and
// disposes of all actors on Shutdown. A System is safe for concurrent use.
type System struct {
	epoch      uint64 // high bits of every actor id, different for each System
	node       atomic.Pointer[string]
	cells      table[cell]
	futures    table[future]
	futurePool futurePool // per system: see futurePool
	names      *registrar
	log        *slog.Logger

	transport atomic.Pointer[transportBox]
	subs      atomic.Pointer[[]subscription]
	dead      deadLetterCounters

	closing    atomic.Bool   // Shutdown has begun
	finished   atomic.Bool   // Shutdown has ended
	goroutines atomic.Int64  // drain, loop and registrar goroutines alive
	idle       chan struct{} // signalled when goroutines may have reached 0
	down       chan struct{} // closed when Shutdown has finished
	linger     int

	parked    atomic.Int64  // goroutines parked on an inbox
	maxParked int64         // cap on parked goroutines
	tick      atomic.Uint32 // reaper ticks so far
	quit      chan struct{} // closed to stop the reaper and idle workers

	runq           chan *cell // idle workers wait here for a cell to drain
	idleWorkers    atomic.Int64
	maxIdleWorkers int64
}

// A SystemOption configures a System.
type SystemOption func(*System)

// WithLogger sets the logger the system and its actors log to. By default
// the system logs nothing.
func WithLogger(l *slog.Logger) SystemOption {
	return func(s *System) {
		if l != nil {
			s.log = l
		}
	}
}

// WithNode sets the node address that the refs of this system's actors
// carry, such as "tcp://127.0.0.1:5555". The net package sets it when it
// turns a system into a network node; most programs never call it.
func WithNode(addr string) SystemOption {
	return func(s *System) { s.node.Store(&addr) }
}

// WithLinger sets how many times an actor's goroutine yields, looking for
// more work, before it exits when its mailbox is empty (default 3). A
// higher value keeps chatty actors hot at the cost of CPU; 0 makes idle
// actors release their goroutine at once.
func WithLinger(yields int) SystemOption {
	return func(s *System) { s.linger = max(yields, 0) }
}

const (
	epochShift = 40
	epochMask  = (1<<23 - 1) << epochShift
	futureBit  = 1 << 63
	seqMask    = 1<<epochShift - 1
)

// WithParkedLimit caps the number of goroutines that hot actors keep
// parked on their inboxes (default 10,000, about 25 MiB of stacks); past
// it, idle actors give their goroutine back at once. Parked goroutines
// that stay idle for two reaper periods (about half a second) are sent
// home in any case.
func WithParkedLimit(n int) SystemOption {
	return func(s *System) { s.maxParked = int64(max(n, 0)) }
}

// NewSystem returns a running System. Call Shutdown to dispose of it.
func NewSystem(opts ...SystemOption) *System {
	s := &System{
		epoch:          (rand.Uint64()%(1<<23-1) + 1) << epochShift,
		log:            slog.New(slog.DiscardHandler),
		idle:           make(chan struct{}, 1),
		down:           make(chan struct{}),
		linger:         3,
		maxParked:      10_000,
		quit:           make(chan struct{}),
		runq:           make(chan *cell),
		maxIdleWorkers: int64(max(8, 4*runtime.GOMAXPROCS(0))),
	}
	empty := ""
	s.node.Store(&empty)
	s.subs.Store(&[]subscription{})
	for _, o := range opts {
		o(s)
	}
	s.names = startRegistrar(s)
	s.startReaper()
	return s
}

// Node returns the system's node address ("" when it is not a network node).
func (s *System) Node() string { return *s.node.Load() }

// Logger returns the system's logger.
func (s *System) Logger() *slog.Logger { return s.log }

// isLocal reports whether r addresses this system.
func (s *System) isLocal(r Ref) bool { return s.isLocalNode(r.Node) }

// isLocalNode reports whether a ref whose Node is addr addresses this
// system. The send path passes the field, not the ref (see isZeroRef).
func (s *System) isLocalNode(addr string) bool {
	if addr == "" {
		return true
	}
	node := *s.node.Load()
	// Addresses of nodes on one host differ at the end (the port): a ref
	// of another node is told apart without comparing it all.
	return len(addr) == len(node) && addr[len(node)-1] == node[len(node)-1] && addr == node
}

func (s *System) goroutineStarted() { s.goroutines.Add(1) }

func (s *System) goroutineDone() {
	if s.goroutines.Add(-1) == 0 && s.closing.Load() {
		select {
		case s.idle <- struct{}{}:
		default:
		}
	}
}

// Shutdown stops every actor — top-level actors in reverse start order,
// each stopping its children before itself, also in reverse order — and
// waits until they and every goroutine of the system have exited. Spawn,
// Send and Request return ErrShutdown once Shutdown has begun. If ctx ends
// first, the actors still running are killed and ctx's error is returned;
// goroutines stuck in user code that ignores its context cannot be
// reclaimed. Shutdown is safe to call more than once and from several
// goroutines: later calls wait for the first to finish.
func (s *System) Shutdown(ctx context.Context) error {
	if !s.closing.CompareAndSwap(false, true) {
		select {
		case <-s.down:
			return nil
		case <-ctx.Done():
			return fmt.Errorf("actor: shutdown: %w", context.Cause(ctx))
		}
	}
	defer close(s.down)
	defer s.finished.Store(true)
	err := s.stopTopLevel(ctx)
	if cerr := s.closeTransport(ctx); err == nil {
		err = cerr
	}
	s.names.stop()
	close(s.quit)
	if werr := s.waitGoroutines(ctx); err == nil {
		err = werr
	}
	if err != nil {
		s.log.Warn("actor: shutdown incomplete", "err", err)
		return fmt.Errorf("actor: shutdown: %w", err)
	}
	return nil
}

// stopTopLevel stops top-level actors newest first, until none is left
// (actors spawned while shutting down stop themselves).
func (s *System) stopTopLevel(ctx context.Context) error {
	for {
		var top []*cell
		s.cells.descending(func(c *cell) bool {
			if c.parent == nil {
				top = append(top, c)
			}
			return true
		})
		if len(top) == 0 {
			return nil
		}
		for _, c := range top {
			if err := c.stop(ctx, ErrShutdown); err != nil {
				s.killAll()
				return err
			}
		}
	}
}

func (s *System) killAll() {
	s.cells.descending(func(c *cell) bool {
		c.kill(ErrKilled)
		return true
	})
}

func (s *System) waitGoroutines(ctx context.Context) error {
	for s.goroutines.Load() > 0 {
		select {
		case <-s.idle:
		case <-ctx.Done():
			return fmt.Errorf("%d goroutines still running: %w", s.goroutines.Load(), context.Cause(ctx))
		}
	}
	return nil
}

// Done returns a channel closed when Shutdown has finished.
func (s *System) Done() <-chan struct{} { return s.down }
