package main

import (
	"context"
	"fmt"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// getDrops asks the dead-letter counter for its counts.
type getDrops struct{}

// drops counts dead letters by the name of the actor they were meant for.
type drops map[string]int

// deadLetterCapacity is the counter's mailbox: large, so that it can
// absorb a burst of drops while the publisher runs flat out. The events it
// misses in spite of that are counted by the runtime, not republished.
const deadLetterCapacity = 1 << 14

// spawnDropCounter starts an actor that counts the dead letters published
// on actor.TopicDeadLetter, by target.
func spawnDropCounter(ctx context.Context, sys *actor.System) (actor.Ref, error) {
	counts := drops{}
	ref, err := sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case actor.Publication:
			if dl, ok := m.Message.(actor.DeadLetter); ok {
				counts[dl.Target.Name]++
			}
		case getDrops:
			out := make(drops, len(counts))
			for k, v := range counts {
				out[k] = v
			}
			return p.Reply(out)
		}
		return nil
	}), actor.WithName("dead-letters"), actor.WithMailbox(mailbox.WithCapacity(deadLetterCapacity)))
	if err != nil {
		return ref, fmt.Errorf("fanout: spawn dead-letter counter: %w", err)
	}
	sys.Subscribe(ref, actor.TopicDeadLetter)
	return ref, nil
}

// askDrops returns the dead-letter counts so far.
func askDrops(ctx context.Context, sys *actor.System, ref actor.Ref) (drops, error) {
	v, err := sys.Request(ctx, ref, getDrops{})
	if err != nil {
		return nil, fmt.Errorf("fanout: dead-letter counts: %w", err)
	}
	d, ok := v.(drops)
	if !ok {
		return nil, fmt.Errorf("fanout: dead-letter counter answered %T", v)
	}
	return d, nil
}
