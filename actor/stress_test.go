package actor_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// Many goroutines send to many actors, by name and by ref, with and without
// a sender, while the actors fail, get killed, are stopped and respawned,
// under every overflow policy. Every message sent is accounted for: it was
// handled, or it is a dead letter.
func TestStressEveryMessageAccountedFor(t *testing.T) {
	const (
		actors    = 12
		senders   = 6
		perSender = 5000
	)
	sys := newSystem(t)
	ctx := testContext(t)
	var delivered atomic.Int64
	behavior := actor.Func(func(p *actor.Process) error {
		n, ok := p.Message().(int)
		if !ok {
			return nil
		}
		delivered.Add(1)
		switch {
		case n%251 == 0:
			panic("stress")
		case n%257 == 0:
			return errBoom
		}
		return nil
	})
	policies := []mailbox.Policy{mailbox.Block, mailbox.DropNewest, mailbox.Fail, mailbox.DropOldest}
	name := func(i int) string { return fmt.Sprintf("w%d", i) }
	opts := func(i int) []actor.SpawnOption {
		return []actor.SpawnOption{
			actor.WithName(name(i)),
			actor.WithMailbox(mailbox.WithCapacity(4), mailbox.WithPolicy(policies[i%len(policies)])),
		}
	}
	refs := make([]atomic.Pointer[actor.Ref], actors)
	for i := range actors {
		ref := spawn(t, sys, behavior, opts(i)...)
		refs[i].Store(&ref)
	}

	done := make(chan struct{})
	chaosDone := make(chan struct{})
	var rounds int
	go func() {
		defer close(chaosDone)
		for rounds = 0; rounds < 100_000; rounds++ {
			select {
			case <-done:
				return
			default:
			}
			i := rounds % actors
			cur := *refs[i].Load()
			switch rounds % 3 {
			case 0:
				if err := sys.Stop(ctx, actor.Ref{Name: name(i)}); err != nil {
					t.Errorf("Stop: %v", err)
					return
				}
			case 1:
				sys.Kill(cur)
			case 2:
				if err := sys.Exit(ctx, cur, errBoom); err != nil {
					t.Errorf("Exit: %v", err)
					return
				}
			}
			ref, err := sys.Spawn(ctx, behavior, opts(i)...)
			switch {
			case err == nil:
			case errors.Is(err, actor.ErrNameTaken): // the system restarted it first
				var ok bool
				if ref, ok = sys.Lookup(name(i)); !ok {
					continue
				}
			default:
				t.Errorf("Spawn: %v", err)
				return
			}
			refs[i].Store(&ref)
		}
	}()

	var sent atomic.Int64
	var wg sync.WaitGroup
	from := actor.Ref{Name: "stress", ID: 1}
	for g := range senders {
		wg.Go(func() {
			for j := range perSender {
				i := (g*7 + j) % actors
				to := actor.Ref{Name: name(i)}
				if j%2 == 1 {
					to = *refs[i].Load()
				}
				n := 1 + g*perSender + j
				sent.Add(1)
				if j%3 == 0 {
					_ = sys.Deliver(ctx, to, from, n)
				} else {
					_ = sys.Send(ctx, to, n)
				}
			}
		})
	}
	wg.Wait()
	close(done)
	<-chaosDone
	if err := sys.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}

	dead := sys.DeadLetters()
	t.Logf("sent %d, delivered %d, dead letters %v, chaos rounds %d", sent.Load(), delivered.Load(), dead, rounds)
	if got := uint64(delivered.Load()) + dead.Total(); got != uint64(sent.Load()) {
		t.Errorf("delivered %d + dead letters %d = %d, want %d sent", delivered.Load(), dead.Total(), got, sent.Load())
	}
	if delivered.Load() == 0 || dead[actor.ReasonNotFound] == 0 || rounds == 0 {
		t.Errorf("the stress did not stress: %d delivered, %v dead, %d rounds", delivered.Load(), dead, rounds)
	}
	if dead[actor.ReasonTimeout] != 0 {
		t.Errorf("%d sends timed out: a blocked sender was never released", dead[actor.ReasonTimeout])
	}
}
