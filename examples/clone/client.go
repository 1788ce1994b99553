package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// errGap is the client's exit reason when updates are missing.
var errGap = errors.New("clone: gap in update sequence numbers")

// getStats asks the client for its account.
type getStats struct{}

// clientStats is the client's account.
type clientStats struct {
	SnapshotSeq  uint64
	SnapshotKeys int
	Skipped      int   // updates already in the snapshot (seq ≤ snapshot's)
	Applied      int   // updates applied (seq strictly greater)
	Ignored      int   // updates received after a gap
	Gap          error // the gap that stopped the client, if any
	Hash         stateHash
}

// client is the guide's clone client: subscribe first, then ask for a
// snapshot, then apply only the updates newer than the snapshot. On a gap
// it stops applying and warns; it does not ask again.
type client struct {
	server actor.Ref
	delay  time.Duration // simulated latency before asking for the snapshot
	state  *kvState
	stats  clientStats
}

func (c *client) behavior() actor.Behavior {
	return actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		p.Subscribe(topicUpdate) // first: nothing published from now on is missed
		if err := c.takeSnapshot(p); err != nil {
			return err
		}
		for {
			select {
			case v := <-inbox:
				if err := c.handle(p, p.Accept(v)); err != nil {
					return err
				}
			case <-p.Context().Done():
				return nil
			}
		}
	})
}

// takeSnapshot waits out the simulated latency, then asks the server for
// its state. Updates published meanwhile queue up in the inbox.
func (c *client) takeSnapshot(p *actor.Process) error {
	t := time.NewTimer(c.delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-p.Context().Done():
		return nil
	}
	ctx, cancel := context.WithTimeout(p.Context(), 5*time.Second)
	defer cancel()
	v, err := p.Request(ctx, c.server, getSnapshot{})
	if err != nil {
		return fmt.Errorf("clone: client: snapshot: %w", err)
	}
	snap, ok := v.(snapshot)
	if !ok {
		return fmt.Errorf("clone: client: snapshot request answered with %T", v)
	}
	c.state = &kvState{m: snap.Entries, seq: snap.Seq}
	c.stats.SnapshotSeq, c.stats.SnapshotKeys = snap.Seq, len(snap.Entries)
	return nil
}

func (c *client) handle(p *actor.Process, msg any) error {
	switch m := msg.(type) {
	case actor.Publication:
		u, ok := m.Message.(kvUpdate)
		if !ok {
			return fmt.Errorf("clone: client: unexpected publication %T on %q", m.Message, m.Topic)
		}
		if err := c.update(u); err != nil {
			p.Logger().Warn("clone: client stops applying updates", "err", err)
		}
	case getStats:
		c.stats.Hash = c.state.hash()
		return p.Reply(c.stats)
	default:
		return fmt.Errorf("clone: client: unexpected message %T", msg)
	}
	return nil
}

// update applies u if it is the next one, skips it if the snapshot has it
// already, and stops applying on a gap: it returns the gap's error once,
// and ignores every later update.
func (c *client) update(u kvUpdate) error {
	switch {
	case c.stats.Gap != nil:
		c.stats.Ignored++
	case u.Seq <= c.state.seq:
		c.stats.Skipped++
	case u.Seq == c.state.seq+1:
		c.state.apply(u)
		c.stats.Applied++
	default:
		c.stats.Gap = fmt.Errorf("%w: expected %d, got %d (%d updates lost)", errGap, c.state.seq+1, u.Seq, u.Seq-c.state.seq-1)
		c.stats.Ignored++
		return c.stats.Gap
	}
	return nil
}
