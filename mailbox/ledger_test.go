package mailbox

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A fate is what became of one test message. Drop reasons keep their own
// values (1..3) so the drop handler can record them directly.
type fate int32

const (
	fateNone     fate = 0
	fateReceived fate = 10 // taken by the owner from C()
	fateReturned fate = 11 // Post returned an error: the sender still owns it
)

func (f fate) String() string {
	switch f {
	case fateNone:
		return "none"
	case fateReceived:
		return "received"
	case fateReturned:
		return "returned"
	}
	return DropReason(f).String()
}

// A ledger records exactly one fate per message id (ids are ints in
// [0, n)), from any goroutine, and counts every second fate as an error.
// The test messages are ids of the form producer*perProducer + seq.
type ledger struct {
	perProducer int
	fates       []atomic.Int32
	conflicts   atomic.Int64
	firstBad    atomic.Value // string describing the first conflict
}

func newLedger(producers, perProducer int) *ledger {
	return &ledger{perProducer: perProducer, fates: make([]atomic.Int32, producers*perProducer)}
}

func (l *ledger) mark(msg any, f fate) {
	id, ok := msg.(int)
	if !ok || id < 0 || id >= len(l.fates) {
		l.conflicts.Add(1)
		l.firstBad.CompareAndSwap(nil, fmt.Sprintf("unexpected message %#v (%v)", msg, f))
		return
	}
	if !l.fates[id].CompareAndSwap(int32(fateNone), int32(f)) {
		l.conflicts.Add(1)
		l.firstBad.CompareAndSwap(nil, fmt.Sprintf("message %d: %v, then %v", id, fate(l.fates[id].Load()), f))
	}
}

// onDrop is a drop handler that records the reason as the message's fate.
func (l *ledger) onDrop(msg any, r DropReason) { l.mark(msg, fate(r)) }

// counts checks that every message has exactly one fate and returns how
// many messages ended with each.
func (l *ledger) counts(t *testing.T) map[fate]int {
	t.Helper()
	if n := l.conflicts.Load(); n != 0 {
		t.Fatalf("%d messages with more than one fate, first: %v", n, l.firstBad.Load())
	}
	c := map[fate]int{}
	for id := range l.fates {
		f := fate(l.fates[id].Load())
		if f == fateNone {
			t.Fatalf("message %d has no fate: lost without a trace", id)
		}
		c[f]++
	}
	return c
}

// allowOnly fails when a fate outside allowed occurred.
func allowOnly(t *testing.T, c map[fate]int, allowed ...fate) {
	t.Helper()
	ok := map[fate]bool{}
	for _, f := range allowed {
		ok[f] = true
	}
	for f, n := range c {
		if !ok[f] {
			t.Errorf("%d messages ended %v, which this policy must never do", n, f)
		}
	}
}

// fifo checks that each producer's messages reach one receiver in the
// order that producer posted them. It belongs to one goroutine.
type fifo struct {
	perProducer int
	last        map[int]int
	err         error
}

func newFIFO(perProducer int) *fifo { return &fifo{perProducer: perProducer, last: map[int]int{}} }

func (f *fifo) see(msg any) {
	id := msg.(int)
	p, seq := id/f.perProducer, id%f.perProducer
	if last, ok := f.last[p]; ok && seq <= last && f.err == nil {
		f.err = fmt.Errorf("producer %d: message %d after %d", p, seq, last)
	}
	f.last[p] = seq
}

// sendAll starts producers goroutines that each post perProducer ids in
// order, recording a fate for each post that returns an error (checked by
// checkErr). The returned WaitGroup is done when every post has returned.
func sendAll(ctx context.Context, mb *Mailbox, l *ledger, producers int, checkErr func(error) bool, bad *atomic.Int64) *sync.WaitGroup {
	wg := new(sync.WaitGroup)
	for p := range producers {
		wg.Go(func() {
			for i := range l.perProducer {
				id := p*l.perProducer + i
				if err := mb.Post(ctx, id); err != nil {
					if !checkErr(err) {
						bad.Add(1)
					}
					l.mark(id, fateReturned)
				}
			}
		})
	}
	return wg
}

// waitOrFail bounds a wait on real goroutines: a hang is a failure.
func waitOrFail(t *testing.T, wg *sync.WaitGroup, what string) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s did not finish within 20s: a goroutine is stuck", what)
	}
}

// drain receives, without blocking, every message still queued.
func drain(mb *Mailbox, f func(any)) int {
	n := 0
	for {
		select {
		case m := <-mb.C():
			f(m)
			n++
		default:
			return n
		}
	}
}
