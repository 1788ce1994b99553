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

// A received is what a sink actor got: a message and its sender.
type received struct {
	msg    any
	sender actor.Ref
}

// sink passes every int or string message it gets, with its sender, to
// got (not lifecycle messages).
func sink(got chan<- received) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		switch p.Message().(type) {
		case int, string:
			got <- received{p.Message(), p.Sender()}
		}
		return nil
	})
}

// peerRef is a sender on another node.
var peerRef = actor.Ref{Node: "tcp://10.0.0.1:5555", Name: "peer", ID: 9}

// sinkDestination spawns a sink on a new system and returns a context for
// the test, a Destination of the sink, and what the sink gets.
func sinkDestination(t *testing.T) (context.Context, *actor.Destination, <-chan received) {
	t.Helper()
	sys := newSystem(t)
	ctx := testContext(t)
	got := make(chan received, 200)
	d := sys.Destination(ctx, spawn(t, sys, sink(got)))
	return ctx, &d, got
}

// TestDestinationDelivers delivers a stream through a Destination, with
// and without a sender: every message arrives, in order, with its sender.
func TestDestinationDelivers(t *testing.T) {
	ctx, d, got := sinkDestination(t)
	from := peerRef
	for i := range 100 {
		sender := actor.Ref{}
		if i%2 == 1 {
			sender = from
		}
		if err := d.Deliver(ctx, sender, i); err != nil {
			t.Fatalf("deliver %d: %v", i, err)
		}
	}
	recvInOrder(t, got, 100, func(i int) actor.Ref {
		if i%2 == 1 {
			return from
		}
		return actor.Ref{}
	})
}

// recvInOrder receives n messages from got and checks that message i is
// i, sent by senderOf(i).
func recvInOrder(t *testing.T, got <-chan received, n int, senderOf func(i int) actor.Ref) {
	t.Helper()
	for i := range n {
		r := recv(t, got, "a delivered message")
		if want := senderOf(i); r.msg != i || r.sender != want {
			t.Fatalf("message %d: got %v from %v, want %d from %v", i, r.msg, r.sender, i, want)
		}
	}
}

// TestDestinationAfterStop checks that a Destination whose actor has
// stopped fails as System.Deliver does: ErrNotFound, and a dead letter.
func TestDestinationAfterStop(t *testing.T) {
	sys := newSystem(t)
	ctx := testContext(t)
	dead := deadLetters(t, sys)
	ref := spawn(t, sys, sink(make(chan received, 1)))
	d := sys.Destination(ctx, ref)
	if err := sys.Stop(ctx, ref); err != nil {
		t.Fatal(err)
	}
	err := d.Deliver(ctx, actor.Ref{}, "late")
	if !errors.Is(err, actor.ErrNotFound) {
		t.Fatalf("deliver to a stopped actor: %v, want ErrNotFound", err)
	}
	if viaSystem := sys.Deliver(ctx, ref, actor.Ref{}, "late"); !errors.Is(viaSystem, actor.ErrNotFound) {
		t.Fatalf("System.Deliver to a stopped actor: %v", viaSystem)
	}
	for range 2 {
		dl := recv(t, dead, "a dead letter")
		if dl.Target != ref || dl.Message != "late" || dl.Reason != actor.ReasonNotFound {
			t.Fatalf("dead letter %+v", dl)
		}
	}
}

// TestDestinationByName resolves a name; when the actor under it is
// replaced, deliveries go to the new one, as System.Deliver's would.
func TestDestinationByName(t *testing.T) {
	sys := newSystem(t)
	ctx := testContext(t)
	first, second := make(chan received, 1), make(chan received, 1)
	ref := spawn(t, sys, sink(first), actor.WithName("svc"))
	d := sys.Destination(ctx, actor.Ref{Name: "svc"})
	if err := d.Deliver(ctx, actor.Ref{}, 1); err != nil {
		t.Fatal(err)
	}
	if r := recv(t, first, "the first actor's message"); r.msg != 1 {
		t.Fatalf("got %v", r.msg)
	}
	if err := sys.Stop(ctx, ref); err != nil {
		t.Fatal(err)
	}
	spawn(t, sys, sink(second), actor.WithName("svc"))
	if err := d.Deliver(ctx, actor.Ref{}, 2); err != nil {
		t.Fatalf("deliver after the name moved: %v", err)
	}
	if r := recv(t, second, "the second actor's message"); r.msg != 2 {
		t.Fatalf("got %v", r.msg)
	}
}

// TestDestinationUnknownAndReply covers refs that are not live actors:
// an unknown ID fails with ErrNotFound, and a reply ref completes the
// request waiting on it.
func TestDestinationUnknownAndReply(t *testing.T) {
	sys := newSystem(t)
	ctx := testContext(t)
	ref := spawn(t, sys, sink(make(chan received, 1)))
	unknown := ref
	unknown.ID += 1000
	d := sys.Destination(ctx, unknown)
	if err := d.Deliver(ctx, actor.Ref{}, "x"); !errors.Is(err, actor.ErrNotFound) {
		t.Fatalf("deliver to an unknown actor: %v, want ErrNotFound", err)
	}

	replyTo := make(chan actor.Ref, 1)
	asked := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if p.Message() == "question" {
			replyTo <- p.Sender() // answered by the test, through a Destination
		}
		return nil
	}))
	answer := make(chan any, 1)
	go func() {
		v, err := sys.Request(ctx, asked, "question")
		if err != nil {
			v = err
		}
		answer <- v
	}()
	reply := recv(t, replyTo, "the reply ref")
	rd := sys.Destination(ctx, reply)
	if err := rd.Deliver(ctx, asked, "answer"); err != nil {
		t.Fatalf("deliver a reply: %v", err)
	}
	if v := recv(t, answer, "the request's answer"); v != "answer" {
		t.Fatalf("request got %v", v)
	}
}

// TestDestinationAfterShutdown checks that a delivery after Shutdown
// fails with ErrShutdown.
func TestDestinationAfterShutdown(t *testing.T) {
	sys := actor.NewSystem()
	ctx := testContext(t)
	ref := spawn(t, sys, sink(make(chan received, 1)))
	d := sys.Destination(ctx, ref)
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := sys.Shutdown(sctx); err != nil {
		t.Fatal(err)
	}
	if err := d.Deliver(ctx, actor.Ref{}, "x"); !errors.Is(err, actor.ErrShutdown) {
		t.Fatalf("deliver after shutdown: %v, want ErrShutdown", err)
	}
}

// TestPostBatchDelivers posts runs of messages as batches, with and
// without a sender: they arrive in order, before what is sent after them,
// each with its sender.
func TestPostBatchDelivers(t *testing.T) {
	ctx, d, got := sinkDestination(t)
	from := peerRef
	if !d.PostBatch(actor.Ref{}, []any{0, 1, 2}) || !d.PostBatch(from, []any{3, 4}) {
		t.Fatal("PostBatch refused a live actor with room")
	}
	if err := d.Deliver(ctx, actor.Ref{}, 5); err != nil {
		t.Fatal(err)
	}
	recvInOrder(t, got, 6, func(i int) actor.Ref {
		if i == 3 || i == 4 {
			return from
		}
		return actor.Ref{}
	})
}

// TestPostBatchRefuses: no batch for an actor that reads its inbox
// itself, one without room for the whole batch, a single message, or a
// dead actor; nothing is delivered then.
func TestPostBatchRefuses(t *testing.T) {
	sys := newSystem(t)
	ctx := testContext(t)
	loop := spawn(t, sys, actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		<-p.Context().Done()
		return nil
	}))
	small := spawn(t, sys, sink(make(chan received, 8)), actor.WithMailbox(mailbox.WithCapacity(2)))
	for name, c := range map[string]struct {
		to   actor.Ref
		msgs []any
	}{
		"loop":    {loop, []any{1, 2}},
		"no room": {small, []any{1, 2, 3}},
		"single":  {small, []any{1}},
	} {
		if d := sys.Destination(ctx, c.to); d.PostBatch(actor.Ref{}, c.msgs) {
			t.Errorf("%s: PostBatch posted", name)
		}
	}
	if err := sys.Stop(ctx, small); err != nil {
		t.Fatal(err)
	}
	if d := sys.Destination(ctx, small); d.PostBatch(actor.Ref{}, []any{1, 2}) {
		t.Error("PostBatch posted to a dead actor")
	}
}

// TestPostBatchRestDeadLettered: an actor that fails in the middle of a
// batch leaves the rest of it as dead letters, as it leaves its mailbox.
func TestPostBatchRestDeadLettered(t *testing.T) {
	sys := newSystem(t)
	ctx := testContext(t)
	errStop := errors.New("stop here")
	ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if p.Message() == 2 {
			return errStop
		}
		return nil
	}))
	watcher := make(chan any, 4)
	w := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if term, ok := p.Message().(actor.Terminated); ok {
			watcher <- term
		}
		return nil
	}))
	if err := sys.Watch(w, ref); err != nil {
		t.Fatal(err)
	}
	before := sys.DeadLetters()[actor.ReasonStopped]
	if d := sys.Destination(ctx, ref); !d.PostBatch(actor.Ref{}, []any{1, 2, 3, 4, 5}) {
		t.Fatal("PostBatch refused")
	}
	recv(t, watcher, "Terminated")
	if n := sys.DeadLetters()[actor.ReasonStopped] - before; n != 3 {
		t.Fatalf("%d dead letters after a failure at message 2 of 5, want 3", n)
	}
}

// TestPostBatchGracefulStop: a normal stop requested while a batch is
// being handled lets the actor handle all of it first.
func TestPostBatchGracefulStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := newSystem(t)
		ctx := testContext(t)
		gate := make(chan struct{})
		got := make(chan any, 8)
		ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
			if n, ok := p.Message().(int); ok {
				if n == 1 {
					<-gate
				}
				got <- n
			}
			return nil
		}))
		if d := sys.Destination(ctx, ref); !d.PostBatch(actor.Ref{}, []any{1, 2, 3, 4}) {
			t.Fatal("PostBatch refused")
		}
		synctest.Wait() // the actor is in message 1
		stopped := make(chan error, 1)
		go func() { stopped <- sys.Stop(ctx, ref) }()
		synctest.Wait() // the stop request is queued
		close(gate)
		if err := <-stopped; err != nil {
			t.Fatal(err)
		}
		for want := 1; want <= 4; want++ {
			if n := recv(t, got, "a batch message before the stop"); n != want {
				t.Fatalf("got %v, want %d", n, want)
			}
		}
	})
}
