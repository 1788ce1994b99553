package actor_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/troupe-go/troupe/actor"
	"go.uber.org/goleak"
)

// family is a handler that journals its Stopping and Stopped and spawns
// the named children in Started, each a family in turn.
func family(j journal, name string, children map[string][]string) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case actor.Started:
			for _, c := range children[name] {
				if _, err := p.Spawn(p.Context(), family(j, c, children), actor.WithName(c)); err != nil {
					return err
				}
			}
		case actor.Stopping:
			if m.Reason != actor.ErrShutdown {
				j.add("%s stopping with %v", name, m.Reason)
			}
			j.add("stopping %s", name)
		case actor.Stopped:
			j.add("stopped %s", name)
		}
		return nil
	})
}

// Shutdown stops top-level actors newest first, each one's children before
// it, youngest first; a parent's Stopping comes before its children's.
func TestShutdownOrder(t *testing.T) {
	sys := newSystem(t)
	j := newJournal()
	children := map[string][]string{
		"A": {"A1", "A2"}, "A1": {"A1g"},
		"B": {"B1", "B2"}, "B1": {"B1g"},
		"C": {"C1"},
	}
	for _, name := range []string{"A", "B", "C"} {
		spawn(t, sys, family(j, name, children), actor.WithName(name))
	}
	spawn(t, sys, actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		<-p.Context().Done()
		j.add("loop D returned: %v", context.Cause(p.Context()))
		return nil
	}))
	if err := sys.Shutdown(testContext(t)); err != nil {
		t.Fatal(err)
	}
	var stopped []string
	stoppingSeen := map[string]bool{}
	for _, e := range drain((<-chan string)(j)) {
		var name string
		if n, _ := fmt.Sscanf(e, "stopping %s", &name); n == 1 {
			stoppingSeen[name] = true
			continue
		}
		if n, _ := fmt.Sscanf(e, "stopped %s", &name); n == 1 {
			if !stoppingSeen[name] {
				t.Errorf("%s stopped without Stopping", name)
			}
			// A parent's Stopping comes before its children's.
			for parent, kids := range children {
				if slices.Contains(kids, name) && !stoppingSeen[parent] {
					t.Errorf("%s stopped before its parent %s began to stop", name, parent)
				}
			}
		}
		stopped = append(stopped, e)
	}
	want := []string{
		"loop D returned: " + actor.ErrShutdown.Error(),
		"stopped C1", "stopped C",
		"stopped B2", "stopped B1g", "stopped B1", "stopped B",
		"stopped A2", "stopped A1g", "stopped A1", "stopped A",
	}
	if !slices.Equal(stopped, want) {
		t.Errorf("stop order:\n got %q\nwant %q", stopped, want)
	}
}

// Shutdown is idempotent and safe from several goroutines; afterwards
// Spawn, Send and Request fail with ErrShutdown, and no goroutine is left.
func TestShutdownIdempotentAndFinal(t *testing.T) {
	sys := newSystem(t)
	ref := spawn(t, sys, actor.Func(doubler), actor.WithName("d"))
	spawn(t, sys, actor.Loop(tickerLoop(time.Millisecond)))
	if r, err := sys.Request(testContext(t), ref, 1); err != nil || r != 2 {
		t.Fatalf("Request = %v, %v", r, err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if err := sys.Shutdown(testContext(t)); err != nil {
				t.Errorf("Shutdown: %v", err)
			}
		})
	}
	wg.Wait()
	select {
	case <-sys.Done():
	default:
		t.Error("Done is not closed after Shutdown")
	}
	if err := sys.Shutdown(testContext(t)); err != nil {
		t.Errorf("Shutdown again: %v", err)
	}
	ctx := testContext(t)
	if _, err := sys.Spawn(ctx, actor.Func(noop)); !errors.Is(err, actor.ErrShutdown) {
		t.Errorf("Spawn after Shutdown: %v", err)
	}
	for _, to := range []actor.Ref{ref, {Name: "d"}} {
		if err := sys.Send(ctx, to, 1); !errors.Is(err, actor.ErrShutdown) {
			t.Errorf("Send to %v after Shutdown: %v", to, err)
		}
		if _, err := sys.Request(ctx, to, 1); !errors.Is(err, actor.ErrShutdown) {
			t.Errorf("Request to %v after Shutdown: %v", to, err)
		}
	}
	if sys.Alive(ref) {
		t.Error("an actor survived Shutdown")
	}
	goleak.VerifyNone(t)
}

// Shutdown whose context ends while an actor ignores its stop (blocked in
// Receive) returns the context's error at the deadline and kills it; the
// actor dies once released, without a Stopped step. The bubble proves that every goroutine exits in the end.
func TestShutdownDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := newSystem(t)
		g := newGate(t)
		j := newJournal()
		stuck := spawn(t, sys, actor.Func(func(p *actor.Process) error {
			switch p.Message().(type) {
			case string:
				g.block()
			case actor.Stopped:
				j.add("stuck stopped")
			}
			return nil
		}))
		spawn(t, sys, family(j, "other", nil))
		if err := sys.Send(testContext(t), stuck, "hold on"); err != nil {
			t.Fatal(err)
		}
		g.wait(t)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := sys.Shutdown(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown = %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 100*time.Millisecond {
			t.Errorf("Shutdown returned after %v, want 100ms", d)
		}
		j.expect(t, "stopping other", "stopped other")
		g.release()
		synctest.Wait()
		if sys.Alive(stuck) {
			t.Error("the killed actor is still alive once released")
		}
		j.empty(t) // killed: no Stopped step
		if err := sys.Shutdown(context.Background()); err != nil {
			t.Errorf("Shutdown after a failed one: %v", err)
		}
	})
}

// A child spawned by a parent that is already stopping is stopped with it:
// Shutdown leaves nothing behind.
func TestShutdownWithSpawnsInFlight(t *testing.T) {
	sys := newSystem(t)
	j := newJournal()
	spawn(t, sys, actor.Func(func(p *actor.Process) error {
		switch p.Message().(type) {
		case actor.Stopping:
			// Spawning while stopping fails or yields a child that is
			// stopped with its parent.
			_, _ = p.Spawn(p.Context(), family(j, "late", nil))
		case actor.Stopped:
			j.add("stopped spawner")
		}
		return nil
	}))
	if err := sys.Shutdown(testContext(t)); err != nil {
		t.Fatal(err)
	}
	got := drain((<-chan string)(j))
	if len(got) == 0 || got[len(got)-1] != "stopped spawner" {
		t.Errorf("journal %q: want the spawner stopped last", got)
	}
	if slices.Contains(got, "stopping late") && !slices.Contains(got, "stopped late") {
		t.Errorf("journal %q: the late child began to stop but never stopped", got)
	}
}
