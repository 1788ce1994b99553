package main

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
)

// runLateJoiner streams ticks to an early subscriber; once it has seen
// cfg.joinAt of them, a late joiner subscribes, and once that one has seen
// cfg.lateWant, the stream stops. The late joiner must have missed the
// start of the stream and seen everything after it joined: ZeroMQ's "slow
// joiner" is a fact of pub-sub, not a bug.
func runLateJoiner(ctx context.Context, w io.Writer, sys *actor.System, cfg config) error {
	earlyAt, lateAt := make(chan struct{}), make(chan struct{})
	early, err := spawnSubscriber(ctx, sys, cfg, "early", signalAt(cfg.joinAt, earlyAt), nil)
	if err != nil {
		return err
	}
	sys.Subscribe(early, "tick")
	var published atomic.Int64
	start := make(chan struct{})
	close(start)
	s := stream{source: "ticker", topic: "tick", interval: cfg.interval, start: start, published: &published}
	pub, err := sys.Spawn(ctx, s.behavior(), actor.WithName("ticker"))
	if err != nil {
		return fmt.Errorf("fanout: spawn ticker: %w", err)
	}
	if err := cli.Wait(ctx, earlyAt, "fanout", "the early subscriber"); err != nil {
		return err
	}
	// joinedAt is the last seq published when the late joiner had
	// subscribed: everything after the next one is certain to reach it.
	var joinedAt atomic.Int64
	late, err := spawnSubscriber(ctx, sys, cfg, "late", signalAt(cfg.lateWant, lateAt), func(p *actor.Process) {
		p.Subscribe("tick")
		joinedAt.Store(published.Load())
	})
	if err != nil {
		return err
	}
	if err := cli.Wait(ctx, lateAt, "fanout", "the late joiner"); err != nil {
		return err
	}
	if err := sys.Stop(ctx, pub); err != nil {
		return fmt.Errorf("fanout: stop ticker: %w", err)
	}
	return reportLateJoiner(ctx, w, sys, early, late, published.Load(), joinedAt.Load())
}

func reportLateJoiner(ctx context.Context, w io.Writer, sys *actor.System, early, late actor.Ref, total, joinedAt int64) error {
	te, err := askTally(ctx, sys, early)
	if err != nil {
		return err
	}
	tl, err := askTally(ctx, sys, late)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "late joiner: the ticker published %d messages\n", total)
	fmt.Fprintf(w, "  early saw %d..%d (%d messages, %d gaps)\n", te.First, te.Last, te.Count, te.Gaps)
	fmt.Fprintf(w, "  late joined when the ticker was at %d, saw %d..%d (%d messages, %d gaps), missed %d\n",
		joinedAt, tl.First, tl.Last, tl.Count, tl.Gaps, tl.First-1)
	switch {
	case te.First != 1 || int64(te.Count) != total || te.Gaps != 0:
		return fmt.Errorf("%w: early saw %d from %d with %d gaps, want all %d", errMismatch, te.Count, te.First, te.Gaps, total)
	case int64(tl.First) <= 1 || int64(tl.First) > joinedAt+2 || int64(tl.Last) != total || tl.Gaps != 0:
		// It cannot have seen seq 1 (it joined after the early subscriber
		// saw joinAt), and it saw every seq after joinedAt+1 in order.
		return fmt.Errorf("%w: late saw %d..%d with %d gaps, joined at %d of %d", errMismatch, tl.First, tl.Last, tl.Gaps, joinedAt, total)
	}
	return nil
}
