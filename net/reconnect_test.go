package net

import (
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// sink passes the N of every msgPing it gets to got.
func sink(got chan<- int64) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		if m, ok := p.Message().(msgPing); ok {
			got <- m.N
		}
		return nil
	})
}

// pings forwards the dead letters of msgPing messages from sys to out.
func pings(t *testing.T, sys *actor.System, out chan<- actor.DeadLetter) {
	t.Helper()
	unsub := sys.SubscribeFunc(actor.TopicDeadLetter, func(p actor.Publication) {
		if d, ok := p.Message.(actor.DeadLetter); ok {
			if _, ok := d.Message.(msgPing); ok {
				out <- d
			}
		}
	})
	t.Cleanup(unsub)
}

// TestReconnect restarts the peer node on the same endpoint while
// messages flow: those queued during the outage are delivered after the
// reconnection, and every message is either delivered or dead-lettered
// somewhere — none is lost without a trace, none is counted twice.
func TestReconnect(t *testing.T) {
	transports(t, func(t *testing.T, tr string) {
		const total = 2000
		ctx := testContext(t)
		sysA, a := startNode(t, endpoint(t, tr))
		downs := make(chan NodeDown, 8)
		unsub := sysA.SubscribeFunc(TopicNodeDown, func(p actor.Publication) { downs <- p.Message.(NodeDown) })
		defer unsub()
		got := make(chan int64, total)
		dead := make(chan actor.DeadLetter, total)
		pings(t, sysA, dead)

		sysB1, b1 := startNode(t, endpoint(t, tr))
		pings(t, sysB1, dead)
		spawn(t, sysB1, sink(got), actor.WithName("sink"))
		to := actor.Ref{Node: b1.Address(), Name: "sink"}
		for i := range total / 2 {
			if err := sysA.Send(ctx, to, msgPing{N: int64(i)}); err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
		}
		delivered := 0
		recv(t, got, "a first delivery")
		delivered++
		shutdown(t, sysB1)
		recv(t, downs, "NodeDown")

		for i := total / 2; i < total; i++ { // queued while B is away
			if err := sysA.Send(ctx, to, msgPing{N: int64(i)}); err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
		}
		// B2 takes over B1's endpoint, its sink ready before it listens.
		sysB2 := actor.NewSystem()
		t.Cleanup(func() { shutdown(t, sysB2) })
		pings(t, sysB2, dead)
		got2 := make(chan int64, total)
		spawn(t, sysB2, sink(got2), actor.WithName("sink"))
		if _, err := Listen(ctx, sysB2, b1.Address(), testOptions()...); err != nil {
			t.Fatalf("listen again on %s: %v", b1.Address(), err)
		}

		deadLetters := map[actor.DeadLetterReason]int{}
		lost, afterOutage := 0, 0
		timeout := time.After(testTimeout)
		for delivered+lost < total {
			select {
			case <-got:
				delivered++
			case n := <-got2: // some sent before the outage may still have been queued
				delivered++
				if n >= total/2 {
					afterOutage++
				}
			case d := <-dead:
				deadLetters[d.Reason]++
				lost++
			case <-timeout:
				t.Fatalf("delivered %d + dead letters %v != %d sent", delivered, deadLetters, total)
			}
		}
		select { // one more would be counted twice
		case n := <-got:
			t.Fatalf("message %d delivered after all were accounted for", n)
		case n := <-got2:
			t.Fatalf("message %d delivered after all were accounted for", n)
		case d := <-dead:
			t.Fatalf("dead letter %+v after all were accounted for", d)
		default:
		}
		if afterOutage != total/2 {
			t.Fatalf("B2 got %d messages, want the %d queued during the outage (dead letters %v)", afterOutage, total/2, deadLetters)
		}
		s := a.Stats()
		if s.Reconnects < 1 || uint64(deadLetters[actor.ReasonRemote]) != s.RemoteDeadLetters {
			t.Fatalf("Reconnects %d, RemoteDeadLetters %d (dead letters %v)", s.Reconnects, s.RemoteDeadLetters, deadLetters)
		}
		t.Logf("delivered %d, dead letters %v, stats %+v", delivered, deadLetters, s)
	})
}
