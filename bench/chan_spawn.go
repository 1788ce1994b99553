package bench

import (
	"context"
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
	r, probe, err := startSpawn(c.Name(), n)
	if err != nil {
		return r, err
	}
	handled := newCountdown(n) // the last goroutine to count closes handled.done
	start := time.Now()
	actors := make([]chanActor, n)
	for i := range actors {
		a := chanActor{inbox: make(chan Msg, 1), done: make(chan struct{})}
		actors[i] = a
		go a.run(handled)
	}
	for i := range actors {
		actors[i].inbox <- Msg{V: int64(i)} // capacity 1, never blocks
	}
	var waitErr error
	select {
	case <-handled.done:
	case <-ctx.Done():
		waitErr = ctx.Err()
	}
	for i := range actors {
		close(actors[i].inbox)
		<-actors[i].done
	}
	r.Elapsed = time.Since(start)
	r.Counted = handled.counted()
	if waitErr != nil {
		return r, Incomplete(ctx, r)
	}
	return r, probe.Finish(&r)
}

func (a chanActor) run(handled *countdown) {
	defer close(a.done)
	for range a.inbox {
		handled.add()
	}
}
