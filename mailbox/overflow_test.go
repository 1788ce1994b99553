package mailbox

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

const (
	producers   = 8
	perProducer = 256
	sent        = producers * perProducer
	stallCap    = 16
)

// stalled runs producers × perProducer posts against a mailbox whose owner
// does not receive, inside a synctest bubble so that synctest.Wait tells
// when every sender has returned or is blocked. check runs at that point;
// then the owner drains everything (Block senders finish as it does).
func stalled(t *testing.T, p Policy, check func(t *testing.T, mb *Mailbox, l *ledger, st Stats)) {
	synctest.Test(t, func(t *testing.T) {
		l := newLedger(producers, perProducer)
		mb := New(WithCapacity(stallCap), WithPolicy(p), WithDropHandler(l.onDrop))
		var badErr atomic.Int64
		wg := sendAll(context.Background(), mb, l, producers, func(err error) bool { return errors.Is(err, ErrFull) }, &badErr)
		synctest.Wait()
		check(t, mb, l, mb.Stats())

		order := newFIFO(perProducer)
		for range 2*sent + 1 {
			if l.counts0() == sent {
				break
			}
			select {
			case m := <-mb.C():
				order.see(m)
				l.mark(m, fateReceived)
			default:
				synctest.Wait() // let blocked senders refill the queue
			}
		}
		wg.Wait()
		drain(mb, func(m any) { order.see(m); l.mark(m, fateReceived) })
		if order.err != nil {
			t.Error(order.err)
		}
		if n := badErr.Load(); n != 0 {
			t.Errorf("%d posts returned an error other than ErrFull", n)
		}
		c := l.counts(t)
		end := mb.Stats()
		if end.Depth != 0 || end.Received != uint64(c[fateReceived]) {
			t.Errorf("after draining: depth %d received %d, want 0 and %d", end.Depth, end.Received, c[fateReceived])
		}
		if end.Posted != uint64(c[fateReceived]+c[fate(DroppedOldest)]) {
			t.Errorf("posted %d, want received %d + evicted %d", end.Posted, c[fateReceived], c[fate(DroppedOldest)])
		}
	})
}

// counts0 is the number of messages with a fate so far (no checks).
func (l *ledger) counts0() int {
	n := 0
	for i := range l.fates {
		if l.fates[i].Load() != int32(fateNone) {
			n++
		}
	}
	return n
}

// queuedPerProducer receives the whole queue (the owner's view) and
// returns, per producer, the sequence numbers found, in order.
func queuedPerProducer(mb *Mailbox, l *ledger) map[int][]int {
	q := map[int][]int{}
	drain(mb, func(m any) {
		id := m.(int)
		q[id/perProducer] = append(q[id/perProducer], id%perProducer)
		l.mark(m, fateReceived)
	})
	return q
}

func TestBlockStalledLosesNothing(t *testing.T) {
	stalled(t, Block, func(t *testing.T, mb *Mailbox, l *ledger, st Stats) {
		if st.Depth != stallCap || st.Posted != stallCap || st.MaxDepth != stallCap {
			t.Errorf("stalled Block: depth %d posted %d maxDepth %d, want %d each", st.Depth, st.Posted, st.MaxDepth, stallCap)
		}
		if st.Lost() != 0 || st.Rejected != 0 {
			t.Errorf("Block lost %d and rejected %d messages", st.Lost(), st.Rejected)
		}
		if n := l.counts0(); n != 0 {
			t.Errorf("%d messages got a fate while every sender waits", n)
		}
	})
}

func TestDropNewestStalledKeepsFirst(t *testing.T) {
	stalled(t, DropNewest, func(t *testing.T, mb *Mailbox, l *ledger, st Stats) {
		if st.Depth != stallCap || st.Posted != stallCap || st.Dropped != sent-stallCap {
			t.Errorf("depth %d posted %d dropped %d, want %d, %d, %d", st.Depth, st.Posted, st.Dropped, stallCap, stallCap, sent-stallCap)
		}
		if st.Evicted != 0 || st.Rejected != 0 || st.Flushed != 0 || st.MaxDepth != stallCap {
			t.Errorf("unexpected stats %+v", st)
		}
		if got := l.counts0(); got != sent-stallCap {
			t.Errorf("drop handler saw %d messages, want %d", got, sent-stallCap)
		}
		// The queue filled once and stayed full: each producer's queued
		// messages are the first ones it posted.
		for p, seqs := range queuedPerProducer(mb, l) {
			for i, s := range seqs {
				if s != i {
					t.Errorf("producer %d: queued %v, want a prefix 0,1,2…", p, seqs)
					break
				}
			}
		}
		allowOnly(t, l.counts(t), fateReceived, fate(DroppedNewest))
	})
}

func TestDropOldestStalledKeepsNewest(t *testing.T) {
	stalled(t, DropOldest, func(t *testing.T, mb *Mailbox, l *ledger, st Stats) {
		if st.Depth != stallCap || st.MaxDepth != stallCap {
			t.Errorf("depth %d maxDepth %d, want %d", st.Depth, st.MaxDepth, stallCap)
		}
		if st.Posted+st.Dropped != sent || st.Evicted+uint64(st.Depth) != st.Posted {
			t.Errorf("posted %d + dropped %d != %d or evicted %d + depth %d != posted", st.Posted, st.Dropped, sent, st.Evicted, st.Depth)
		}
		if st.Rejected != 0 || st.Flushed != 0 {
			t.Errorf("unexpected stats %+v", st)
		}
		for p, seqs := range queuedPerProducer(mb, l) {
			// Messages leave a FIFO from its head only, so what remains of
			// a producer is the tail of what it got accepted: nothing it
			// had accepted after the first remaining one is missing.
			for i := 1; i < len(seqs); i++ {
				for s := seqs[i-1] + 1; s < seqs[i]; s++ {
					if f := fate(l.fates[p*perProducer+s].Load()); f != fate(DroppedNewest) {
						t.Errorf("producer %d: %d missing between queued %d and %d (%v)", p, s, seqs[i-1], seqs[i], f)
					}
				}
			}
		}
		c := l.counts(t)
		allowOnly(t, c, fateReceived, fate(DroppedOldest), fate(DroppedNewest))
		if uint64(c[fate(DroppedOldest)]) != st.Evicted || uint64(c[fate(DroppedNewest)]) != st.Dropped {
			t.Errorf("handler saw %d evicted and %d dropped, stats say %d and %d", c[fate(DroppedOldest)], c[fate(DroppedNewest)], st.Evicted, st.Dropped)
		}
	})
}

func TestFailStalledRejectsExactly(t *testing.T) {
	stalled(t, Fail, func(t *testing.T, mb *Mailbox, l *ledger, st Stats) {
		if st.Depth != stallCap || st.Posted != stallCap || st.Rejected != sent-stallCap {
			t.Errorf("depth %d posted %d rejected %d, want %d, %d, %d", st.Depth, st.Posted, st.Rejected, stallCap, stallCap, sent-stallCap)
		}
		if st.Lost() != 0 {
			t.Errorf("Fail discarded %d messages; it must return them instead", st.Lost())
		}
		returned := 0
		for i := range l.fates {
			if fate(l.fates[i].Load()) == fateReturned {
				returned++
			}
		}
		if n := l.counts0(); n != sent-stallCap || returned != n {
			t.Errorf("%d messages have a fate, %d of them returned ErrFull; want %d, all returned", n, returned, sent-stallCap)
		}
	})
}

func TestDropOldestSingleProducerKeepsNewest(t *testing.T) {
	const n, capacity = 100, 8
	var evicted []any
	mb := New(WithCapacity(capacity), WithPolicy(DropOldest), WithDropHandler(func(m any, r DropReason) {
		if r != DroppedOldest {
			t.Errorf("message %v dropped with reason %v, want %v", m, r, DroppedOldest)
		}
		evicted = append(evicted, m)
	}))
	for i := range n {
		if err := mb.Post(context.Background(), i); err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	if len(evicted) != n-capacity {
		t.Fatalf("evicted %d messages, want %d", len(evicted), n-capacity)
	}
	for i, m := range evicted {
		if m != i {
			t.Fatalf("eviction %d was message %v, want %d (oldest first)", i, m, i)
		}
	}
	for i := n - capacity; i < n; i++ {
		if m := <-mb.C(); m != i {
			t.Fatalf("queue holds %v where %d was expected", m, i)
		}
	}
	st := mb.Stats()
	want := Stats{Capacity: capacity, Policy: DropOldest, Posted: n, Received: capacity, Evicted: n - capacity, MaxDepth: capacity}
	if st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
}
