package actor_test

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// Stop lets a handler-form actor handle what was queued before the stop;
// returning ErrNormal stops at once.
func TestStopDrainsQueuedMessages(t *testing.T) {
	sys := newSystem(t)
	g := newGate(t)
	handled := make(chan any, 16)
	ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case string:
			if m == "first" {
				g.block()
			}
			handled <- m
		case actor.Stopping:
			handled <- "stopping"
		}
		return nil
	}))
	ctx := testContext(t)
	for _, m := range []string{"first", "a", "b", "c"} {
		if err := sys.Send(ctx, ref, m); err != nil {
			t.Fatal(err)
		}
	}
	g.wait(t)
	stopped := make(chan error, 1)
	go func() { stopped <- sys.Stop(ctx, ref) }()
	g.release()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	var got []any
	for len(handled) > 0 {
		got = append(got, <-handled)
	}
	want := []any{"first", "a", "b", "c", "stopping"}
	if len(got) != len(want) {
		t.Fatalf("handled %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("handled %v, want %v", got, want)
		}
	}
}

// A request whose message the target's policy drops fails at once instead
// of waiting for its deadline.
func TestDroppedRequestFailsAtOnce(t *testing.T) {
	sys := newSystem(t)
	g := newGate(t)
	ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(string); ok {
			g.block()
		}
		return nil
	}), actor.WithMailbox(mailbox.WithCapacity(1), mailbox.WithPolicy(mailbox.DropOldest)))
	ctx := testContext(t)
	if err := sys.Send(ctx, ref, "hold"); err != nil {
		t.Fatal(err)
	}
	g.wait(t)
	answer := make(chan error, 1)
	go func() {
		_, err := sys.Request(ctx, ref, 1) // queued, then evicted by the next
		answer <- err
	}()
	// Wait until the request is queued behind the held message (bounded).
	for i := 0; ; i++ {
		if st, _ := sys.MailboxStats(ref); st.Depth == 1 {
			break
		}
		if i > 1_000_000 {
			t.Fatal("the request never reached the mailbox")
		}
		runtime.Gosched()
	}
	if err := sys.Send(ctx, ref, 2); err != nil { // evicts the request
		t.Fatal(err)
	}
	if err := <-answer; !errors.Is(err, actor.ErrUndelivered) {
		t.Fatalf("request: %v, want ErrUndelivered", err)
	}
	g.release()
}

// A kill that comes before the actor first asks for its context still
// cancels that context.
func TestKillBeforeContext(t *testing.T) {
	sys := newSystem(t)
	g := newGate(t)
	cause := make(chan error, 1)
	ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(string); ok {
			g.block()
			<-p.Context().Done() // made after the kill
			cause <- context.Cause(p.Context())
		}
		return nil
	}))
	if err := sys.Send(testContext(t), ref, "go"); err != nil {
		t.Fatal(err)
	}
	g.wait(t)
	sys.Kill(ref)
	g.release()
	select {
	case err := <-cause:
		if !errors.Is(err, actor.ErrKilled) {
			t.Fatalf("cause %v, want ErrKilled", err)
		}
	case <-testContext(t).Done():
		t.Fatal("the killed actor's context was never cancelled")
	}
}

// With no lingering and no parked goroutines allowed, every message is
// handled by a goroutine that leaves at once: slower, but the same
// behaviour, and nothing is left running.
func TestNoLingerNoParking(t *testing.T) {
	sys := actor.NewSystem(actor.WithLinger(0), actor.WithParkedLimit(0))
	ctx := testContext(t)
	defer func() {
		if err := sys.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	}()
	echo, err := sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		if n, ok := p.Message().(int); ok {
			return p.Reply(n + 1)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		r, err := sys.Request(ctx, echo, i)
		if err != nil || r != i+1 {
			t.Fatalf("request %d: %v, %v", i, r, err)
		}
	}
}
