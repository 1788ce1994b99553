package bench

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// Troupe runs the workloads on Troupe's local runtime (packages actor and
// mailbox), in handler form, each run on a fresh actor.System that is shut
// down before the method returns.
type Troupe struct{ cfg config }

var _ Runner = (*Troupe)(nil)

// NewTroupe returns a Troupe runner.
func NewTroupe(opts ...Option) *Troupe {
	return &Troupe{cfg: newConfig(opts)}
}

// Name returns "troupe".
func (*Troupe) Name() string { return "troupe" }

// shutdownLimit bounds the shutdown of a run's system, which starts after
// the run's own context may have ended.
const shutdownLimit = time.Minute

// withSystem runs f on a fresh system and shuts it down afterwards; a
// shutdown error is returned unless f failed first.
func withSystem(ctx context.Context, f func(*actor.System) error) (err error) {
	sys := actor.NewSystem()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownLimit)
		defer cancel()
		if serr := sys.Shutdown(sctx); serr != nil && err == nil {
			err = fmt.Errorf("bench: shutdown: %w", serr)
		}
	}()
	return f(sys)
}

// PingPong runs W1: actor "ping" sends Msg to actor "pong", which replies
// with p.Reply; ping sends the next one on each reply, n times in all.
func (t *Troupe) PingPong(ctx context.Context, n int) (Result, error) {
	r := Result{Runtime: t.Name(), Workload: W1PingPong, N: n}
	if err := checkN(r.Workload, n, 1); err != nil {
		return r, err
	}
	// counted is written by ping and read here after done or on timeout.
	var counted atomic.Int64
	done := make(chan struct{})
	err := withSystem(ctx, func(sys *actor.System) error {
		pong, err := sys.Spawn(ctx, actor.Func(replyMsg))
		if err != nil {
			return fmt.Errorf("bench: spawn pong: %w", err)
		}
		ping, err := sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
			m, ok := p.Message().(Msg)
			if !ok {
				return nil
			}
			if p.Sender() == pong {
				counted.Add(1)
			}
			if m.V == 0 {
				close(done)
				return nil
			}
			return p.Send(pong, Msg{V: m.V - 1})
		}))
		if err != nil {
			return fmt.Errorf("bench: spawn ping: %w", err)
		}
		start := time.Now()
		if err := sys.Send(ctx, ping, Msg{V: int64(n)}); err != nil {
			return fmt.Errorf("bench: kick ping: %w", err)
		}
		err = waitDone(ctx, done)
		r.Elapsed = time.Since(start)
		return err
	})
	r.Counted = int(counted.Load())
	return r, t.finish(ctx, r, err)
}

// replyMsg answers every Msg with itself: W1's pong and W3's echo.
func replyMsg(p *actor.Process) error {
	if m, ok := p.Message().(Msg); ok {
		return p.Reply(m)
	}
	return nil
}

// finish turns a timeout into ErrIncomplete with the counts.
func (t *Troupe) finish(ctx context.Context, r Result, err error) error {
	if errors.Is(err, errTimeout) {
		return Incomplete(ctx, r)
	}
	return err
}

var errTimeout = errors.New("bench: timeout")

func waitDone(ctx context.Context, done <-chan struct{}) error {
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return errTimeout
	}
}

// RequestReply runs W3: n sequential System.Request calls to an echo
// actor that answers each with p.Reply.
func (t *Troupe) RequestReply(ctx context.Context, n int) (Result, error) {
	r := Result{Runtime: t.Name(), Workload: W3RequestReply, N: n}
	if err := checkN(r.Workload, n, 1); err != nil {
		return r, err
	}
	lat := make([]time.Duration, n)
	err := withSystem(ctx, func(sys *actor.System) error {
		echo, err := sys.Spawn(ctx, actor.Func(replyMsg))
		if err != nil {
			return fmt.Errorf("bench: spawn echo: %w", err)
		}
		start := time.Now()
		for i := range n {
			t0 := time.Now()
			v, err := sys.Request(ctx, echo, Msg{V: int64(i)})
			if err != nil {
				return fmt.Errorf("bench: request %d: %w", i, err)
			}
			if m, ok := v.(Msg); !ok || m.V != int64(i) {
				return fmt.Errorf("%w: request %d answered with %v", ErrWrongReply, i, v)
			}
			lat[i] = time.Since(t0)
			r.Counted++
		}
		r.Elapsed = time.Since(start)
		return nil
	})
	if err != nil {
		return r, err
	}
	r.P50, r.P99 = Percentile(lat, 0.50), Percentile(lat, 0.99)
	return r, nil
}
