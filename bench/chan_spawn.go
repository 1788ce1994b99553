package bench

import (
	"context"
	"sync/atomic"
	"time"
)

// chanActor is one W4 goroutine: its inbox and a channel closed when it
// has exited.
type chanActor struct {
	inbox chan Msg
	done  chan struct{}
}

// Spawn runs W4: start n goroutines, each ranging over its own inbox of
// capacity 1; send each one Msg; wait until all have handled theirs; then
// stop them one by one (close the inbox, wait for the goroutine to exit).
func (c *Chan) Spawn(ctx context.Context, n int) (Result, error) {
	r := Result{Runtime: c.Name(), Workload: W4Spawn, N: n}
	if err := checkN(r.Workload, n, 1); err != nil {
		return r, err
	}
	probe, err := StartPeak()
	if err != nil {
		return r, err
	}
	// handled is shared by all n goroutines: an atomic is the cheapest
	// correct counter, and the last one to count closes all.
	var handled atomic.Int64
	all := make(chan struct{})
	start := time.Now()
	actors := make([]chanActor, n)
	for i := range actors {
		a := chanActor{inbox: make(chan Msg, 1), done: make(chan struct{})}
		actors[i] = a
		go a.run(&handled, int64(n), all)
	}
	for i := range actors {
		actors[i].inbox <- Msg{V: int64(i)} // capacity 1, never blocks
	}
	var waitErr error
	select {
	case <-all:
	case <-ctx.Done():
		waitErr = ctx.Err()
	}
	for i := range actors {
		close(actors[i].inbox)
		<-actors[i].done
	}
	r.Elapsed = time.Since(start)
	r.Counted = int(handled.Load())
	if waitErr != nil {
		return r, Incomplete(ctx, r)
	}
	return r, probe.Finish(&r)
}

func (a chanActor) run(handled *atomic.Int64, n int64, all chan<- struct{}) {
	defer close(a.done)
	for range a.inbox {
		if handled.Add(1) == n {
			close(all)
		}
	}
}
