package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// Spawn runs W4: spawn n actors in handler form with default options, send
// each one Msg with System.Send, wait until all have handled theirs, then
// call System.Stop on each in turn (each waits for its actor to stop).
func (t *Troupe) Spawn(ctx context.Context, n int) (Result, error) {
	r := Result{Runtime: t.Name(), Workload: W4Spawn, N: n}
	if err := checkN(r.Workload, n, 1); err != nil {
		return r, err
	}
	probe, err := StartPeak()
	if err != nil {
		return r, err
	}
	// handled is shared by all n actors: an atomic is the cheapest correct
	// counter, and the actor that brings it to n closes all.
	var handled atomic.Int64
	all := make(chan struct{})
	b := actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(Msg); ok && handled.Add(1) == int64(n) {
			close(all)
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
		if err := waitDone(ctx, all); err != nil {
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
	r.Counted = int(handled.Load())
	if err != nil {
		return r, t.finish(ctx, r, err)
	}
	return r, probe.Finish(&r)
}
