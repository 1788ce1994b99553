package actor_test

import (
	"bytes"
	"errors"
	"log/slog"
	"testing"
	"testing/synctest"
	"time"

	"github.com/troupe-go/troupe/actor"
)

type childExit struct {
	child  actor.Ref
	reason error
}

// supervising is a handler that supervises its one child, "kid", itself:
// it reports each exit and restarts nothing. verdict, if set, is returned
// from ChildExited.
type supervising struct {
	kid     actor.Behavior
	exits   chan childExit
	verdict func(reason error) error
}

func (s *supervising) Receive(p *actor.Process) error {
	switch m := p.Message().(type) {
	case actor.Started:
		_, err := p.Spawn(p.Context(), s.kid, actor.WithName("kid"))
		return err
	case marker:
		return p.Reply(m)
	}
	return nil
}

func (s *supervising) ChildExited(p *actor.Process, child actor.Ref, reason error) error {
	s.exits <- childExit{child, reason}
	if s.verdict != nil {
		return s.verdict(reason)
	}
	return nil
}

func panicky(p *actor.Process) error {
	if p.Message() == "panic" {
		panic("panicky gives up")
	}
	return failer(p)
}

// A panic or a returned error is a Failure that reaches the parent's
// ChildExited; a supervising parent that restarts nothing leaves the child
// dead.
func TestFailureGoesToParent(t *testing.T) {
	cases := []struct {
		name  string
		msg   any
		check func(t *testing.T, f *actor.Failure)
	}{
		{"panic", "panic", func(t *testing.T, f *actor.Failure) {
			if f.Panic != "panicky gives up" || !bytes.Contains(f.Stack, []byte("actor_test.panicky")) {
				t.Errorf("failure %v: want the panic value and a stack through panicky:\n%s", f, f.Stack)
			}
		}},
		{"error", errBoom, func(t *testing.T, f *actor.Failure) {
			if !errors.Is(f, errBoom) || f.Panic != nil || f.Stack != nil {
				t.Errorf("failure %#v: want errBoom without panic or stack", f)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sys := newSystem(t)
			sup := &supervising{kid: actor.Func(panicky), exits: make(chan childExit, 4)}
			parent := spawn(t, sys, actor.New(func() actor.Handler { return sup }))
			kid, ok := sys.Lookup("kid")
			if !ok {
				t.Fatal("no kid")
			}
			if err := sys.Send(testContext(t), kid, c.msg); err != nil {
				t.Fatal(err)
			}
			exit := recv(t, sup.exits, "ChildExited")
			var f *actor.Failure
			if exit.child != kid || !errors.As(exit.reason, &f) {
				t.Fatalf("ChildExited(%v, %v): want %v and a *Failure", exit.child, exit.reason, kid)
			}
			c.check(t, f)
			flush(t, sys, parent)
			if _, ok := sys.Lookup("kid"); ok {
				t.Error("the child was restarted although its supervisor did not")
			}
			if !sys.Alive(parent) {
				t.Error("the parent died")
			}
		})
	}
}

// An error returned by ChildExited, or a panic in it, makes the parent fail
// in turn (escalation); the process carries on.
func TestSupervisorEscalates(t *testing.T) {
	escalated := errors.New("escalated")
	for _, verdict := range []func(error) error{
		func(reason error) error { return errors.Join(escalated, reason) },
		func(error) error { panic(escalated) },
	} {
		sys := newSystem(t)
		sup := &supervising{kid: actor.Func(panicky), exits: make(chan childExit, 4), verdict: verdict}
		parent := spawn(t, sys, actor.New(func() actor.Handler { return sup }))
		w, terms := watcher(t, sys)
		if err := sys.Watch(w, parent); err != nil {
			t.Fatal(err)
		}
		if err := sys.Send(testContext(t), actor.Ref{Name: "kid"}, errBoom); err != nil {
			t.Fatal(err)
		}
		recv(t, sup.exits, "ChildExited")
		term := recv(t, terms, "parent's Terminated")
		if term.Ref != parent || !actor.IsFailure(term.Reason) {
			t.Errorf("parent Terminated %+v: want a failure", term)
		}
		if !errors.Is(term.Reason, escalated) {
			var f *actor.Failure
			if !errors.As(term.Reason, &f) || f.Panic != escalated {
				t.Errorf("parent's reason %v does not carry the verdict", term.Reason)
			}
		}
	}
}

// events collects events published on topic.
func events[T any](t *testing.T, sys *actor.System, topic string) <-chan T {
	t.Helper()
	ch := make(chan T, 256)
	unsubscribe := sys.SubscribeFunc(topic, func(p actor.Publication) {
		if ev, ok := p.Message.(T); ok {
			select {
			case ch <- ev:
			default:
				t.Errorf("%s events overflow", topic)
			}
		}
	})
	t.Cleanup(unsubscribe)
	return ch
}

// startJournal is a child behavior that journals its lifecycle and fails
// on request.
func startJournal(j journal) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case actor.Started:
			j.add("started")
		case actor.Restarting:
			j.add("restarting after %v", m.Reason)
		}
		return failer(p)
	})
}

// By default a parent restarts a failed child: a new incarnation with the
// same name and a new ref, told why with Restarting before Started, and a
// Restarted event.
func TestDefaultRestart(t *testing.T) {
	sys := newSystem(t)
	restarts := events[actor.Restarted](t, sys, actor.TopicRestarted)
	j := newJournal()
	parent := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Started); ok {
			_, err := p.Spawn(p.Context(), startJournal(j), actor.WithName("kid"))
			return err
		}
		return nil
	}))
	j.expect(t, "started")
	old, _ := sys.Lookup("kid")
	if err := sys.Send(testContext(t), old, errBoom); err != nil {
		t.Fatal(err)
	}
	ev := recv(t, restarts, "Restarted")
	if ev.Old != old || ev.New.Name != "kid" || ev.New == old || !errors.Is(ev.Reason, errBoom) {
		t.Errorf("Restarted %+v: want %v replaced by a new kid, reason errBoom", ev, old)
	}
	j.expect(t, "restarting after actor: failed: boom", "started")
	if cur, _ := sys.Lookup("kid"); cur != ev.New {
		t.Errorf("Lookup(kid) = %v, want %v", cur, ev.New)
	}
	if err := sys.Send(testContext(t), old, "hello"); !errors.Is(err, actor.ErrNotFound) {
		t.Errorf("Send to the dead incarnation: %v, want ErrNotFound", err)
	}
	if !sys.Alive(parent) {
		t.Error("parent died")
	}
}

// failKid makes the current "kid" fail and waits for the event that
// follows: its restart, or its parent's.
func failKid(t *testing.T, sys *actor.System, restarts <-chan actor.Restarted) actor.Restarted {
	t.Helper()
	kid, ok := sys.Lookup("kid")
	if !ok {
		t.Fatal("no kid")
	}
	if err := sys.Send(testContext(t), kid, errBoom); err != nil {
		t.Fatal(err)
	}
	ev := recv(t, restarts, "Restarted")
	if ev.Old != kid && ev.Old.Name != "parent" {
		t.Fatalf("Restarted %+v after %v failed", ev, kid)
	}
	return ev
}

// More than DefaultIntensity failures within DefaultPeriod make the parent
// fail with ErrIntensity; failures spaced further apart do not. Virtual
// time makes the window exact.
func TestIntensity(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := newSystem(t)
		restarts := events[actor.Restarted](t, sys, actor.TopicRestarted)
		j := newJournal()
		parent := spawn(t, sys, actor.Func(func(p *actor.Process) error {
			if _, ok := p.Message().(actor.Started); ok {
				_, err := p.Spawn(p.Context(), startJournal(j), actor.WithName("kid"))
				return err
			}
			return nil
		}), actor.WithName("parent"))
		w, terms := watcher(t, sys)
		if err := sys.Watch(w, parent); err != nil {
			t.Fatal(err)
		}
		for range actor.DefaultIntensity {
			if ev := failKid(t, sys, restarts); ev.New.Name != "kid" {
				t.Fatalf("restart %d: %+v", 1, ev)
			}
		}
		ev := failKid(t, sys, restarts)
		if ev.Old != parent {
			t.Fatalf("after %d quick failures: %+v, want the parent restarted", actor.DefaultIntensity+1, ev)
		}
		term := recv(t, terms, "parent's Terminated")
		if !errors.Is(term.Reason, actor.ErrIntensity) || !errors.Is(term.Reason, errBoom) {
			t.Errorf("parent's reason %v: want ErrIntensity wrapping the child's failure", term.Reason)
		}

		// The new parent has a new child with a fresh window. Spread over
		// two periods, twice DefaultIntensity failures are fine.
		parent = ev.New
		for range 2 {
			for range actor.DefaultIntensity {
				if ev := failKid(t, sys, restarts); ev.New.Name != "kid" {
					t.Fatalf("spaced failures escalated: %+v", ev)
				}
			}
			time.Sleep(actor.DefaultPeriod) // advances the bubble's clock
		}
		if !sys.Alive(parent) {
			t.Error("the parent died of spaced failures")
		}
	})
}

// A top-level actor is restarted DefaultIntensity times within the period;
// after that it stays stopped and the failure is logged.
func TestTopLevelRestartsThenStaysStopped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		logger, records := logRecords(slog.LevelError)
		sys := newSystem(t, actor.WithLogger(logger))
		restarts := events[actor.Restarted](t, sys, actor.TopicRestarted)
		stops := events[actor.ActorStopped](t, sys, actor.TopicStopped)
		j := newJournal()
		spawn(t, sys, startJournal(j), actor.WithName("flaky"))
		j.expect(t, "started")
		for i := range actor.DefaultIntensity + 1 {
			ref, ok := sys.Lookup("flaky")
			if !ok {
				t.Fatalf("failure %d: flaky is not running", i)
			}
			if err := sys.Send(testContext(t), ref, errBoom); err != nil {
				t.Fatal(err)
			}
			if st := recv(t, stops, "ActorStopped"); st.Ref != ref || !errors.Is(st.Reason, errBoom) {
				t.Fatalf("ActorStopped %+v, want %v failing", st, ref)
			}
			if i < actor.DefaultIntensity {
				if ev := recv(t, restarts, "Restarted"); ev.Old != ref {
					t.Fatalf("Restarted %+v, want %v replaced", ev, ref)
				}
				j.expect(t, "restarting after actor: failed: boom", "started")
			}
		}
		rec := recv(t, records, "error log")
		if rec.Message != "actor: too many restarts, leaving it stopped" {
			t.Errorf("logged %q", rec.Message)
		}
		if ref, ok := sys.Lookup("flaky"); ok {
			t.Errorf("flaky restarted past the intensity: %v", ref)
		}
		noMore(t, restarts, "restart")
		j.empty(t)
	})
}

// Panics in lifecycle handlers and loops are failures like any other: the
// process survives them.
func TestPanicsNeverCrash(t *testing.T) {
	sys := newSystem(t)
	stops := events[actor.ActorStopped](t, sys, actor.TopicStopped)
	stopping := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Stopping); ok {
			panic("in Stopping")
		}
		return nil
	}))
	stopped := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Stopped); ok {
			panic("in Stopped")
		}
		return nil
	}))
	loop := spawn(t, sys, actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		select {
		case <-inbox:
			panic("in a loop")
		case <-p.Context().Done():
			return nil
		}
	}))
	for _, ref := range []actor.Ref{stopping, stopped} {
		if err := sys.Stop(testContext(t), ref); err != nil {
			t.Fatal(err)
		}
		st := recv(t, stops, "ActorStopped")
		var f *actor.Failure
		if st.Ref != ref || !errors.As(st.Reason, &f) || f.Panic == nil {
			t.Errorf("ActorStopped %+v: want a panic failure", st)
		}
	}
	if err := sys.Send(testContext(t), loop, "go"); err != nil {
		t.Fatal(err)
	}
	st := recv(t, stops, "loop's ActorStopped")
	var f *actor.Failure
	if st.Ref != loop || !errors.As(st.Reason, &f) || f.Panic != "in a loop" || len(f.Stack) == 0 {
		t.Errorf("ActorStopped %+v: want the loop's panic with a stack", st)
	}
}
