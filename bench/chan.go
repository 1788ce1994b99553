package bench

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Chan runs the workloads with plain goroutines and typed channels, as a
// baseline for what an actor runtime adds. An "actor" here is a goroutine
// ranging over its own channel; see each method for the exact shape.
type Chan struct{ cfg config }

var _ Runner = (*Chan)(nil)

// NewChan returns a channel-baseline runner.
func NewChan(opts ...Option) *Chan { return &Chan{cfg: newConfig(opts)} }

// Name returns "chan".
func (*Chan) Name() string { return "chan" }

// PingPong runs W1: the calling goroutine and an echo goroutine bounce a
// Msg over two channels of capacity 1, n times.
func (c *Chan) PingPong(ctx context.Context, n int) (Result, error) {
	r := Result{Runtime: c.Name(), Workload: W1PingPong, N: n}
	if err := checkN(r.Workload, n, 1); err != nil {
		return r, err
	}
	ping, pong := make(chan Msg, 1), make(chan Msg, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m := range ping {
			pong <- m // never blocks for long: the buffer has room
		}
	}()
	defer func() { close(ping); <-done }()
	start := time.Now()
	for i := range n {
		ping <- Msg{V: int64(i)}
		select {
		case <-pong:
			r.Counted++
		case <-ctx.Done():
			return r, Incomplete(ctx, r)
		}
	}
	r.Elapsed = time.Since(start)
	return r, nil
}

// FanIn runs W2: p goroutines send n Msg in total into one channel of the
// configured capacity, read by one counting goroutine. Sends block while
// the channel is full, so nothing drops.
func (c *Chan) FanIn(ctx context.Context, n, p int) (Result, error) {
	r := Result{Runtime: c.Name(), Workload: W2FanIn, N: n, P: p, Capacity: c.cfg.capacity}
	if err := checkN(r.Workload, n, p); err != nil {
		return r, err
	}
	inbox := make(chan Msg, c.cfg.capacity)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range p {
		wg.Go(func() { chanProduce(ctx, inbox, split(n, p, i)) })
	}
	for r.Counted < n {
		select {
		case <-inbox:
			r.Counted++
		case <-ctx.Done():
			wg.Wait()
			r.Drops = uint64(n - r.Counted)
			return r, Incomplete(ctx, r)
		}
	}
	r.Elapsed = time.Since(start)
	wg.Wait()
	return r, nil
}

func chanProduce(ctx context.Context, inbox chan<- Msg, k int) {
	for i := range k {
		select {
		case inbox <- Msg{V: int64(i)}:
		case <-ctx.Done():
			return
		}
	}
}

// chanRequest is a W3 request: the value and a channel for its reply.
type chanRequest struct {
	m     Msg
	reply chan Msg
}

// RequestReply runs W3: n sequential requests to an echo goroutine, each
// carrying a fresh reply channel of capacity 1 (as a future would).
func (c *Chan) RequestReply(ctx context.Context, n int) (Result, error) {
	r := Result{Runtime: c.Name(), Workload: W3RequestReply, N: n}
	if err := checkN(r.Workload, n, 1); err != nil {
		return r, err
	}
	reqs := make(chan chanRequest, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for q := range reqs {
			q.reply <- q.m
		}
	}()
	defer func() { close(reqs); <-done }()
	lat := make([]time.Duration, n)
	start := time.Now()
	for i := range n {
		t0 := time.Now()
		q := chanRequest{m: Msg{V: int64(i)}, reply: make(chan Msg, 1)}
		reqs <- q
		select {
		case m := <-q.reply:
			if m.V != int64(i) {
				return r, fmt.Errorf("%w: request %d answered with %d", ErrWrongReply, i, m.V)
			}
		case <-ctx.Done():
			return r, Incomplete(ctx, r)
		}
		lat[i] = time.Since(t0)
		r.Counted++
	}
	r.Elapsed = time.Since(start)
	r.P50, r.P99 = Percentile(lat, 0.50), Percentile(lat, 0.99)
	return r, nil
}
