package actor_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// failer exits with the error it receives, panics on "panic", and answers
// markers.
func failer(p *actor.Process) error {
	switch m := p.Message().(type) {
	case error:
		return m
	case marker:
		return p.Reply(m)
	case string:
		if m == "panic" {
			panic("failer panics")
		}
	}
	return nil
}

// Each watcher gets exactly one Terminated, also one that watched twice.
func TestWatchOneTerminatedPerWatcher(t *testing.T) {
	sys := newSystem(t)
	target := spawn(t, sys, actor.Func(failer))
	w1, t1 := watcher(t, sys)
	w2, t2 := watcher(t, sys)
	for _, w := range []actor.Ref{w1, w1, w2} {
		if err := sys.Watch(w, target); err != nil {
			t.Fatal(err)
		}
	}
	if err := sys.Stop(testContext(t), target); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		w     actor.Ref
		terms <-chan actor.Terminated
	}{{w1, t1}, {w2, t2}} {
		term := recv(t, c.terms, "Terminated")
		if term.Ref != target || term.Reason != actor.ErrNormal {
			t.Errorf("Terminated %+v, want %v with ErrNormal", term, target)
		}
		// A notice travels on the system lane, ahead of user messages: once
		// the watcher answered a marker, any second notice would be there.
		flush(t, sys, c.w)
		noMore(t, c.terms, "second Terminated")
	}
}

// Watching an actor that is dead, or never existed, yields Terminated at
// once.
func TestWatchDeadActor(t *testing.T) {
	sys := newSystem(t)
	target := spawn(t, sys, actor.Func(failer))
	if err := sys.Stop(testContext(t), target); err != nil {
		t.Fatal(err)
	}
	w, terms := watcher(t, sys)
	for _, ref := range []actor.Ref{target, {ID: 12345}} {
		if err := sys.Watch(w, ref); err != nil {
			t.Fatal(err)
		}
		term := recv(t, terms, "Terminated")
		if term.Ref != ref || !errors.Is(term.Reason, actor.ErrNotFound) {
			t.Errorf("Terminated %+v, want %v with ErrNotFound", term, ref)
		}
	}
	if err := sys.Watch(actor.Ref{}, target); err == nil {
		t.Error("Watch with a zero watcher succeeded")
	}
}

// The exit reason reaches the watcher, whatever it is.
func TestWatchReasons(t *testing.T) {
	custom := errors.New("custom reason")
	cases := []struct {
		name  string
		stop  func(t *testing.T, sys *actor.System, ref actor.Ref)
		check func(error) bool
	}{
		{"stop", func(t *testing.T, sys *actor.System, ref actor.Ref) {
			if err := sys.Stop(testContext(t), ref); err != nil {
				t.Fatal(err)
			}
		}, func(r error) bool { return r == actor.ErrNormal }},
		{"exit", func(t *testing.T, sys *actor.System, ref actor.Ref) {
			if err := sys.Exit(testContext(t), ref, custom); err != nil {
				t.Fatal(err)
			}
		}, func(r error) bool { return r == custom }},
		{"return ErrNormal", func(t *testing.T, sys *actor.System, ref actor.Ref) {
			_ = sys.Send(testContext(t), ref, actor.ErrNormal)
		}, func(r error) bool { return r == actor.ErrNormal }},
		{"failure", func(t *testing.T, sys *actor.System, ref actor.Ref) {
			_ = sys.Send(testContext(t), ref, errBoom)
		}, func(r error) bool {
			var f *actor.Failure
			return errors.As(r, &f) && errors.Is(r, errBoom) && actor.IsFailure(r)
		}},
		{"panic", func(t *testing.T, sys *actor.System, ref actor.Ref) {
			_ = sys.Send(testContext(t), ref, "panic")
		}, func(r error) bool {
			var f *actor.Failure
			return errors.As(r, &f) && f.Panic == "failer panics" && len(f.Stack) > 0
		}},
		{"kill", func(t *testing.T, sys *actor.System, ref actor.Ref) {
			sys.Kill(ref)
		}, func(r error) bool { return r == actor.ErrKilled && actor.IsFailure(r) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sys := newSystem(t)
			target := spawn(t, sys, actor.Func(failer))
			w, terms := watcher(t, sys)
			if err := sys.Watch(w, target); err != nil {
				t.Fatal(err)
			}
			c.stop(t, sys, target)
			term := recv(t, terms, "Terminated")
			if term.Ref != target || !c.check(term.Reason) {
				t.Errorf("Terminated %+v: unexpected reason", term)
			}
			flush(t, sys, w)
			noMore(t, terms, "second Terminated")
		})
	}
}

// After Unwatch, the watcher hears nothing.
func TestUnwatch(t *testing.T) {
	sys := newSystem(t)
	target := spawn(t, sys, actor.Func(failer))
	w, terms := watcher(t, sys)
	if err := sys.Watch(w, target); err != nil {
		t.Fatal(err)
	}
	if err := sys.Unwatch(w, target); err != nil {
		t.Fatal(err)
	}
	if err := sys.Stop(testContext(t), target); err != nil {
		t.Fatal(err)
	}
	flush(t, sys, w)
	noMore(t, terms, "Terminated after Unwatch")
}

// Actors watch with p.Watch; a loop-form watcher finds Terminated in its
// inbox.
func TestWatchFromLoop(t *testing.T) {
	sys := newSystem(t)
	target := spawn(t, sys, actor.Func(failer))
	terms := make(chan actor.Terminated, 4)
	watching := make(chan error, 1)
	spawn(t, sys, actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		watching <- p.Watch(target)
		for {
			select {
			case <-p.Context().Done():
				return nil
			case v := <-inbox:
				if term, ok := p.Accept(v).(actor.Terminated); ok {
					terms <- term
				}
			}
		}
	}))
	if err := recv(t, watching, "Watch"); err != nil {
		t.Fatal(err)
	}
	if err := sys.Send(testContext(t), target, errBoom); err != nil {
		t.Fatal(err)
	}
	term := recv(t, terms, "Terminated in the inbox")
	if term.Ref != target || !errors.Is(term.Reason, errBoom) {
		t.Errorf("Terminated %+v, want %v failing with errBoom", term, target)
	}
}

// A handler-form actor watches with p.Watch and unwatches with p.Unwatch.
func TestWatchFromHandler(t *testing.T) {
	sys := newSystem(t)
	a := spawn(t, sys, actor.Func(failer))
	b := spawn(t, sys, actor.Func(failer))
	terms := make(chan actor.Terminated, 4)
	w := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case actor.Started:
			if err := p.Watch(a); err != nil {
				return err
			}
			if err := p.Watch(b); err != nil {
				return err
			}
			return p.Unwatch(b)
		case actor.Terminated:
			terms <- m
		case marker:
			return p.Reply(m)
		}
		return nil
	}))
	for _, ref := range []actor.Ref{b, a} {
		if err := sys.Stop(testContext(t), ref); err != nil {
			t.Fatal(err)
		}
	}
	if term := recv(t, terms, "Terminated"); term.Ref != a {
		t.Errorf("Terminated for %v, want %v", term.Ref, a)
	}
	flush(t, sys, w)
	noMore(t, terms, "Terminated for the unwatched actor")
}

// A Terminated notice for a loop actor whose inbox is full must not hold
// up its system lane: the actor can still be stopped (it once could not,
// and Shutdown hung until its deadline).
func TestWatchLoopWithFullInboxStillStops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := newSystem(t)
		target := spawn(t, sys, actor.Func(noop))
		watching := make(chan struct{})
		loop := spawn(t, sys, actor.Loop(func(p *actor.Process, inbox <-chan any) error {
			if err := p.Watch(target); err != nil {
				return err
			}
			close(watching)
			<-p.Context().Done() // never reads its inbox
			return nil
		}), actor.WithMailbox(mailbox.WithCapacity(1)))
		<-watching
		if err := sys.Send(testContext(t), loop, "fills the inbox"); err != nil {
			t.Fatal(err)
		}
		if err := sys.Stop(testContext(t), target); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := sys.Stop(ctx, loop); err != nil {
			t.Fatalf("Stop of a loop with a full inbox and a pending notice: %v", err)
		}
		synctest.Wait() // the notice's poster gives up
		dl := sys.DeadLetters()
		if dl[actor.ReasonStopped] != 1 || dl[actor.ReasonFull] != 1 {
			t.Errorf("dead letters %v: want the queued message and the undeliverable notice", dl)
		}
	})
}

// Whoever learns that an actor is dead finds its name free, also through a
// Watch made as it dies (it once could see the name still registered, and
// a respawn under that name failed with ErrNameTaken).
func TestTerminatedMeansNameFree(t *testing.T) {
	sys := newSystem(t)
	w, terms := watcher(t, sys)
	dying := make(chan struct{}, 1)
	phoenix := actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Stopped); ok {
			dying <- struct{}{}
		}
		return nil
	})
	for i := range 200 {
		ref := spawn(t, sys, phoenix, actor.WithName("phoenix"))
		stopped := make(chan error, 1)
		go func() { stopped <- sys.Stop(testContext(t), ref) }()
		recv(t, dying, "Stopped")
		if err := sys.Watch(w, ref); err != nil {
			t.Fatal(err)
		}
		if term := recv(t, terms, "Terminated"); term.Ref != ref {
			t.Fatalf("Terminated for %v, want %v", term.Ref, ref)
		}
		if cur, ok := sys.Lookup("phoenix"); ok && cur == ref {
			t.Fatalf("round %d: %v is Terminated but still holds its name", i, ref)
		}
		if err := recv(t, stopped, "Stop"); err != nil {
			t.Fatal(err)
		}
	}
}
