package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// Spawn runs W4: spawn n actors in handler form with default options, send
// each one Msg with System.Send, wait until all have handled theirs, then
// call System.Stop on each in turn (each waits for its actor to stop).
func (t *Troupe) Spawn(ctx context.Context, n int) (Result, error) {
	r, probe, err := startSpawn(t.Name(), n)
	if err != nil {
		return r, err
	}
	handled := newCountdown(n) // the actor that counts the n-th closes handled.done
	b := actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(Msg); ok {
			handled.add()
		}
		return nil
	})
	err = withSystem(ctx, func(sys *actor.System) error {
		start := time.Now()
		refs := make([]actor.Ref, n)
		for i := range refs {
			ref, err := sys.Spawn(ctx, b)
			if err != nil {
				return fmt.Errorf("bench: spawn %d: %w", i, err)
			}
			refs[i] = ref
		}
		for i, ref := range refs {
			if err := sys.Send(ctx, ref, Msg{V: int64(i)}); err != nil {
				return fmt.Errorf("bench: send to %d: %w", i, err)
			}
		}
		if err := waitDone(ctx, handled.done); err != nil {
			return err
		}
		for i, ref := range refs {
			if err := sys.Stop(ctx, ref); err != nil {
				return fmt.Errorf("bench: stop %d: %w", i, err)
			}
		}
		r.Elapsed = time.Since(start)
		return nil
	})
	r.Counted = handled.counted()
	if err != nil {
		return r, t.finish(ctx, r, err)
	}
	return r, probe.Finish(&r)
}
