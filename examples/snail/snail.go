package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/supervisor"
)

// errSnail is returned when the suicidal-snail part does not go as the
// pattern says.
var errSnail = errors.New("snail: the slow consumer was not handled as a snail")

// runSnail starts a supervisor with a fast and a slow consumer under the
// suicidal-snail policy, publishes the stream, and reports what became of
// each.
func runSnail(ctx context.Context, w io.Writer, sys *actor.System, cfg config) error {
	events := make(chan snailStop, 4)
	start := time.Now()
	defer sys.SubscribeFunc(actor.TopicSlowConsumer, func(pub actor.Publication) {
		if ev, ok := pub.Message.(actor.SlowConsumer); ok {
			select {
			case events <- snailStop{ev: ev, at: time.Since(start)}:
			default: // more stops than this example can have; the test would see them missing
			}
		}
	})()
	var fast, slow tally
	spec := supervisor.NewSpec(supervisor.OneForOne,
		supervisor.ChildSpec{Name: "fast", Behavior: consumer(&fast, 0, cfg.seed)},
		supervisor.ChildSpec{Name: "slow", Behavior: consumer(&slow, cfg.slowCost, cfg.seed)},
	)
	spec.HWM = supervisor.HWM{Capacity: cfg.hwm, Policy: mailbox.DropNewest}
	spec.Snail = &supervisor.Snail{MaxDelay: cfg.maxDelay} // Restart false: left stopped
	sup, err := supervisor.Start(ctx, sys, spec, actor.WithName("snail"))
	if err != nil {
		return fmt.Errorf("snail: start supervisor: %w", err)
	}
	fmt.Fprintf(w, "suicidal snail: %d ticks, one every %v; slow consumer takes %v-%v a tick; MaxDelay %v, HWM %d (drop-newest)\n",
		cfg.ticks, cfg.interval, cfg.slowCost/2, cfg.slowCost, cfg.maxDelay, cfg.hwm)
	done := make(chan time.Duration, 1)
	if _, err := sys.Spawn(ctx, publisher(cfg.ticks, cfg.interval, done), actor.WithName("publisher")); err != nil {
		return fmt.Errorf("snail: spawn publisher: %w", err)
	}
	var took time.Duration
	select {
	case took = <-done:
	case <-ctx.Done():
		return fmt.Errorf("snail: waiting for the publisher: %w", context.Cause(ctx))
	}
	fmt.Fprintf(w, "  publisher: %d ticks in %v (never slowed down)\n", cfg.ticks, took.Round(time.Millisecond))
	return reportSnail(ctx, w, sys, cfg, sup, &fast, &slow, events)
}

// A snailStop is a SlowConsumer event and when it came.
type snailStop struct {
	ev actor.SlowConsumer
	at time.Duration // since the start
}

func reportSnail(ctx context.Context, w io.Writer, sys *actor.System, cfg config, sup actor.Ref,
	fast, slow *tally, events <-chan snailStop) error {
	// The fast consumer's tally is complete once it has answered a
	// request queued behind the last tick.
	if err := flush(ctx, sys, "snail/fast"); err != nil {
		return err
	}
	fs, _ := sys.MailboxStats(mustLookup(sys, "snail/fast"))
	fmt.Fprintf(w, "  fast: received=%d max-lag=%v max-depth=%d dropped=%d\n",
		fast.received.Load(), time.Duration(fast.maxLag.Load()).Round(time.Microsecond), fs.MaxDepth, fs.Lost())
	// The stop normally comes long before the publisher is done; give a
	// late one its due, no more.
	grace := time.NewTimer(2*cfg.maxDelay + time.Second)
	defer grace.Stop()
	var stop snailStop
	select {
	case stop = <-events:
	case <-grace.C:
		return fmt.Errorf("%w: no SlowConsumer event", errSnail)
	case <-ctx.Done():
		return fmt.Errorf("snail: waiting for the SlowConsumer event: %w", context.Cause(ctx))
	}
	ev := stop.ev
	fmt.Fprintf(w, "  slow: stopped after %v, having received %d (up to seq %d)\n",
		stop.at.Round(time.Millisecond), slow.received.Load(), slow.last.Load())
	fmt.Fprintf(w, "  event: SlowConsumer{Ref: %v, Reason: %v}\n", ev.Ref, ev.Reason)
	if m := ev.Mailbox; m.Capacity > 0 { // a stop for a gap comes after the mailbox is gone
		fmt.Fprintf(w, "  slow mailbox at the stop: depth=%d max-depth=%d capacity=%d dropped=%d\n",
			m.Depth, m.MaxDepth, m.Capacity, m.Dropped)
	}
	dl := sys.DeadLetters()
	fmt.Fprintf(w, "  dead letters: dropped=%d (ticks the full mailbox refused) stopped=%d (queued when it was stopped)\n",
		dl[actor.ReasonDropped], dl[actor.ReasonStopped]+dl[actor.ReasonNotFound])
	kids, err := supervisor.WhichChildren(ctx, sys, sup)
	if err != nil {
		return fmt.Errorf("snail: which children: %w", err)
	}
	for _, k := range kids {
		fmt.Fprintf(w, "  child %s: %s\n", k.Name, k.State)
	}
	return checkSnail(cfg, fast, ev)
}

// checkSnail checks the pattern's promises: the fast consumer got every
// tick, the slow one was stopped as a slow consumer, its mailbox never
// held more than the HWM, and a delay stop came within MaxDelay (plus the
// sampling error).
func checkSnail(cfg config, fast *tally, ev actor.SlowConsumer) error {
	switch {
	case fast.received.Load() != int64(cfg.ticks):
		return fmt.Errorf("%w: fast consumer received %d of %d", errSnail, fast.received.Load(), cfg.ticks)
	case ev.Ref.Name != "snail/slow" || !errors.Is(ev.Reason, actor.ErrSlowConsumer):
		return fmt.Errorf("%w: event for %v: %v", errSnail, ev.Ref, ev.Reason)
	case ev.Mailbox.MaxDepth > cfg.hwm:
		return fmt.Errorf("%w: slow mailbox reached %d, above its HWM %d", errSnail, ev.Mailbox.MaxDepth, cfg.hwm)
	}
	var se *supervisor.SnailError
	if errors.As(ev.Reason, &se) && se.Age > cfg.maxDelay+max(cfg.maxDelay/2, 100*time.Millisecond) {
		return fmt.Errorf("%w: stopped only when its oldest tick had waited %v (MaxDelay %v)", errSnail, se.Age, cfg.maxDelay)
	}
	return nil
}

// flush waits until the actor registered as name has handled everything
// queued before now: a request goes behind it.
func flush(ctx context.Context, sys *actor.System, name string) error {
	if _, err := sys.Request(ctx, actor.Ref{Name: name}, ping{}); err != nil {
		return fmt.Errorf("snail: flush %s: %w", name, err)
	}
	return nil
}

func mustLookup(sys *actor.System, name string) actor.Ref {
	ref, _ := sys.Lookup(name)
	return ref
}
