package actor_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

func noop(*actor.Process) error { return nil }

func TestSpawnReturnsAfterStarted(t *testing.T) {
	sys := newSystem(t)
	started := false // written by Started, read after Spawn: -race checks the ordering
	var self actor.Ref
	ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Started); ok {
			started, self = true, p.Self()
		}
		return nil
	}), actor.WithName("starter"))
	if !started {
		t.Fatal("Spawn returned before Started ran")
	}
	if self != ref {
		t.Errorf("Self() = %v, Spawn returned %v", self, ref)
	}
	if got, ok := sys.Lookup("starter"); !ok || got != ref {
		t.Errorf("Lookup = %v %v, want %v", got, ok, ref)
	}
	if !sys.Alive(ref) {
		t.Error("spawned actor is not alive")
	}
}

func TestSpawnStartedFails(t *testing.T) {
	cases := []struct {
		name  string
		start func(p *actor.Process) error
		check func(t *testing.T, f *actor.Failure)
	}{
		{"error", func(*actor.Process) error { return errBoom }, func(t *testing.T, f *actor.Failure) {
			if !errors.Is(f, errBoom) || f.Panic != nil || f.Stack != nil {
				t.Errorf("failure %#v: want errBoom, no panic, no stack", f)
			}
		}},
		{"panic", func(*actor.Process) error { panic("bad start") }, func(t *testing.T, f *actor.Failure) {
			if f.Panic != "bad start" || len(f.Stack) == 0 {
				t.Errorf("failure %#v: want the panic value and a stack", f)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sys := newSystem(t)
			selves := make(chan actor.Ref, 1)
			_, err := sys.Spawn(testContext(t), actor.Func(func(p *actor.Process) error {
				if _, ok := p.Message().(actor.Started); ok {
					selves <- p.Self()
					if err := p.Send(p.Self(), "queued during Started"); err != nil {
						return err
					}
					return c.start(p)
				}
				t.Errorf("a failed actor received %v", p.Message())
				return nil
			}), actor.WithName("doomed"))
			var f *actor.Failure
			if !errors.As(err, &f) {
				t.Fatalf("Spawn error %v: want a *Failure", err)
			}
			c.check(t, f)
			self := recv(t, selves, "self")
			if _, ok := sys.Lookup("doomed"); ok {
				t.Error("the name of a failed spawn is still registered")
			}
			if sys.Alive(self) {
				t.Error("a failed spawn left a live actor")
			}
			if err := sys.Send(testContext(t), self, "late"); !errors.Is(err, actor.ErrNotFound) {
				t.Errorf("Send to a failed spawn: %v, want ErrNotFound", err)
			}
			dl := sys.DeadLetters()
			if dl[actor.ReasonNotFound] != 1 || dl[actor.ReasonStopped] != 1 || dl.Total() != 2 {
				t.Errorf("dead letters %v: want one not-found and the message queued during Started", dl)
			}
			// The name is free again.
			spawn(t, sys, actor.Func(noop), actor.WithName("doomed"))
		})
	}
}

func TestSpawnNameTaken(t *testing.T) {
	sys := newSystem(t)
	first := spawn(t, sys, actor.Func(noop), actor.WithName("unique"))
	_, err := sys.Spawn(testContext(t), actor.Func(noop), actor.WithName("unique"))
	if !errors.Is(err, actor.ErrNameTaken) {
		t.Fatalf("second Spawn: %v, want ErrNameTaken", err)
	}
	if got, _ := sys.Lookup("unique"); got != first {
		t.Errorf("the name moved to %v", got)
	}

	// Racing spawns: exactly one wins.
	const racers = 8
	var wg sync.WaitGroup
	errs := make(chan error, racers)
	for range racers {
		wg.Go(func() {
			_, err := sys.Spawn(testContext(t), actor.Func(noop), actor.WithName("contended"))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	won := 0
	for err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, actor.ErrNameTaken):
			t.Errorf("racing Spawn: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d racing spawns won the name, want 1", won)
	}
}

func TestSpawnBadInput(t *testing.T) {
	sys := newSystem(t)
	for _, name := range []string{"a#b", "a@b", "a b", "tab\there", "new\nline", "nobody"} {
		_, err := sys.Spawn(testContext(t), actor.Func(noop), actor.WithName(name))
		if !errors.Is(err, actor.ErrBadRef) {
			t.Errorf("Spawn named %q: %v, want ErrBadRef", name, err)
		}
	}
	if _, err := sys.Spawn(testContext(t), actor.Behavior{}); err == nil {
		t.Error("Spawn of an empty Behavior succeeded")
	}
	_, err := sys.Spawn(testContext(t), actor.New(func() actor.Handler { return nil }))
	if err == nil {
		t.Error("Spawn of a behavior that makes a nil Handler succeeded")
	}
	if n := sys.DeadLetters().Total(); n != 0 {
		t.Errorf("%d dead letters from refused spawns", n)
	}
}

// Children spawned in Started exist when the parent's Spawn returns, know
// their parent, and stop before it.
func TestSpawnChildrenFromStarted(t *testing.T) {
	sys := newSystem(t)
	j := newJournal()
	child := func(name string) actor.Behavior {
		return actor.Func(func(p *actor.Process) error {
			if _, ok := p.Message().(actor.Stopped); ok {
				j.add("stopped %s", name)
			}
			return nil
		})
	}
	var kids []actor.Ref
	parent := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		switch p.Message().(type) {
		case actor.Started:
			for _, name := range []string{"kid1", "kid2"} {
				ref, err := p.Spawn(p.Context(), child(name), actor.WithName(name))
				if err != nil {
					return err
				}
				kids = append(kids, ref)
			}
		case actor.Stopped:
			j.add("stopped parent")
		}
		return nil
	}), actor.WithName("parent"))
	for i, name := range []string{"kid1", "kid2"} {
		if got, ok := sys.Lookup(name); !ok || got != kids[i] {
			t.Errorf("Lookup(%q) = %v %v, want %v", name, got, ok, kids[i])
		}
	}
	if err := sys.Stop(testContext(t), parent); err != nil {
		t.Fatal(err)
	}
	j.expect(t, "stopped kid2", "stopped kid1", "stopped parent")
	for _, k := range kids {
		if sys.Alive(k) {
			t.Errorf("child %v outlived its parent", k)
		}
	}
}

func TestSpawnChildParentRef(t *testing.T) {
	sys := newSystem(t)
	parents := make(chan actor.Ref, 2)
	kid := actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Started); ok {
			parents <- p.Parent()
		}
		return nil
	})
	parent := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Started); ok {
			_, err := p.Spawn(p.Context(), kid)
			return err
		}
		return nil
	}))
	if got := recv(t, parents, "child's parent"); got != parent {
		t.Errorf("child's Parent() = %v, want %v", got, parent)
	}
	spawn(t, sys, kid)
	if got := recv(t, parents, "top-level parent"); !got.IsZero() {
		t.Errorf("top-level Parent() = %v, want the zero Ref", got)
	}
}

// A parent whose Started fails after spawning a child takes the child down
// with it.
func TestSpawnStartedFailsAfterChild(t *testing.T) {
	sys := newSystem(t)
	j := newJournal()
	kids := make(chan actor.Ref, 1)
	_, err := sys.Spawn(testContext(t), actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Started); ok {
			kid, err := p.Spawn(p.Context(), actor.Func(func(p *actor.Process) error {
				if m, ok := p.Message().(actor.Stopped); ok {
					j.add("kid stopped: %v", m.Reason)
				}
				return nil
			}), actor.WithName("orphan"))
			if err != nil {
				return err
			}
			kids <- kid
			return errBoom
		}
		return nil
	}))
	if !errors.Is(err, errBoom) {
		t.Fatalf("Spawn: %v, want errBoom", err)
	}
	kid := recv(t, kids, "child")
	j.expect(t, "kid stopped: "+actor.ErrShutdown.Error())
	w, terms := watcher(t, sys)
	if err := sys.Watch(w, kid); err != nil {
		t.Fatal(err)
	}
	recv(t, terms, "Terminated for the orphan")
	if _, ok := sys.Lookup("orphan"); ok {
		t.Error("the orphan's name is still registered")
	}
}

// Mailbox options given to Spawn reach the actor's mailbox.
func TestSpawnWithMailbox(t *testing.T) {
	sys := newSystem(t)
	ref := spawn(t, sys, actor.Func(noop), actor.WithMailbox(mailbox.WithCapacity(7), mailbox.WithPolicy(mailbox.DropOldest)))
	st, ok := sys.MailboxStats(ref)
	if !ok || st.Capacity != 7 || st.Policy != mailbox.DropOldest {
		t.Errorf("MailboxStats = %+v %v, want capacity 7, drop-oldest", st, ok)
	}
	def := spawn(t, sys, actor.Func(noop))
	if st, _ := sys.MailboxStats(def); st.Capacity != mailbox.DefaultCapacity || st.Policy != mailbox.Block {
		t.Errorf("default mailbox %+v", st)
	}
}
