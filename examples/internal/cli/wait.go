package cli

import (
	"context"
	"fmt"
	"time"
)

// Wait blocks until ch is closed (or receives) or ctx ends. In the second
// case it returns "NAME: waiting for WHAT: " and the context's cause, name
// being the example's and what saying what was awaited.
func Wait(ctx context.Context, ch <-chan struct{}, name, what string) error {
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: waiting for %s: %w", name, what, context.Cause(ctx))
	}
}

// SimulateWork stands for d of busy work in an actor: it blocks for d, or
// until ctx ends, and then returns the context's cause.
func SimulateWork(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
