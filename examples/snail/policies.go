package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// A policyRow is what one overflow policy did with the same burst.
type policyRow struct {
	policy     mailbox.Policy
	sendErrors int
	stats      mailbox.Stats
	received   []int
	dead       actor.DeadLetterCounts // dead letters caused by this burst
}

// runPolicies sends the same burst to a paused consumer under each
// overflow policy and prints what each did with it.
func runPolicies(ctx context.Context, w io.Writer, sys *actor.System, cfg config) ([]policyRow, error) {
	fmt.Fprintf(w, "HWM policies: capacity %d, %d messages sent to a paused consumer, then it drains\n", cfg.policyHWM, cfg.burst)
	fmt.Fprintf(w, "  %-12s %-11s %-6s %-8s %-8s %-9s %-9s %-7s %s\n",
		"policy", "send-errors", "posted", "dropped", "evicted", "rejected", "received", "kept", "dead letters")
	var rows []policyRow
	for _, pol := range []mailbox.Policy{mailbox.Block, mailbox.DropNewest, mailbox.DropOldest, mailbox.Fail} {
		row, err := burst(ctx, sys, cfg, pol)
		if err != nil {
			return nil, err
		}
		kept := "-"
		if n := len(row.received); n > 0 {
			kept = fmt.Sprintf("%d..%d", row.received[0], row.received[n-1])
		}
		s := row.stats
		fmt.Fprintf(w, "  %-12s %-11d %-6d %-8d %-8d %-9d %-9d %-7s %s\n",
			pol, row.sendErrors, s.Posted, s.Dropped, s.Evicted, s.Rejected, len(row.received), kept, reasons(row.dead))
		rows = append(rows, row)
	}
	fmt.Fprintln(w, "  block: each send past the HWM waited its deadline and failed (backpressure); drop-newest is PUB,")
	fmt.Fprintln(w, "  drop-oldest keeps the latest, fail refuses at once; every message not kept is a counted dead letter")
	return rows, nil
}

// burst sends cfg.burst messages to a paused consumer with the given
// policy, then lets it drain, and returns the counts.
func burst(ctx context.Context, sys *actor.System, cfg config, pol mailbox.Policy) (policyRow, error) {
	row := policyRow{policy: pol}
	gate := make(chan struct{})
	got := make(chan []int, 1)
	ref, err := sys.Spawn(ctx, pausedConsumer(gate, got),
		actor.WithMailbox(mailbox.WithCapacity(cfg.policyHWM), mailbox.WithPolicy(pol)))
	if err != nil {
		return row, fmt.Errorf("snail: spawn %s consumer: %w", pol, err)
	}
	before := sys.DeadLetters()
	for i := 1; i <= cfg.burst; i++ {
		sctx, cancel := context.WithTimeout(ctx, cfg.blockWait)
		if err := sys.Send(sctx, ref, i); err != nil {
			row.sendErrors++
		}
		cancel()
	}
	row.stats, _ = sys.MailboxStats(ref)
	close(gate)
	select {
	case row.received = <-got:
	case <-ctx.Done():
		return row, fmt.Errorf("snail: waiting for the %s consumer: %w", pol, context.Cause(ctx))
	}
	row.dead = diff(sys.DeadLetters(), before)
	return row, nil
}

// pausedConsumer waits for gate to close, then takes every message
// already in its mailbox (all sends are over by then), hands them to got
// and stops.
func pausedConsumer(gate <-chan struct{}, got chan<- []int) actor.Behavior {
	return actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		select {
		case <-gate:
		case <-p.Context().Done():
			return nil
		}
		var msgs []int
		for {
			select {
			case v := <-inbox:
				n, ok := p.Accept(v).(int)
				if !ok {
					return fmt.Errorf("snail: paused consumer: unexpected message %T", p.Message())
				}
				msgs = append(msgs, n)
			default:
				got <- msgs
				return nil
			}
		}
	})
}

func diff(after, before actor.DeadLetterCounts) actor.DeadLetterCounts {
	d := actor.DeadLetterCounts{}
	for k, v := range after {
		if v > before[k] {
			d[k] = v - before[k]
		}
	}
	return d
}

// reasons prints dead-letter counts as "reason:n …".
func reasons(d actor.DeadLetterCounts) string {
	var parts []string
	for _, r := range slices.Sorted(maps.Keys(d)) {
		parts = append(parts, fmt.Sprintf("%v:%d", r, d[r]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}
