package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-go/troupe/bench"
)

// proto runs the workloads on Proto.Actor (github.com/asynkron/protoactor-go),
// in its usual style: PropsFromFunc actors, Request/Respond for replies,
// RequestFuture for W3, a Bounded (blocking) mailbox for W2 and
// StopFuture for W4. Each run uses a fresh ActorSystem whose actors are
// stopped before the method returns.
type proto struct{ capacity int }

var _ bench.Runner = proto{}

func (proto) Name() string { return "protoactor" }

// newSystem returns an actor system that logs warnings and errors only.
func newSystem() *actor.ActorSystem {
	h := slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})
	return actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(h)
	}))
}

// stopAll stops the given actors, waits for each, and shuts sys down.
func stopAll(sys *actor.ActorSystem, pids ...*actor.PID) error {
	defer sys.Shutdown()
	for _, pid := range pids {
		if err := sys.Root.StopFuture(pid).Wait(); err != nil {
			return fmt.Errorf("protoactor: stop %s: %w", pid.Id, err)
		}
	}
	return nil
}

func waitDone(ctx context.Context, done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// PingPong runs W1: ping Requests pong, pong Responds, n round trips.
func (pr proto) PingPong(ctx context.Context, n int) (bench.Result, error) {
	r := bench.Result{Runtime: pr.Name(), Workload: bench.W1PingPong, N: n}
	if n <= 0 {
		return r, fmt.Errorf("%w: W1 needs n > 0, got %d", bench.ErrBadParam, n)
	}
	sys := newSystem()
	pong := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if m, ok := c.Message().(bench.Msg); ok {
			c.Respond(m)
		}
	}))
	// counted is written by ping and read here after done or on timeout.
	var counted atomic.Int64
	done := make(chan struct{})
	ping := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		m, ok := c.Message().(bench.Msg)
		if !ok {
			return
		}
		if c.Sender() != nil {
			counted.Add(1)
		}
		if m.V == 0 {
			close(done)
			return
		}
		c.Request(pong, bench.Msg{V: m.V - 1})
	}))
	start := time.Now()
	sys.Root.Send(ping, bench.Msg{V: int64(n)})
	ok := waitDone(ctx, done)
	r.Elapsed = time.Since(start)
	r.Counted = int(counted.Load())
	if err := stopAll(sys, ping, pong); err != nil {
		return r, err
	}
	if !ok {
		return r, bench.Incomplete(ctx, r)
	}
	return r, nil
}

// FanIn runs W2: p goroutines Send n messages in total to one actor with
// a Bounded mailbox of the runner's capacity (Put blocks while it is full).
func (pr proto) FanIn(ctx context.Context, n, p int) (bench.Result, error) {
	r := bench.Result{Runtime: pr.Name(), Workload: bench.W2FanIn, N: n, P: p, Capacity: pr.capacity}
	if n <= 0 || p <= 0 {
		return r, fmt.Errorf("%w: W2 needs n, p > 0, got %d, %d", bench.ErrBadParam, n, p)
	}
	sys := newSystem()
	var counted atomic.Int64
	done := make(chan struct{})
	sink := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(bench.Msg); ok && counted.Add(1) == int64(n) {
			close(done)
		}
	}, actor.WithMailbox(actor.Bounded(pr.capacity))))
	start := time.Now()
	var wg sync.WaitGroup
	for i := range p {
		k := n/p + btoi(i < n%p)
		wg.Go(func() {
			for j := range k {
				sys.Root.Send(sink, bench.Msg{V: int64(j)})
			}
		})
	}
	ok := waitDone(ctx, done)
	r.Elapsed = time.Since(start)
	wg.Wait()
	r.Counted = int(counted.Load())
	r.Drops = uint64(n - r.Counted) // Bounded has no drop counter; it blocks
	if err := stopAll(sys, sink); err != nil {
		return r, err
	}
	if !ok {
		return r, bench.Incomplete(ctx, r)
	}
	r.Drops = 0
	return r, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// RequestReply runs W3: n sequential RequestFuture(...).Result() calls to
// an echo actor that Responds with the request.
func (pr proto) RequestReply(ctx context.Context, n int) (bench.Result, error) {
	r := bench.Result{Runtime: pr.Name(), Workload: bench.W3RequestReply, N: n}
	if n <= 0 {
		return r, fmt.Errorf("%w: W3 needs n > 0, got %d", bench.ErrBadParam, n)
	}
	timeout := time.Minute
	if dl, ok := ctx.Deadline(); ok {
		timeout = time.Until(dl)
	}
	sys := newSystem()
	echo := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if m, ok := c.Message().(bench.Msg); ok {
			c.Respond(m)
		}
	}))
	lat := make([]time.Duration, n)
	err := func() error {
		start := time.Now()
		for i := range n {
			t0 := time.Now()
			v, err := sys.Root.RequestFuture(echo, bench.Msg{V: int64(i)}, timeout).Result()
			if err != nil {
				return fmt.Errorf("protoactor: request %d: %w", i, err)
			}
			if m, ok := v.(bench.Msg); !ok || m.V != int64(i) {
				return fmt.Errorf("%w: request %d answered with %v", bench.ErrWrongReply, i, v)
			}
			lat[i] = time.Since(t0)
			r.Counted++
		}
		r.Elapsed = time.Since(start)
		return nil
	}()
	if serr := stopAll(sys, echo); err == nil {
		err = serr
	}
	r.P50, r.P99 = bench.Percentile(lat[:r.Counted], 0.50), bench.Percentile(lat[:r.Counted], 0.99)
	return r, err
}

// Spawn runs W4: Spawn n actors from default PropsFromFunc props, Send
// each one message, wait until all have handled theirs, then
// StopFuture(pid).Wait() each in turn.
func (pr proto) Spawn(ctx context.Context, n int) (bench.Result, error) {
	r := bench.Result{Runtime: pr.Name(), Workload: bench.W4Spawn, N: n}
	if n <= 0 {
		return r, fmt.Errorf("%w: W4 needs n > 0, got %d", bench.ErrBadParam, n)
	}
	probe, err := bench.StartPeak()
	if err != nil {
		return r, err
	}
	sys := newSystem()
	var handled atomic.Int64
	all := make(chan struct{})
	props := actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(bench.Msg); ok && handled.Add(1) == int64(n) {
			close(all)
		}
	})
	start := time.Now()
	pids := make([]*actor.PID, n)
	for i := range pids {
		pids[i] = sys.Root.Spawn(props)
	}
	for i, pid := range pids {
		sys.Root.Send(pid, bench.Msg{V: int64(i)})
	}
	ok := waitDone(ctx, all)
	if err := stopAll(sys, pids...); err != nil {
		return r, err
	}
	r.Elapsed = time.Since(start)
	r.Counted = int(handled.Load())
	if !ok {
		return r, bench.Incomplete(ctx, r)
	}
	return r, probe.Finish(&r)
}
