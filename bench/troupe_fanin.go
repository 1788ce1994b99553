package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// FanIn runs W2: p goroutines call System.Send n times in total to one
// actor whose mailbox has the configured capacity and the Block policy.
// The actor counts; the run ends when it has counted n. Drops are read
// from the mailbox counters (System.MailboxStats, Stats.Lost) at the end;
// none are expected under Block.
func (t *Troupe) FanIn(ctx context.Context, n, p int) (Result, error) {
	r := Result{Runtime: t.Name(), Workload: W2FanIn, N: n, P: p, Capacity: t.cfg.capacity}
	if err := checkN(r.Workload, n, p); err != nil {
		return r, err
	}
	// counted is written by the actor and read by this goroutine after
	// counted.done or on timeout.
	counted := newCountdown(n)
	err := withSystem(ctx, func(sys *actor.System) error {
		sink, err := sys.Spawn(ctx, actor.Func(func(pr *actor.Process) error {
			if _, ok := pr.Message().(Msg); ok {
				counted.add()
			}
			return nil
		}), actor.WithMailbox(
			mailbox.WithCapacity(t.cfg.capacity),
			mailbox.WithPolicy(mailbox.Block),
		))
		if err != nil {
			return fmt.Errorf("bench: spawn sink: %w", err)
		}
		start := time.Now()
		sendErr := troupeProduce(ctx, sys, sink, n, p)
		err = waitDone(ctx, counted.done)
		r.Elapsed = time.Since(start)
		if st, ok := sys.MailboxStats(sink); ok {
			r.Drops = st.Lost()
		} else if err == nil {
			err = fmt.Errorf("bench: sink %v has no mailbox stats: %w", sink, actor.ErrNotFound)
		}
		if sendErr != nil {
			return sendErr
		}
		return err
	})
	r.Counted = counted.counted()
	return r, t.finish(ctx, r, err)
}

// troupeProduce runs p producers and returns the first send error.
func troupeProduce(ctx context.Context, sys *actor.System, to actor.Ref, n, p int) error {
	var wg sync.WaitGroup
	errs := make(chan error, p)
	for i := range p {
		wg.Go(func() {
			for j := range split(n, p, i) {
				if err := sys.Send(ctx, to, Msg{V: int64(j)}); err != nil {
					errs <- fmt.Errorf("bench: producer %d send %d: %w", i, j, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}
