package net

import (
	"fmt"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// TestStreamIntoMailboxes streams numbered messages from one node to
// actors of every kind on another: a handler with room (the reader hands
// runs over as batches), one with a mailbox of four (runs do not fit and
// go one by one, under backpressure), one that reads its inbox itself
// (never sent batches), two handlers whose streams alternate, and one
// that drops what does not fit. Each gets the messages in order; the
// dropping one gets some and dead-letters the others, and the two add up
// to all of them.
func TestStreamIntoMailboxes(t *testing.T) {
	const count = 20_000
	sysB, b := startNode(t, endpoint(t, "tcp"))
	sysA, _ := startNode(t, endpoint(t, "tcp"))
	ctx := testContext(t)
	dead := deadLetters(t, sysB, count)

	type result struct{ got, last int64 }
	counter := func(done chan<- result, strict bool) func(msg any) bool {
		var r result
		r.last = -1
		return func(msg any) bool {
			m, ok := msg.(msgPong)
			if !ok {
				return false
			}
			if strict && m.N != r.last+1 || m.N <= r.last {
				done <- result{got: -1, last: m.N}
				return true
			}
			r.got++
			r.last = m.N
			if m.N == count-1 {
				done <- r
			}
			return false
		}
	}
	handler := func(done chan<- result, strict bool) actor.Behavior {
		see := counter(done, strict)
		return actor.Func(func(p *actor.Process) error {
			see(p.Message())
			return nil
		})
	}
	loop := func(done chan<- result) actor.Behavior {
		see := counter(done, true)
		return actor.Loop(func(p *actor.Process, inbox <-chan any) error {
			for {
				select {
				case m := <-inbox:
					if see(m) {
						return nil
					}
				case <-p.Context().Done():
					return nil
				}
			}
		})
	}
	for _, c := range []struct {
		name     string
		behavior func(chan<- result) actor.Behavior
		opts     []mailbox.Option
	}{
		{"roomy", func(d chan<- result) actor.Behavior { return handler(d, true) }, []mailbox.Option{mailbox.WithCapacity(8192)}},
		{"tiny", func(d chan<- result) actor.Behavior { return handler(d, true) }, []mailbox.Option{mailbox.WithCapacity(4)}},
		{"loop", loop, []mailbox.Option{mailbox.WithCapacity(8192)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan result, 2)
			to := spawn(t, sysB, c.behavior(done), actor.WithMailbox(c.opts...))
			to.Node = b.Address()
			for i := range int64(count) {
				if err := sysA.Send(ctx, to, msgPong{N: i}); err != nil {
					t.Fatalf("send %d: %v", i, err)
				}
			}
			r := recv(t, done, fmt.Sprintf("the last of %d messages", count))
			if r.got != count {
				t.Fatalf("got %d messages in order, then %d", r.got, r.last)
			}
		})
	}
	t.Run("two targets", func(t *testing.T) {
		// Runs of one to seven messages to each in turn: the link puts
		// several runs into one ZMTP message, a SEND at each switch.
		doneX, doneY := make(chan result, 2), make(chan result, 2)
		x := spawn(t, sysB, handler(doneX, true), actor.WithMailbox(mailbox.WithCapacity(8192)))
		y := spawn(t, sysB, handler(doneY, true), actor.WithMailbox(mailbox.WithCapacity(8192)))
		x.Node, y.Node = b.Address(), b.Address()
		var nx, ny int64
		for run := 0; nx < count || ny < count; run++ {
			to, n := x, &nx
			if run%2 == 1 {
				to, n = y, &ny
			}
			for k := 0; k <= run%7 && *n < count; k++ {
				if err := sysA.Send(ctx, to, msgPong{N: *n}); err != nil {
					t.Fatalf("send %d: %v", *n, err)
				}
				*n++
			}
		}
		for name, done := range map[string]chan result{"x": doneX, "y": doneY} {
			r := recv(t, done, fmt.Sprintf("the last of %d messages to %s", count, name))
			if r.got != count {
				t.Fatalf("%s got %d messages in order, then %d", name, r.got, r.last)
			}
		}
	})
	t.Run("dropping", func(t *testing.T) {
		seen := make(chan int64, count)
		to := spawn(t, sysB, actor.Func(func(p *actor.Process) error {
			if m, ok := p.Message().(msgPong); ok {
				seen <- m.N
			}
			return nil
		}), actor.WithMailbox(mailbox.WithCapacity(8), mailbox.WithPolicy(mailbox.DropNewest)))
		to.Node = b.Address()
		for i := range int64(count) {
			if err := sysA.Send(ctx, to, msgPong{N: i}); err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
		}
		last, got, dropped := int64(-1), 0, 0
		deadline := time.After(time.Minute)
		for got+dropped < count {
			select {
			case n := <-seen:
				if n <= last {
					t.Fatalf("message %d after %d", n, last)
				}
				last, got = n, got+1
			case d := <-dead:
				if d.Reason != actor.ReasonDropped {
					t.Fatalf("dead letter %+v, want one dropped", d)
				}
				dropped++
			case <-deadline:
				t.Fatalf("%d delivered and %d dropped of %d", got, dropped, count)
			}
		}
	})
}
