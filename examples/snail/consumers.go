package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/supervisor"
)

// topic is where the publisher publishes its ticks.
const topic = "snail.tick"

// A tick is one message of the stream: its sequence number and when it
// was published.
type tick struct {
	Seq  uint64
	Sent time.Time
}

// publisher publishes one tick per interval, n in all, whatever its
// subscribers do (Publish never waits), then closes done.
func publisher(n int, interval time.Duration, done chan<- time.Duration) actor.Behavior {
	return actor.Loop(func(p *actor.Process, _ <-chan any) error {
		t := time.NewTicker(interval)
		defer t.Stop()
		start := time.Now()
		for seq := uint64(1); seq <= uint64(n); seq++ {
			select {
			case <-t.C:
			case <-p.Context().Done():
				return nil
			}
			p.System().Publish(topic, tick{Seq: seq, Sent: time.Now()})
		}
		done <- time.Since(start)
		return nil
	})
}

// ping asks a consumer to answer once it has handled what was queued
// before.
type ping struct{}

// A tally is a consumer's account, shared by the consumer (which writes
// it) and the example (which reads it at the end): atomics, since the
// consumer may be stopped at any moment.
type tally struct {
	received atomic.Int64
	last     atomic.Uint64 // last seq
	maxLag   atomic.Int64  // longest time a tick waited, in ns
}

// consumer subscribes to the stream on start and checks its sequence
// numbers: a gap means it lost ticks, and it returns the *GapError, which
// its supervisor treats as a slow consumer. Each tick costs it between
// cost/2 and cost (the guide's slow subscriber: 1–2 ms).
func consumer(t *tally, cost time.Duration, seed uint64) actor.Behavior {
	return actor.New(func() actor.Handler {
		c := &consumerHandler{t: t, cost: cost, rng: rand.New(rand.NewPCG(seed, 3))}
		return c
	})
}

type consumerHandler struct {
	t    *tally
	cost time.Duration
	rng  *rand.Rand
	seq  supervisor.Sequence // per incarnation
}

// Receive implements actor.Handler.
func (c *consumerHandler) Receive(p *actor.Process) error {
	switch m := p.Message().(type) {
	case actor.Started:
		p.Subscribe(topic)
	case ping:
		return p.Reply(ping{})
	case actor.Publication:
		tk, ok := m.Message.(tick)
		if !ok {
			return fmt.Errorf("snail: consumer: unexpected publication %T", m.Message)
		}
		return c.consume(p.Context(), tk)
	}
	return nil
}

func (c *consumerHandler) consume(ctx context.Context, tk tick) error {
	if err := c.seq.Check(tk.Seq); err != nil {
		return err // a *GapError: the supervisor stops this snail
	}
	c.t.received.Add(1)
	c.t.last.Store(tk.Seq)
	if lag := int64(time.Since(tk.Sent)); lag > c.t.maxLag.Load() {
		c.t.maxLag.Store(lag)
	}
	if c.cost <= 0 {
		return nil
	}
	d := c.cost/2 + time.Duration(c.rng.Int64N(int64(c.cost/2)+1))
	work := time.NewTimer(d) // simulated work
	defer work.Stop()
	select {
	case <-work.C:
	case <-ctx.Done():
	}
	return nil
}
