package mailbox

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

// live runs producers senders against an owner that receives concurrently
// (doing a little work per message, so it is the slower side) and checks
// exact accounting once everyone is done.
func live(t *testing.T, ctx context.Context, p Policy, capacity, perProd int, wantErr error) (map[fate]int, Stats) {
	l := newLedger(producers, perProd)
	mb := New(WithCapacity(capacity), WithPolicy(p), WithDropHandler(l.onDrop))
	var badErr atomic.Int64
	sendersDone := make(chan struct{})
	ownerDone := make(chan error)
	go func() { ownerDone <- own(mb, l, perProd, sendersDone) }()
	wg := sendAll(ctx, mb, l, producers, func(err error) bool { return errors.Is(err, wantErr) }, &badErr)
	waitOrFail(t, wg, "senders")
	close(sendersDone)
	if err := <-ownerDone; err != nil {
		t.Error(err)
	}
	if n := badErr.Load(); n != 0 {
		t.Errorf("%d posts returned an error that is not %v", n, wantErr)
	}
	c := l.counts(t)
	st := mb.Stats()
	if st.Depth != 0 || st.MaxDepth > capacity || st.MaxDepth < 1 {
		t.Errorf("depth %d, maxDepth %d (capacity %d)", st.Depth, st.MaxDepth, capacity)
	}
	checks := []struct {
		name      string
		stat, got uint64
	}{
		{"Received", st.Received, uint64(c[fateReceived])},
		{"Posted", st.Posted, uint64(c[fateReceived] + c[fate(DroppedOldest)])},
		{"Dropped", st.Dropped, uint64(c[fate(DroppedNewest)])},
		{"Evicted", st.Evicted, uint64(c[fate(DroppedOldest)])},
		{"Flushed", st.Flushed, uint64(c[fate(DroppedClosed)])},
	}
	for _, k := range checks {
		if k.stat != k.got {
			t.Errorf("Stats.%s = %d, but the ledger counts %d", k.name, k.stat, k.got)
		}
	}
	if sum := st.Posted + st.Dropped + uint64(c[fateReturned]); sum != uint64(producers*perProd) {
		t.Errorf("posted %d + dropped %d + returned %d = %d, want %d sent", st.Posted, st.Dropped, c[fateReturned], sum, producers*perProd)
	}
	return c, st
}

// own is the owner loop: receive until the senders are done, then take
// what is left. It checks per-producer FIFO order.
func own(mb *Mailbox, l *ledger, perProd int, sendersDone <-chan struct{}) error {
	order := newFIFO(perProd)
	sink := 0
	take := func(m any) {
		order.see(m)
		l.mark(m, fateReceived)
		for i := range 64 { // the owner's "work": makes it the slow side
			sink += i ^ m.(int)
		}
	}
	for {
		select {
		case m := <-mb.C():
			take(m)
		case <-sendersDone:
			drain(mb, take)
			_ = sink
			return order.err
		}
	}
}

func TestLiveBlock(t *testing.T) {
	c, st := live(t, context.Background(), Block, 4, 2000, nil)
	allowOnly(t, c, fateReceived)
	if st.Lost() != 0 || st.Rejected != 0 {
		t.Errorf("Block lost %d and rejected %d", st.Lost(), st.Rejected)
	}
}

func TestLiveDropNewest(t *testing.T) {
	c, st := live(t, nil, DropNewest, 4, 2000, nil) // nil ctx: allowed for non-blocking policies
	allowOnly(t, c, fateReceived, fate(DroppedNewest))
	t.Logf("received %d, dropped %d", c[fateReceived], st.Dropped)
}

func TestLiveDropOldest(t *testing.T) {
	c, st := live(t, context.Background(), DropOldest, 4, 2000, nil)
	allowOnly(t, c, fateReceived, fate(DroppedOldest), fate(DroppedNewest))
	t.Logf("received %d, evicted %d, dropped (lost eviction races) %d", c[fateReceived], st.Evicted, st.Dropped)
}

func TestLiveFail(t *testing.T) {
	c, st := live(t, nil, Fail, 4, 2000, ErrFull)
	allowOnly(t, c, fateReceived, fateReturned)
	if st.Rejected != uint64(c[fateReturned]) || st.Lost() != 0 {
		t.Errorf("rejected %d, ErrFull returned %d times, lost %d", st.Rejected, c[fateReturned], st.Lost())
	}
}
