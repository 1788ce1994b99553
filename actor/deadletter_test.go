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

// gated is a handler that blocks on g for its first message; then, for
// "stop", it stops itself, and it answers markers.
func gated(g *gate) actor.Behavior {
	first := true
	return actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Started); ok {
			first = true
			return nil
		}
		if first {
			first = false
			g.block()
		}
		g.handled <- p.Message()
		switch m := p.Message().(type) {
		case marker:
			return p.Reply(m)
		case string:
			if m == "stop" {
				return actor.ErrNormal // stops at once: what is queued is dead-lettered
			}
		}
		return nil
	})
}

// Every reason is counted and published, with the message, its target and
// its sender.
func TestDeadLetterReasons(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := newSystem(t)
		dead := deadLetters(t, sys)
		ctx := testContext(t)
		from := actor.Ref{Name: "someone", ID: 42}
		expect := func(reason actor.DeadLetterReason, target actor.Ref, msg any) {
			t.Helper()
			dl := recv(t, dead, reason.String()+" dead letter")
			if dl.Reason != reason || dl.Target != target || dl.Message != msg {
				t.Errorf("dead letter %+v, want %v to %v: %v", dl, reason, target, msg)
			}
		}

		// Not found: a stopped actor, an unknown name, an unknown id, a
		// remote node without a transport.
		gone := spawn(t, sys, actor.Func(noop))
		if err := sys.Stop(ctx, gone); err != nil {
			t.Fatal(err)
		}
		if err := sys.Deliver(ctx, gone, from, "to the dead"); !errors.Is(err, actor.ErrNotFound) {
			t.Errorf("Send to a stopped actor: %v", err)
		}
		if dl := recv(t, dead, "dead letter"); dl.Sender != from || dl.Target != gone || dl.Reason != actor.ReasonNotFound {
			t.Errorf("dead letter %+v: want not-found from %v", dl, from)
		}
		for _, to := range []actor.Ref{{Name: "unknown"}, {ID: 77}} {
			if err := sys.Send(ctx, to, "lost"); !errors.Is(err, actor.ErrNotFound) {
				t.Errorf("Send to %v: %v", to, err)
			}
			expect(actor.ReasonNotFound, to, "lost")
		}
		remote := actor.Ref{Node: "tcp://127.0.0.1:5555", Name: "far"}
		if err := sys.Send(ctx, remote, "far away"); !errors.Is(err, actor.ErrNoTransport) {
			t.Errorf("Send to a remote ref without transport: %v", err)
		}
		expect(actor.ReasonNotFound, remote, "far away")

		// Stopped: queued when the actor stopped.
		g := newGate(t)
		q := spawn(t, sys, gated(g))
		if err := sys.Send(ctx, q, "stop"); err != nil {
			t.Fatal(err)
		}
		g.wait(t)
		for _, m := range []string{"q1", "q2", "q3"} {
			if err := sys.Deliver(ctx, q, from, m); err != nil {
				t.Fatal(err)
			}
		}
		g.release()
		for _, m := range []string{"q1", "q2", "q3"} {
			dl := recv(t, dead, "stopped dead letter")
			if dl.Reason != actor.ReasonStopped || dl.Target != q || dl.Message != m || dl.Sender != from {
				t.Errorf("dead letter %+v, want %s queued to %v by %v", dl, m, q, from)
			}
		}

		// Dropped (DropNewest), full (Fail) and timeout (Block): a stalled
		// actor with room for one message.
		for _, c := range []struct {
			policy mailbox.Policy
			reason actor.DeadLetterReason
			check  func(error) bool
		}{
			{mailbox.DropNewest, actor.ReasonDropped, func(err error) bool { return err == nil }},
			{mailbox.Fail, actor.ReasonFull, func(err error) bool { return errors.Is(err, mailbox.ErrFull) }},
			{mailbox.Block, actor.ReasonTimeout, func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
		} {
			g := newGate(t)
			ref := spawn(t, sys, gated(g), actor.WithMailbox(mailbox.WithCapacity(1), mailbox.WithPolicy(c.policy)))
			if err := sys.Send(ctx, ref, "first"); err != nil {
				t.Fatal(err)
			}
			g.wait(t)
			if err := sys.Send(ctx, ref, "queued"); err != nil {
				t.Fatal(err)
			}
			short, cancel := context.WithTimeout(ctx, time.Millisecond)
			err := sys.Send(short, ref, "one too many")
			cancel()
			if !c.check(err) {
				t.Errorf("%v: Send to a full mailbox: %v", c.policy, err)
			}
			expect(c.reason, ref, "one too many")
			g.release()
			for _, m := range []string{"first", "queued"} {
				if got := recv(t, g.handled, "handled message"); got != m {
					t.Errorf("%v: handled %v, want %v", c.policy, got, m)
				}
			}
		}

		// Late reply.
		g = newGate(t)
		slow := spawn(t, sys, actor.Func(func(p *actor.Process) error {
			if p.Message() == "question" {
				g.block()
				_ = p.Reply("answer")
			}
			return nil
		}))
		short, cancel := context.WithTimeout(ctx, time.Millisecond)
		_, err := sys.Request(short, slow, "question")
		cancel()
		var te *actor.TimeoutError
		if !errors.As(err, &te) {
			t.Fatalf("Request: %v, want a timeout", err)
		}
		g.wait(t)
		g.release()
		if dl := recv(t, dead, "late reply"); dl.Reason != actor.ReasonLateReply || dl.Message != "answer" {
			t.Errorf("dead letter %+v, want the late answer", dl)
		}

		want := actor.DeadLetterCounts{
			actor.ReasonNotFound: 4, actor.ReasonStopped: 3, actor.ReasonDropped: 1,
			actor.ReasonFull: 1, actor.ReasonTimeout: 1, actor.ReasonLateReply: 1,
		}
		got := sys.DeadLetters()
		if len(got) != len(want) || got.Total() != want.Total() {
			t.Errorf("DeadLetters() = %v, want %v", got, want)
		}
		for r, n := range want {
			if got[r] != n {
				t.Errorf("%v: %d dead letters, want %d", r, got[r], n)
			}
		}
		noMore(t, dead, "dead letter")
	})
}

func TestDeadLetterReasonString(t *testing.T) {
	want := map[actor.DeadLetterReason]string{
		actor.ReasonNotFound: "not-found", actor.ReasonStopped: "stopped", actor.ReasonDropped: "dropped",
		actor.ReasonFull: "full", actor.ReasonTimeout: "timeout", actor.ReasonLateReply: "late-reply",
		actor.ReasonRemote: "remote", 200: "reason(200)",
	}
	for r, s := range want {
		if r.String() != s {
			t.Errorf("%d.String() = %q, want %q", uint8(r), r.String(), s)
		}
	}
}

// DeadLetter lets a transport record its own losses.
func TestDeadLetterFromTransport(t *testing.T) {
	sys := newSystem(t)
	dead := deadLetters(t, sys)
	to := actor.Ref{Node: "ipc:///tmp/x.sock", Name: "far"}
	sys.DeadLetter(to, actor.Ref{}, "lost on the wire", actor.ReasonRemote)
	if dl := recv(t, dead, "dead letter"); dl.Reason != actor.ReasonRemote || dl.Target != to {
		t.Errorf("dead letter %+v", dl)
	}
	if n := sys.DeadLetters()[actor.ReasonRemote]; n != 1 {
		t.Errorf("%d remote dead letters, want 1", n)
	}
}
