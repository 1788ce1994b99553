package supervisor_test

import (
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/supervisor"
)

// The snail tests run in synctest bubbles: a producer publishes one
// numbered message per millisecond of virtual time to two consumers; the
// slow one spends 5 ms of virtual time on each message.

const (
	topic     = "ticks"
	produced  = 100
	slowWork  = 5 * time.Millisecond
	maxDelay  = 20 * time.Millisecond
	tickEvery = time.Millisecond
)

// consumer is a child that subscribes to topic, counts what it receives,
// optionally checks sequence numbers, and spends work(incarnation) on each
// message (virtual time: a timer in the bubble).
type consumer struct {
	seq      supervisor.Sequence
	checkSeq bool
	work     time.Duration
	got      *atomic.Int64
}

func (c *consumer) Receive(p *actor.Process) error {
	switch m := p.Message().(type) {
	case actor.Started:
		p.Subscribe(topic)
	case actor.Publication:
		c.got.Add(1)
		if c.checkSeq {
			if err := c.seq.Check(m.Message.(uint64)); err != nil {
				return err
			}
		}
		if c.work > 0 {
			timer := time.NewTimer(c.work)
			<-timer.C
		}
	}
	return nil
}

func consumerBehavior(checkSeq bool, got *atomic.Int64, work func(incarnation int64) time.Duration) actor.Behavior {
	var incarnations atomic.Int64
	return actor.New(func() actor.Handler {
		return &consumer{checkSeq: checkSeq, work: work(incarnations.Add(1)), got: got}
	})
}

func always(d time.Duration) func(int64) time.Duration { return func(int64) time.Duration { return d } }

// produce publishes 1…produced, one per tickEvery, and returns how long it
// took.
func produce(sys *actor.System) time.Duration {
	start := time.Now()
	ticker := time.NewTicker(tickEvery)
	defer ticker.Stop()
	for i := uint64(1); i <= produced; i++ {
		<-ticker.C
		sys.Publish(topic, i)
	}
	return time.Since(start)
}

// pair is a supervisor with a fast and a slow consumer.
type pair struct {
	sys        *actor.System
	ev         *events
	fast, slow atomic.Int64 // messages received
}

func startPair(t *testing.T, snail *supervisor.Snail, hwm supervisor.HWM, slowWork func(int64) time.Duration, checkSeq bool) *pair {
	t.Helper()
	p := &pair{}
	p.sys, p.ev = newSystem(t)
	spec := supervisor.NewSpec(supervisor.OneForOne,
		supervisor.ChildSpec{Name: "fast", Behavior: consumerBehavior(true, &p.fast, always(0))},
		supervisor.ChildSpec{Name: "slow", Behavior: consumerBehavior(checkSeq, &p.slow, slowWork), Snail: snail, HWM: hwm},
	)
	startOne(t, p.sys, spec)
	return p
}

// produceAsync runs produce on its own goroutine.
func (p *pair) produceAsync() <-chan time.Duration {
	took := make(chan time.Duration, 1)
	go func() { took <- produce(p.sys) }()
	return took
}

// finish waits for the producer to end and checks that it kept its pace
// and that the fast consumer received every message, in order (its
// Sequence would have failed it otherwise).
func (p *pair) finish(t *testing.T, took <-chan time.Duration) {
	t.Helper()
	if d := <-took; d != produced*tickEvery {
		t.Errorf("the producer took %v for %d messages, want %v: it was slowed down", d, produced, produced*tickEvery)
	}
	synctest.Wait()
	t.Logf("fast consumer got %d, slow consumer got %d of %d", p.fast.Load(), p.slow.Load(), produced)
	if got := p.fast.Load(); got != produced {
		t.Errorf("the fast consumer received %d messages, want %d", got, produced)
	}
	if got := p.slow.Load(); got == 0 || got >= produced {
		t.Errorf("the slow consumer received %d messages, want some but not all", got)
	}
}

// slowConsumerEvent waits for the SlowConsumer event and the supervisor's
// decision about the slow child.
func (p *pair) slowConsumerEvent(t *testing.T) (actor.SlowConsumer, supervisor.ChildExit, []any) {
	t.Helper()
	seen := p.ev.until(t, "SlowConsumer", func(e any) bool { _, ok := e.(actor.SlowConsumer); return ok })
	sc := seen[len(seen)-1].(actor.SlowConsumer)
	t.Logf("at %v: %v", time.Now().Format("15:04:05.000"), sc.Reason)
	x, prior := p.ev.exit(t, "slow")
	if x.Ref != sc.Ref || sc.Ref.Name != "sup/slow" {
		t.Errorf("SlowConsumer for %v, exit of %v: want sup/slow for both", sc.Ref, x.Ref)
	}
	if !errors.Is(sc.Reason, actor.ErrSlowConsumer) || !errors.Is(x.Reason, actor.ErrSlowConsumer) || !actor.IsFailure(x.Reason) {
		t.Errorf("reasons %v / %v do not wrap ErrSlowConsumer", sc.Reason, x.Reason)
	}
	return sc, x, prior
}

// A consumer whose oldest queued message waits longer than MaxDelay is
// stopped and left stopped; the producer and the fast consumer keep going.
func TestSnailMaxDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := startPair(t, &supervisor.Snail{MaxDelay: maxDelay}, supervisor.HWM{}, always(slowWork), false)
		t0 := time.Now()
		took := p.produceAsync()
		sc, x, _ := p.slowConsumerEvent(t)
		var se *supervisor.SnailError
		if !errors.As(sc.Reason, &se) || se.Limit != supervisor.LimitDelay || se.Age <= maxDelay || se.MaxDelay != maxDelay {
			t.Fatalf("SlowConsumer reason %v, want a max-delay *SnailError", sc.Reason)
		}
		if at := time.Since(t0); at < maxDelay || at > 2*maxDelay {
			t.Errorf("stopped at %v, want between %v and %v", at, maxDelay, 2*maxDelay)
		}
		if sc.Mailbox.Depth == 0 || sc.Mailbox.Capacity != mailbox.DefaultCapacity {
			t.Errorf("event mailbox counters %+v", sc.Mailbox)
		}
		if x.Action != supervisor.ActionNone {
			t.Errorf("action %v, want the slow consumer left stopped", x.Action)
		}
		p.finish(t, took)
	})
}

// A consumer whose mailbox stays above the fill threshold for the
// tolerance is stopped.
func TestSnailFillThreshold(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		snail := &supervisor.Snail{FillThreshold: 0.5, Tolerance: 10 * time.Millisecond}
		p := startPair(t, snail, supervisor.HWM{Capacity: 8, Policy: mailbox.DropNewest}, always(slowWork), false)
		took := p.produceAsync()
		sc, x, _ := p.slowConsumerEvent(t)
		var se *supervisor.SnailError
		if !errors.As(sc.Reason, &se) || se.Limit != supervisor.LimitFill || se.Above < snail.Tolerance || se.Depth < 4 || se.Capacity != 8 {
			t.Fatalf("SlowConsumer reason %#v, want a fill *SnailError", sc.Reason)
		}
		if x.Action != supervisor.ActionNone {
			t.Errorf("action %v", x.Action)
		}
		p.finish(t, took)
	})
}

// With Restart set, the slow consumer is restarted fresh (here the new
// incarnation is fast) and receives the rest of the stream.
func TestSnailRestartsFresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		firstIsSlow := func(n int64) time.Duration {
			if n == 1 {
				return slowWork
			}
			return 0
		}
		p := startPair(t, &supervisor.Snail{MaxDelay: maxDelay, Restart: true}, supervisor.HWM{}, firstIsSlow, false)
		took := p.produceAsync()
		_, x, prior := p.slowConsumerEvent(t)
		if x.Action != supervisor.ActionRestart || len(restartedNames(prior)) != 1 {
			t.Fatalf("action %v, restarted %v: want sup/slow restarted", x.Action, restartedNames(prior))
		}
		r := prior[len(prior)-1].(actor.Restarted)
		if r.Old != x.Ref || !errors.Is(r.Reason, actor.ErrSlowConsumer) {
			t.Errorf("Restarted %+v", r)
		}
		p.finish(t, took)
	})
}

// A consumer that finds a gap in the sequence numbers (its mailbox dropped
// messages) returns the *GapError and is stopped as a slow consumer; the
// SlowConsumer event is published for it too.
func TestSnailSequenceGap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := startPair(t, &supervisor.Snail{}, supervisor.HWM{Capacity: 4, Policy: mailbox.DropNewest}, always(slowWork), true)
		took := p.produceAsync()
		sc, x, _ := p.slowConsumerEvent(t)
		var gap *supervisor.GapError
		if !errors.As(sc.Reason, &gap) || gap.Missed() == 0 {
			t.Fatalf("SlowConsumer reason %v, want a *GapError", sc.Reason)
		}
		if x.Action != supervisor.ActionNone {
			t.Errorf("action %v, want left stopped (Snail.Restart is false)", x.Action)
		}
		p.finish(t, took)
		if n := p.sys.DeadLetters().Total(); n < gap.Missed() {
			t.Errorf("%d dead letters, want at least the %d messages missed", n, gap.Missed())
		}
	})
}
