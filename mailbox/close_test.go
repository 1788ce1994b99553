package mailbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

var allPolicies = []Policy{Block, DropNewest, DropOldest, Fail}

func TestPostAfterCloseReturnsErrClosed(t *testing.T) {
	for _, p := range allPolicies {
		t.Run(p.String(), func(t *testing.T) {
			var drops atomic.Int64
			mb := New(WithCapacity(1), WithPolicy(p), WithDropHandler(func(any, DropReason) { drops.Add(1) }))
			mb.Close()
			if !mb.Closed() {
				t.Fatal("Closed() is false after Close")
			}
			for i := range 3 { // more than the capacity: no policy applies
				if err := mb.Post(context.Background(), i); !errors.Is(err, ErrClosed) {
					t.Fatalf("post %d after Close: %v, want ErrClosed", i, err)
				}
			}
			if st := mb.Stats(); st.Posted != 0 || st.Depth != 0 || st.Lost() != 0 || st.Rejected != 0 || drops.Load() != 0 {
				t.Errorf("refused posts changed the mailbox: %+v, %d drops", st, drops.Load())
			}
		})
	}
}

func TestCloseFlushesQueuedToDropHandler(t *testing.T) {
	type drop struct {
		msg    any
		reason DropReason
	}
	var got []drop
	mb := New(WithCapacity(8), WithDropHandler(func(m any, r DropReason) { got = append(got, drop{m, r}) }))
	for i := range 5 {
		if err := mb.Post(context.Background(), i); err != nil {
			t.Fatal(err)
		}
	}
	if m := <-mb.C(); m != 0 {
		t.Fatalf("received %v", m)
	}
	mb.PostSystem("sys-before")
	mb.Close()
	mb.Close() // idempotent
	mb.PostSystem("sys-after")
	want := []drop{{1, DroppedClosed}, {2, DroppedClosed}, {3, DroppedClosed}, {4, DroppedClosed}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("drop handler saw %v, want %v", got, want)
	}
	st := mb.Stats()
	if st.Flushed != 4 || st.Depth != 0 || st.Received != 1 || st.Posted != 5 || st.Lost() != 4 {
		t.Errorf("stats after Close: %+v", st)
	}
	var sys []any
	if n := mb.DrainSystem(func(m any) { sys = append(sys, m) }); n != 2 || fmt.Sprint(sys) != "[sys-before sys-after]" {
		t.Errorf("system lane after Close: %d %v, want both messages kept", n, sys)
	}
}

// TestClosePostRace closes mailboxes while senders post, many rounds, for
// every policy, with and without a receiving owner. Nothing may be left in
// the queue (stranded) and every message has exactly one fate.
func TestClosePostRace(t *testing.T) {
	const rounds, senders, perSender, capacity = 1000, 4, 16, 4
	var raced atomic.Int64 // rounds where Close landed between two posts
	for r := range rounds {
		p := allPolicies[r%len(allPolicies)]
		withOwner := r/len(allPolicies)%2 == 1
		if !closeRound(t, &raced, p, withOwner, senders, perSender, capacity) {
			t.Fatalf("round %d (policy %v, owner %v) failed", r, p, withOwner)
		}
	}
	if raced.Load() == 0 {
		t.Fatal("Close never landed among the posts: the race was not exercised")
	}
	t.Logf("%d of %d rounds had posts both accepted and refused", raced.Load(), rounds)
}

func closeRound(t *testing.T, raced *atomic.Int64, p Policy, withOwner bool, senders, perSender, capacity int) bool {
	t.Helper()
	l := newLedger(senders, perSender)
	mb := New(WithCapacity(capacity), WithPolicy(p), WithDropHandler(l.onDrop))
	start := make(chan struct{})
	var badErr atomic.Int64
	var wg sync.WaitGroup
	for s := range senders {
		wg.Go(func() {
			<-start
			for i := range perSender {
				id := s*perSender + i
				if err := mb.Post(context.Background(), id); err != nil {
					if !errors.Is(err, ErrClosed) && !(p == Fail && errors.Is(err, ErrFull)) {
						badErr.Add(1)
					}
					l.mark(id, fateReturned)
				}
			}
		})
	}
	wg.Go(func() {
		<-start
		mb.Close()
	})
	stopOwner := make(chan struct{})
	ownerDone := make(chan struct{})
	go func() {
		defer close(ownerDone)
		if !withOwner {
			return
		}
		for {
			select {
			case m := <-mb.C():
				l.mark(m, fateReceived)
			case <-stopOwner:
				return
			}
		}
	}()
	close(start)
	waitOrFail(t, &wg, "senders and Close")
	close(stopOwner)
	<-ownerDone
	if n := mb.Len(); n != 0 {
		t.Errorf("%d messages stranded in a closed mailbox", n)
	}
	if n := badErr.Load(); n != 0 {
		t.Errorf("%d posts failed with an unexpected error", n)
	}
	c := l.counts(t)
	st := mb.Stats()
	if st.Flushed != uint64(c[fate(DroppedClosed)]) || st.Posted != uint64(c[fateReceived]+c[fate(DroppedOldest)]+c[fate(DroppedClosed)]) {
		t.Errorf("stats %+v do not match fates %v", st, c)
	}
	if c[fateReturned] > 0 && c[fateReturned] < senders*perSender {
		raced.Add(1)
	}
	return !t.Failed()
}
