package actor_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// statsRequest asks a counting actor for its own mailbox counters.
type statsRequest struct{}

// counting is an actor that blocks on g (if not nil) for its first int,
// then counts and records every int it handles, and answers statsRequest
// with p.Mailbox().
type counting struct {
	delivered atomic.Int64
	values    chan int
}

func (c *counting) behavior(g *gate) actor.Behavior {
	first := true
	return actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case int:
			if first && g != nil {
				first = false
				g.block()
			}
			c.delivered.Add(1)
			c.values <- m
		case statsRequest:
			return p.Reply(p.Mailbox())
		}
		return nil
	})
}

func newCounting() *counting { return &counting{values: make(chan int, 4096)} }

// stats returns the mailbox counters once every queued message was
// handled (the stats request included), and checks that the actor's own
// view, p.Mailbox(), agrees with sys.MailboxStats. The actor may not see
// its current message counted yet: the sender counts a message after
// queuing it.
func (c *counting) stats(t *testing.T, sys *actor.System, ref actor.Ref) actor.MailboxStats {
	t.Helper()
	r, err := sys.Request(testContext(t), ref, statsRequest{})
	if err != nil {
		t.Fatalf("stats: %v", err)
	}
	own := r.(actor.MailboxStats)
	outside, ok := sys.MailboxStats(ref)
	if !ok {
		t.Fatalf("MailboxStats(%v): no such actor", ref)
	}
	lag := outside
	lag.Posted--
	lag.Received--
	if own != outside && own != lag {
		t.Errorf("MailboxStats = %+v, p.Mailbox() = %+v", outside, own)
	}
	return outside
}

// sendAll has k goroutines send m ints each to ref, each Send bounded by
// timeout (testTimeout if 0), and returns the errors Send returned.
func sendAll(t *testing.T, sys *actor.System, ref actor.Ref, k, m int, timeout time.Duration) []error {
	if timeout == 0 {
		timeout = testTimeout
	}
	var wg sync.WaitGroup
	errs := make(chan error, k*m)
	for g := range k {
		wg.Go(func() {
			for i := range m {
				ctx, cancel := context.WithTimeout(t.Context(), timeout)
				if err := sys.Send(ctx, ref, 1+g*m+i); err != nil {
					errs <- err
				}
				cancel()
			}
		})
	}
	wg.Wait()
	close(errs)
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

const senders, perSender, capacity = 8, 50, 2

// stalled spawns a counting actor with the policy, holding its first
// message, and returns it with its gate.
func stalled(t *testing.T, sys *actor.System, policy mailbox.Policy) (actor.Ref, *counting, *gate) {
	t.Helper()
	c, g := newCounting(), newGate(t)
	ref := spawn(t, sys, c.behavior(g), actor.WithMailbox(mailbox.WithCapacity(capacity), mailbox.WithPolicy(policy)))
	if err := sys.Send(testContext(t), ref, 0); err != nil {
		t.Fatal(err)
	}
	g.wait(t)
	return ref, c, g
}

// waitDelivered waits until the actor has handled n ints.
func (c *counting) waitDelivered(t *testing.T, n int) []int {
	t.Helper()
	out := make([]int, n)
	for i := range out {
		out[i] = recv(t, c.values, "delivered value")
	}
	return out
}

func TestPolicyBlockTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := newSystem(t)
		ref, c, g := stalled(t, sys, mailbox.Block)
		for i := range capacity {
			if err := sys.Send(testContext(t), ref, 100+i); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		errs := sendAll(t, sys, ref, senders, 1, 50*time.Millisecond)
		if d := time.Since(start); d != 50*time.Millisecond {
			t.Errorf("blocked senders gave up after %v, want 50ms", d)
		}
		if len(errs) != senders {
			t.Fatalf("%d senders failed, want %d", len(errs), senders)
		}
		for _, err := range errs {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Send: %v, want DeadlineExceeded", err)
			}
		}
		if n := sys.DeadLetters()[actor.ReasonTimeout]; n != senders {
			t.Errorf("%d timeout dead letters, want %d", n, senders)
		}
		g.release()
		c.waitDelivered(t, 1+capacity)
		st := c.stats(t, sys, ref)
		if st.Posted != 1+capacity+1 || st.Dropped+st.Evicted != 0 || st.Rejected != senders || st.MaxDepth != capacity {
			t.Errorf("stats %+v: want %d posted (stats request included), %d refused, nothing lost, max depth %d",
				st, capacity+2, senders, capacity)
		}
	})
}

// Concurrent senders to an actor that keeps up: everything arrives, in
// each sender's order, and the queue never exceeds its capacity.
func TestPolicyBlockConcurrent(t *testing.T) {
	sys := newSystem(t)
	c := newCounting()
	ref := spawn(t, sys, c.behavior(nil), actor.WithMailbox(mailbox.WithCapacity(capacity)))
	if errs := sendAll(t, sys, ref, senders, perSender, 0); len(errs) != 0 {
		t.Fatalf("Send errors: %v", errs)
	}
	last := make([]int, senders)
	for _, v := range c.waitDelivered(t, senders*perSender) {
		g := (v - 1) / perSender
		if v <= last[g] {
			t.Fatalf("sender %d: %d after %d", g, v, last[g])
		}
		last[g] = v
	}
	st := c.stats(t, sys, ref)
	if st.Posted != senders*perSender+1 || st.MaxDepth > capacity || st.Lost() != 0 {
		t.Errorf("stats %+v", st)
	}
	if n := sys.DeadLetters().Total(); n != 0 {
		t.Errorf("%d dead letters", n)
	}
}

func TestPolicyFail(t *testing.T) {
	sys := newSystem(t)
	ref, c, g := stalled(t, sys, mailbox.Fail)
	errs := sendAll(t, sys, ref, senders, perSender, 0)
	refused := senders*perSender - capacity
	if len(errs) != refused {
		t.Fatalf("%d sends refused, want %d", len(errs), refused)
	}
	for _, err := range errs {
		if !errors.Is(err, mailbox.ErrFull) {
			t.Fatalf("Send: %v, want mailbox.ErrFull", err)
		}
	}
	g.release()
	c.waitDelivered(t, 1+capacity)
	st := c.stats(t, sys, ref)
	if st.Rejected != uint64(refused) || st.Posted != 1+capacity+1 || st.Lost() != 0 {
		t.Errorf("stats %+v: want %d rejected, %d posted", st, refused, capacity+2)
	}
	if dl := sys.DeadLetters(); dl[actor.ReasonFull] != uint64(refused) || dl.Total() != uint64(refused) {
		t.Errorf("dead letters %v, want %d full", dl, refused)
	}
}

func TestPolicyDropNewest(t *testing.T) {
	sys := newSystem(t)
	ref, c, g := stalled(t, sys, mailbox.DropNewest)
	if errs := sendAll(t, sys, ref, senders, perSender, 0); len(errs) != 0 {
		t.Fatalf("Send errors under DropNewest: %v", errs)
	}
	dropped := senders*perSender - capacity
	g.release()
	c.waitDelivered(t, 1+capacity)
	st := c.stats(t, sys, ref)
	if st.Dropped != uint64(dropped) || st.Posted != 1+capacity+1 || st.Evicted != 0 {
		t.Errorf("stats %+v: want %d dropped", st, dropped)
	}
	if dl := sys.DeadLetters(); dl[actor.ReasonDropped] != uint64(dropped) || dl.Total() != uint64(dropped) {
		t.Errorf("dead letters %v, want %d dropped", dl, dropped)
	}
	if n := c.delivered.Load(); n != 1+capacity {
		t.Errorf("%d delivered, want %d", n, 1+capacity)
	}
}

func TestPolicyDropOldest(t *testing.T) {
	sys := newSystem(t)
	ref, c, g := stalled(t, sys, mailbox.DropOldest)
	if errs := sendAll(t, sys, ref, senders, perSender, 0); len(errs) != 0 {
		t.Fatalf("Send errors under DropOldest: %v", errs)
	}
	g.release()
	c.waitDelivered(t, 1+capacity)
	st := c.stats(t, sys, ref)
	attempts := uint64(1 + senders*perSender + 1) // first, the burst, the stats request
	lost := st.Dropped + st.Evicted
	if st.Posted+st.Dropped != attempts || st.Posted-st.Evicted != 1+capacity+1 || lost != attempts-(1+capacity+1) {
		t.Errorf("stats %+v: want %d attempts = posted + dropped, %d received", st, attempts, capacity+2)
	}
	if dl := sys.DeadLetters(); dl[actor.ReasonDropped] != lost || dl.Total() != lost {
		t.Errorf("dead letters %v, want %d dropped", dl, lost)
	}
	if n := c.delivered.Load(); n != 1+capacity {
		t.Errorf("%d delivered, want %d", n, 1+capacity)
	}
}

// With one sender, DropOldest keeps the newest messages.
func TestPolicyDropOldestKeepsNewest(t *testing.T) {
	sys := newSystem(t)
	ref, c, g := stalled(t, sys, mailbox.DropOldest)
	for i := 1; i <= 10; i++ {
		if err := sys.Send(testContext(t), ref, i); err != nil {
			t.Fatal(err)
		}
	}
	g.release()
	got := c.waitDelivered(t, 1+capacity)
	if got[0] != 0 || got[1] != 9 || got[2] != 10 {
		t.Errorf("delivered %v, want [0 9 10]", got)
	}
	dead := sys.DeadLetters()
	if dead[actor.ReasonDropped] != 8 {
		t.Errorf("dead letters %v, want 8 dropped", dead)
	}
}
