package main

import (
	"context"
	"fmt"
	"io"

	"github.com/troupe-go/troupe/actor"
)

// runFairQueue starts two publishers at the same moment, each streaming
// cfg.perSource messages on its own topic, into one subscriber of both.
// Each stream must arrive whole and in order; how they interleave is up to
// the schedule, and is printed.
func runFairQueue(ctx context.Context, w io.Writer, sys *actor.System, cfg config) error {
	sub, err := spawnSubscriber(ctx, sys, cfg, "fair-sub", nil, nil)
	if err != nil {
		return err
	}
	sys.Subscribe(sub, "feed.")
	start := make(chan struct{})
	done := make(chan string, 2)
	for _, src := range []string{"pub-A", "pub-B"} {
		s := stream{source: src, topic: "feed." + src, n: cfg.perSource, interval: cfg.interval, start: start, done: done}
		if _, err := sys.Spawn(ctx, s.behavior(), actor.WithName(src)); err != nil {
			return fmt.Errorf("fanout: spawn %s: %w", src, err)
		}
	}
	close(start)
	for range 2 {
		select {
		case <-done:
		case <-ctx.Done():
			return fmt.Errorf("fanout: waiting for the publishers: %w", context.Cause(ctx))
		}
	}
	t, err := askTally(ctx, sys, sub)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "fair queuing: 2 publishers x %d messages into one subscriber\n", cfg.perSource)
	fmt.Fprintf(w, "  from pub-A=%d from pub-B=%d total=%d out-of-order=%d switches=%d longest-run=%d\n",
		t.BySource["pub-A"], t.BySource["pub-B"], t.Count, t.Gaps, t.Switches, t.LongestRun)
	if t.BySource["pub-A"] != cfg.perSource || t.BySource["pub-B"] != cfg.perSource || t.Gaps != 0 {
		return fmt.Errorf("%w: fair-sub got A=%d B=%d with %d out of order, want %d each in order",
			errMismatch, t.BySource["pub-A"], t.BySource["pub-B"], t.Gaps, cfg.perSource)
	}
	return nil
}
