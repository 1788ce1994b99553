package actor_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// recorder is a handler-form actor made with New: each incarnation
// journals every message it gets.
type recorder struct{ j journal }

func (r *recorder) Receive(p *actor.Process) error {
	switch m := p.Message().(type) {
	case actor.Stopping:
		r.j.add("stopping: %v", m.Reason)
	case actor.Stopped:
		r.j.add("stopped: %v", m.Reason)
	case marker:
		return p.Reply(m)
	case error:
		return m // exit with this reason
	default:
		r.j.add("%s", lifecycleName(m))
	}
	return nil
}

func TestHandlerLifecycleOrder(t *testing.T) {
	sys := newSystem(t)
	j := newJournal()
	ref := spawn(t, sys, actor.New(func() actor.Handler { return &recorder{j: j} }))
	for _, m := range []string{"a", "b", "c"} {
		if err := sys.Send(testContext(t), ref, m); err != nil {
			t.Fatal(err)
		}
	}
	// Stop goes through the system lane, ahead of queued user messages
	// (which would become dead letters): let the actor handle them first.
	flush(t, sys, ref)
	if err := sys.Stop(testContext(t), ref); err != nil {
		t.Fatal(err)
	}
	j.expect(t, "started", "a", "b", "c", "stopping: "+actor.ErrNormal.Error(), "stopped: "+actor.ErrNormal.Error())
	j.empty(t)
	if sys.Alive(ref) {
		t.Error("stopped actor is alive")
	}
	// Stopping a dead actor is a no-op.
	if err := sys.Stop(testContext(t), ref); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

// An actor that returns ErrNormal stops gracefully and is not restarted.
func TestHandlerExitNormal(t *testing.T) {
	sys := newSystem(t)
	j := newJournal()
	ref := spawn(t, sys, actor.New(func() actor.Handler { return &recorder{j: j} }), actor.WithName("quitter"))
	w, terms := watcher(t, sys)
	if err := sys.Watch(w, ref); err != nil {
		t.Fatal(err)
	}
	if err := sys.Send(testContext(t), ref, actor.ErrNormal); err != nil {
		t.Fatal(err)
	}
	term := recv(t, terms, "Terminated")
	if term.Ref != ref || !errors.Is(term.Reason, actor.ErrNormal) {
		t.Errorf("Terminated %+v, want %v with ErrNormal", term, ref)
	}
	j.expect(t, "started", "stopping: "+actor.ErrNormal.Error(), "stopped: "+actor.ErrNormal.Error())
	if _, ok := sys.Lookup("quitter"); ok {
		t.Error("an actor that exited normally was restarted")
	}
}

// waitTicks asks the ticker actor to reply after n more ticks.
type waitTicks struct{ n int }

// tickerLoop is a loop-form actor that selects on a ticker and its inbox:
// it answers "ping" at once and waitTicks after that many ticks.
func tickerLoop(period time.Duration) actor.LoopFunc {
	return func(p *actor.Process, inbox <-chan any) error {
		tick := time.NewTicker(period)
		defer tick.Stop()
		type waiter struct {
			at   int
			from actor.Ref
		}
		var ticks int
		var waiters []waiter
		for {
			select {
			case <-p.Context().Done():
				return nil
			case <-tick.C:
				ticks++
				for len(waiters) > 0 && waiters[0].at <= ticks {
					if err := p.Send(waiters[0].from, ticks); err != nil {
						return err
					}
					waiters = waiters[1:]
				}
			case v := <-inbox:
				switch m := p.Accept(v).(type) {
				case string:
					if err := p.Reply(m + " pong"); err != nil {
						return err
					}
				case waitTicks:
					waiters = append(waiters, waiter{at: ticks + m.n, from: p.Sender()})
				}
			}
		}
	}
}

func TestLoopSelectsTimerAndInbox(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := newSystem(t)
		ref := spawn(t, sys, actor.Loop(tickerLoop(10*time.Millisecond)))
		ctx := testContext(t)
		start := time.Now()
		r, err := sys.Request(ctx, ref, "ping")
		if err != nil || r != "ping pong" || time.Since(start) != 0 {
			t.Fatalf("ping: %v %v after %v, want an immediate pong", r, err, time.Since(start))
		}
		r, err = sys.Request(ctx, ref, waitTicks{n: 3})
		if err != nil || r != 3 {
			t.Fatalf("waitTicks: %v %v", r, err)
		}
		if got := time.Since(start); got != 30*time.Millisecond {
			t.Errorf("three ticks took %v of virtual time, want 30ms", got)
		}
	})
}

// A loop that returns nil exits normally: watchers see ErrNormal and the
// system does not restart it.
func TestLoopReturnNilIsNormalExit(t *testing.T) {
	sys := newSystem(t)
	ref := spawn(t, sys, actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		for {
			select {
			case v := <-inbox:
				if p.Accept(v) == "quit" {
					return nil
				}
			case <-p.Context().Done():
				return nil
			}
		}
	}), actor.WithName("looper"))
	w, terms := watcher(t, sys)
	if err := sys.Watch(w, ref); err != nil {
		t.Fatal(err)
	}
	if err := sys.Send(testContext(t), ref, "quit"); err != nil {
		t.Fatal(err)
	}
	term := recv(t, terms, "Terminated")
	if term.Ref != ref || term.Reason != actor.ErrNormal {
		t.Errorf("Terminated %+v, want ErrNormal", term)
	}
	if _, ok := sys.Lookup("looper"); ok {
		t.Error("a loop that returned nil was restarted")
	}
}

// A stopped loop sees its context cancelled with the stop reason.
func TestLoopStoppedSeesCause(t *testing.T) {
	sys := newSystem(t)
	causes := make(chan error, 1)
	ref := spawn(t, sys, actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		<-p.Context().Done()
		causes <- context.Cause(p.Context())
		return p.Context().Err() // an error, but the stop reason wins
	}))
	w, terms := watcher(t, sys)
	if err := sys.Watch(w, ref); err != nil {
		t.Fatal(err)
	}
	reason := errors.New("maintenance")
	if err := sys.Exit(testContext(t), ref, reason); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, causes, "cause"); got != reason {
		t.Errorf("context.Cause = %v, want %v", got, reason)
	}
	if term := recv(t, terms, "Terminated"); term.Reason != reason {
		t.Errorf("Terminated reason %v, want %v", term.Reason, reason)
	}
}

// In a loop, p.Accept unwraps each value and sets the sender that p.Reply
// answers; a message without a sender cannot be replied to.
func TestLoopAcceptAndReply(t *testing.T) {
	sys := newSystem(t)
	replyErrs := make(chan error, 1)
	ref := spawn(t, sys, actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		for {
			select {
			case <-p.Context().Done():
				return nil
			case v := <-inbox:
				msg := p.Accept(v)
				if p.Message() != msg {
					t.Errorf("Message() = %v after Accept returned %v", p.Message(), msg)
				}
				n, ok := msg.(int)
				if !ok {
					continue
				}
				err := p.Reply(n * n)
				if n < 0 {
					replyErrs <- err
				} else if err != nil {
					return err
				}
			}
		}
	}))
	for i := range 20 {
		r, err := sys.Request(testContext(t), ref, i)
		if err != nil || r != i*i {
			t.Fatalf("Request(%d) = %v, %v", i, r, err)
		}
	}
	if err := sys.Send(testContext(t), ref, -1); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, replyErrs, "Reply error"); !errors.Is(err, actor.ErrNoSender) {
		t.Errorf("Reply without sender: %v, want ErrNoSender", err)
	}
}

// A handler's Reply to a message without a sender fails with ErrNoSender.
func TestHandlerReplyNoSender(t *testing.T) {
	sys := newSystem(t)
	errs := make(chan error, 1)
	ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if p.Message() == "hello" {
			errs <- p.Reply("hi")
			if !p.Sender().IsZero() {
				t.Errorf("Sender() = %v for a plain Send", p.Sender())
			}
		}
		return nil
	}))
	if err := sys.Send(testContext(t), ref, "hello"); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, errs, "Reply error"); !errors.Is(err, actor.ErrNoSender) {
		t.Errorf("Reply: %v, want ErrNoSender", err)
	}
}

// Forward keeps the original sender, so the last actor answers the
// requester directly.
func TestForward(t *testing.T) {
	sys := newSystem(t)
	back := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if s, ok := p.Message().(string); ok {
			return p.Reply("back:" + s)
		}
		return nil
	}))
	front := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(string); ok {
			return p.Forward(back)
		}
		return nil
	}))
	r, err := sys.Request(testContext(t), front, "x")
	if err != nil || r != "back:x" {
		t.Fatalf("Request through Forward = %v, %v", r, err)
	}
}

// Process.Stop of itself stops the actor after the current message, and
// the context it sees is cancelled with the reason.
func TestProcessStopSelf(t *testing.T) {
	sys := newSystem(t)
	j := newJournal()
	ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case string:
			j.add("%s", m)
			if m == "last" {
				return p.Stop(p.Context(), p.Self())
			}
		case actor.Stopped:
			j.add("stopped, cause %v", context.Cause(p.Context()))
		}
		return nil
	}))
	w, terms := watcher(t, sys)
	if err := sys.Watch(w, ref); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"first", "last"} {
		if err := sys.Send(testContext(t), ref, m); err != nil {
			t.Fatal(err)
		}
	}
	recv(t, terms, "Terminated")
	j.expect(t, "first", "last", "stopped, cause "+actor.ErrNormal.Error())
}
