package actor_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// doubler answers each int request with twice its value.
func doubler(p *actor.Process) error {
	if n, ok := p.Message().(int); ok {
		return p.Reply(2 * n)
	}
	return nil
}

// Many goroutines requesting at once each get the answer to their own
// request, from several actors.
func TestRequestConcurrentRepliesBound(t *testing.T) {
	sys := newSystem(t)
	targets := make([]actor.Ref, 4)
	for i := range targets {
		targets[i] = spawn(t, sys, actor.Func(doubler))
	}
	const goroutines, each = 32, 50
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				v := g*1000 + i
				r, err := sys.Request(testContext(t), targets[(g+i)%len(targets)], v)
				if err != nil || r != 2*v {
					t.Errorf("Request(%d) = %v, %v", v, r, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// A loop actor that answers a batch of requests in reverse order: replies
// are bound to requests by their reply ref, not by arrival order.
func TestRequestRepliesOutOfOrder(t *testing.T) {
	sys := newSystem(t)
	const n = 16
	ref := spawn(t, sys, actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		type pending struct {
			from actor.Ref
			v    int
		}
		var batch []pending
		for {
			select {
			case <-p.Context().Done():
				return nil
			case v := <-inbox:
				x := p.Accept(v).(int)
				batch = append(batch, pending{from: p.Sender(), v: x})
				if len(batch) < n {
					continue
				}
				for i := len(batch) - 1; i >= 0; i-- {
					if err := p.Send(batch[i].from, -batch[i].v); err != nil {
						return err
					}
				}
				batch = batch[:0]
			}
		}
	}))
	var wg sync.WaitGroup
	for i := 1; i <= n; i++ {
		wg.Go(func() {
			r, err := sys.Request(testContext(t), ref, i)
			if err != nil || r != -i {
				t.Errorf("Request(%d) = %v, %v", i, r, err)
			}
		})
	}
	wg.Wait()
}

type question struct{ text string }

// A request that times out returns a *TimeoutError naming the target and
// the message type; the reply that comes later is a dead letter, not an
// error for the replier (which once made `return p.Reply(x)` fail the
// actor whenever a caller gave up). Virtual time: the timeout costs
// nothing, and the bubble proves no goroutine is left behind.
func TestRequestTimeoutAndLateReply(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := newSystem(t)
		dead := deadLetters(t, sys)
		g := newGate(t)
		replyErrs := make(chan error, 1)
		ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
			if q, ok := p.Message().(question); ok {
				g.block()
				replyErrs <- p.Reply("answer to " + q.text)
			}
			return nil
		}), actor.WithName("oracle"))

		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		r, err := sys.Request(ctx, ref, question{"life"})
		var te *actor.TimeoutError
		if !errors.As(err, &te) {
			t.Fatalf("Request = %v, %v; want a *TimeoutError", r, err)
		}
		if time.Since(start) != 50*time.Millisecond {
			t.Errorf("the request gave up after %v, want 50ms", time.Since(start))
		}
		if te.Target != ref || te.MsgType != "actor_test.question" || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("TimeoutError %+v: want target %v, type actor_test.question, DeadlineExceeded", te, ref)
		}
		if msg := err.Error(); !strings.Contains(msg, ref.String()) || !strings.Contains(msg, "actor_test.question") {
			t.Errorf("error %q does not name the target and the message type", msg)
		}

		g.wait(t)
		g.release()
		if err := recv(t, replyErrs, "late Reply's error"); err != nil {
			t.Errorf("late Reply: %v, want nil (a dead letter records it)", err)
		}
		dl := recv(t, dead, "late-reply dead letter")
		if dl.Reason != actor.ReasonLateReply || dl.Message != "answer to life" || dl.Sender != ref || !actor.IsReplyRef(dl.Target) {
			t.Errorf("dead letter %+v: want the late answer from %v to a reply ref", dl, ref)
		}
		if n := sys.DeadLetters()[actor.ReasonLateReply]; n != 1 {
			t.Errorf("%d late replies counted, want 1", n)
		}
		// The actor carries on.
		if !sys.Alive(ref) {
			t.Error("the late replier died")
		}
	})
}

// A request to an actor that is not there fails at once with ErrNotFound,
// not with a timeout.
func TestRequestToDeadActorFailsFast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := newSystem(t)
		ref := spawn(t, sys, actor.Func(doubler), actor.WithName("gone"))
		if err := sys.Stop(testContext(t), ref); err != nil {
			t.Fatal(err)
		}
		for _, to := range []actor.Ref{ref, {Name: "gone"}, {Name: "never"}, {}} {
			start := time.Now()
			_, err := sys.Request(testContext(t), to, 1)
			if !errors.Is(err, actor.ErrNotFound) {
				t.Errorf("Request to %v: %v, want ErrNotFound", to, err)
			}
			var te *actor.TimeoutError
			if errors.As(err, &te) || time.Since(start) != 0 {
				t.Errorf("Request to %v waited %v (%v)", to, time.Since(start), err)
			}
		}
	})
}

// Requests made inside a synctest bubble leave nothing behind that a
// request outside the bubble could trip on (the future pool once was
// shared by all systems: a fatal error).
func TestRequestAcrossSynctestBubbles(t *testing.T) {
	for range 2 {
		synctest.Test(t, func(t *testing.T) {
			sys := newSystem(t)
			ref := spawn(t, sys, actor.Func(doubler))
			for i := range 10 {
				if r, err := sys.Request(testContext(t), ref, i); err != nil || r != 2*i {
					t.Fatalf("Request(%d) = %v, %v", i, r, err)
				}
			}
		})
	}
	sys := newSystem(t)
	ref := spawn(t, sys, actor.Func(doubler))
	for i := range 10 {
		if r, err := sys.Request(testContext(t), ref, i); err != nil || r != 2*i {
			t.Fatalf("Request(%d) = %v, %v", i, r, err)
		}
	}
}

// An actor can make requests from its handler, by name.
func TestRequestFromHandler(t *testing.T) {
	sys := newSystem(t)
	spawn(t, sys, actor.Func(doubler), actor.WithName("doubler"))
	front := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		n, ok := p.Message().(int)
		if !ok {
			return nil
		}
		r, err := p.Request(p.Context(), actor.Ref{Name: "doubler"}, n)
		if err != nil {
			return err
		}
		return p.Reply(r.(int) + 1)
	}))
	if r, err := sys.Request(testContext(t), front, 20); err != nil || r != 41 {
		t.Fatalf("Request = %v, %v; want 41", r, err)
	}
}

// Replies racing their requests' deadlines: each request gets its own
// answer or a timeout, never another's answer, and every reply that lost
// the race is a late-reply dead letter.
func TestRequestRepliesRaceTimeouts(t *testing.T) {
	sys := newSystem(t)
	ref := spawn(t, sys, actor.Func(doubler), actor.WithMailbox(mailbox.WithCapacity(256)))
	const goroutines, each = 8, 200
	var answered, timedOut, failed atomic.Int64
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				v := g*each + i
				ctx, cancel := context.WithTimeout(t.Context(), time.Duration(i%50)*time.Microsecond)
				r, err := sys.Request(ctx, ref, v)
				cancel()
				var te *actor.TimeoutError
				switch {
				case err == nil && r == 2*v:
					answered.Add(1)
				case errors.As(err, &te):
					timedOut.Add(1)
				case errors.Is(err, context.DeadlineExceeded):
					failed.Add(1) // gave up before the request was even queued
				default:
					t.Errorf("Request(%d) = %v, %v", v, r, err)
				}
			}
		})
	}
	wg.Wait()
	if err := sys.Stop(testContext(t), ref); err != nil { // every reply has been sent
		t.Fatal(err)
	}
	dead := sys.DeadLetters()
	late, unanswered := dead[actor.ReasonLateReply], dead[actor.ReasonStopped]
	t.Logf("answered %d, timed out %d, refused %d, late replies %d, unanswered %d",
		answered.Load(), timedOut.Load(), failed.Load(), late, unanswered)
	if answered.Load()+timedOut.Load()+failed.Load() != goroutines*each {
		t.Errorf("requests unaccounted for")
	}
	// Each timed-out request was queued: it was answered late, or was still
	// queued when the actor stopped.
	if late+unanswered != uint64(timedOut.Load()) {
		t.Errorf("%d late replies + %d unanswered for %d timeouts", late, unanswered, timedOut.Load())
	}
}
