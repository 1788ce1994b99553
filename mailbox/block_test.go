package mailbox

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

var errStop = errors.New("test: stop posting")

// fullBlock returns a Block mailbox of capacity 1 already holding "first".
func fullBlock(t *testing.T) *Mailbox {
	t.Helper()
	mb := New(WithCapacity(1))
	if err := mb.Post(context.Background(), "first"); err != nil {
		t.Fatal(err)
	}
	return mb
}

func TestBlockWaitsThenCancelCause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mb := fullBlock(t)
		ctx, cancel := context.WithCancelCause(context.Background())
		res := make(chan error, 1)
		go func() { res <- mb.Post(ctx, "second") }()
		synctest.Wait()
		select {
		case err := <-res:
			t.Fatalf("Post on a full Block mailbox returned %v without waiting", err)
		default:
		}
		cancel(errStop)
		err := <-res
		if !errors.Is(err, errStop) {
			t.Fatalf("Post returned %v, want an error wrapping the cancel cause", err)
		}
		if !strings.HasPrefix(err.Error(), "mailbox: ") {
			t.Errorf("error %q lacks the package prefix", err)
		}
		if st := mb.Stats(); st.Posted != 1 || st.Depth != 1 || st.Lost() != 0 {
			t.Errorf("after a cancelled post: %+v", st)
		}
		if m := <-mb.C(); m != "first" || mb.Len() != 0 {
			t.Errorf("queue held %v and %d more; the cancelled message must stay with its sender", m, mb.Len())
		}
	})
}

func TestBlockDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mb := fullBlock(t)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		err := mb.Post(ctx, "second")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Post returned %v, want context.DeadlineExceeded", err)
		}
		if waited := time.Since(start); waited != time.Second {
			t.Errorf("Post gave up after %v, want exactly the 1s deadline", waited)
		}
	})
}

func TestBlockResumesWhenOwnerReceives(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mb := fullBlock(t)
		res := make(chan error, 1)
		go func() { res <- mb.Post(nil, "second") }() // nil ctx: wait forever
		synctest.Wait()
		if len(res) != 0 {
			t.Fatal("Post returned while the mailbox was full")
		}
		if m := <-mb.C(); m != "first" {
			t.Fatalf("received %v", m)
		}
		if err := <-res; err != nil {
			t.Fatal(err)
		}
		if m := <-mb.C(); m != "second" {
			t.Fatalf("received %v", m)
		}
		if st := mb.Stats(); st.Posted != 2 || st.Received != 2 || st.MaxDepth != 1 {
			t.Errorf("stats %+v", st)
		}
	})
}

// A Block post only waits when there is no room: with room, an already
// cancelled context does not stop it (like a buffered channel send).
func TestBlockWithRoomIgnoresDoneContext(t *testing.T) {
	mb := New(WithCapacity(2))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := mb.Post(ctx, 1); err != nil {
		t.Fatalf("post with room and a cancelled context: %v", err)
	}
	if err := mb.Post(ctx, 2); err != nil {
		t.Fatalf("post with room and a cancelled context: %v", err)
	}
	if err := mb.Post(ctx, 3); !errors.Is(err, context.Canceled) {
		t.Fatalf("post on a full mailbox with a cancelled context: %v, want context.Canceled", err)
	}
}

// TestBlockCancelUnderLoad: 8 senders, an owner that stops receiving and
// cancels the senders' context after a while. Every message is either
// received or handed back to its sender with an error wrapping the cause.
func TestBlockCancelUnderLoad(t *testing.T) {
	const perProd, capacity, before = 500, 8, 1000
	l := newLedger(producers, perProd)
	mb := New(WithCapacity(capacity), WithDropHandler(l.onDrop))
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var badErr atomic.Int64
	wg := sendAll(ctx, mb, l, producers, func(err error) bool { return errors.Is(err, errStop) }, &badErr)
	order := newFIFO(perProd)
	for range before {
		m := <-mb.C()
		order.see(m)
		l.mark(m, fateReceived)
	}
	cancel(errStop)
	waitOrFail(t, wg, "senders after cancel")
	if n := drain(mb, func(m any) { order.see(m); l.mark(m, fateReceived) }); n > capacity {
		t.Errorf("drained %d messages after cancelling, more than the capacity %d", n, capacity)
	}
	if order.err != nil {
		t.Error(order.err)
	}
	if n := badErr.Load(); n != 0 {
		t.Errorf("%d posts failed with an error not wrapping the cause", n)
	}
	c := l.counts(t)
	allowOnly(t, c, fateReceived, fateReturned)
	st := mb.Stats()
	if st.Posted != uint64(c[fateReceived]) || st.Lost() != 0 || c[fateReceived] < before {
		t.Errorf("posted %d, received %d, lost %d", st.Posted, c[fateReceived], st.Lost())
	}
	// After the cancel nothing receives, so at most capacity more fit.
	if c[fateReturned] < producers*perProd-before-capacity {
		t.Errorf("only %d posts returned the cause", c[fateReturned])
	}
}
