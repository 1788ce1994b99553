package net

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/troupe-go/troupe/mailbox"
)

// testQueue is an outQueue whose wake-ups and drops are recorded.
type testQueue struct {
	outQueue
	wakes   atomic.Int64
	dropped chan droppedSend
}

type droppedSend struct {
	seq int64
	why mailbox.DropReason
}

func newTestQueue(capacity int, policy mailbox.Policy) *testQueue {
	q := &testQueue{dropped: make(chan droppedSend, 1024)}
	q.init(capacity, policy, func() { q.wakes.Add(1) }, func(o *outMsg, why mailbox.DropReason) {
		q.dropped <- droppedSend{seq: o.msg.(int64), why: why}
	})
	return q
}

func send(seq int64) *outMsg { return &outMsg{msg: seq} }

// popAll takes everything queued, in order, and gives the count back.
func (q *testQueue) popAll() []int64 {
	var got []int64
	for o := q.pop(); o != nil; o = q.pop() {
		got = append(got, o.msg.(int64))
	}
	q.done(len(got))
	return got
}

func TestOutQueueFIFO(t *testing.T) {
	q := newTestQueue(100, mailbox.Block)
	for i := range int64(10) {
		if err := q.Post(context.Background(), send(i)); err != nil {
			t.Fatal(err)
		}
	}
	first := q.pop() // takes the stack; later pushes go after what it took
	for i := int64(10); i < 15; i++ {
		_ = q.Post(context.Background(), send(i))
	}
	got := append([]int64{first.msg.(int64)}, q.popAll()...)
	for i, v := range got {
		if v != int64(i) {
			t.Fatalf("popped %v, want 0…14 in order", got)
		}
	}
	if q.Len() != 1 { // first was popped but not given back
		t.Fatalf("Len = %d after done for all but one, want 1", q.Len())
	}
}

func TestOutQueuePolicies(t *testing.T) {
	ctx := context.Background()
	t.Run("Fail", func(t *testing.T) {
		q := newTestQueue(2, mailbox.Fail)
		for i := range int64(2) {
			if err := q.Post(ctx, send(i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := q.Post(ctx, send(2)); !errors.Is(err, mailbox.ErrFull) {
			t.Fatalf("post to a full queue: %v, want ErrFull", err)
		}
	})
	t.Run("DropNewest", func(t *testing.T) {
		q := newTestQueue(2, mailbox.DropNewest)
		for i := range int64(3) {
			if err := q.Post(ctx, send(i)); err != nil {
				t.Fatal(err)
			}
		}
		if d := <-q.dropped; d != (droppedSend{2, mailbox.DroppedNewest}) {
			t.Fatalf("dropped %+v, want the newest (2)", d)
		}
		if got := q.popAll(); len(got) != 2 || got[0] != 0 || got[1] != 1 {
			t.Fatalf("kept %v, want [0 1]", got)
		}
	})
	t.Run("DropOldest", func(t *testing.T) {
		q := newTestQueue(2, mailbox.DropOldest)
		for i := range int64(4) {
			if err := q.Post(ctx, send(i)); err != nil {
				t.Fatal(err)
			}
		}
		if q.wakes.Load() == 0 {
			t.Fatal("an eviction owed did not wake the consumer")
		}
		q.evictDue()
		for _, want := range []int64{0, 1} {
			if d := <-q.dropped; d != (droppedSend{want, mailbox.DroppedOldest}) {
				t.Fatalf("evicted %+v, want the oldest (%d)", d, want)
			}
		}
		if got := q.popAll(); len(got) != 2 || got[0] != 2 || got[1] != 3 {
			t.Fatalf("kept %v, want [2 3]", got)
		}
	})
	t.Run("DropOldestBounded", func(t *testing.T) {
		q := newTestQueue(2, mailbox.DropOldest)
		for i := range int64(5) { // the consumer never runs: at twice the mark, the newest go
			_ = q.Post(ctx, send(i))
		}
		if q.Len() != 4 {
			t.Fatalf("Len = %d with the consumer away, want 4 (twice the mark)", q.Len())
		}
		if d := <-q.dropped; d != (droppedSend{4, mailbox.DroppedNewest}) {
			t.Fatalf("dropped %+v, want the newest (4)", d)
		}
	})
}

// TestOutQueueBlock: a sender over the mark waits until the consumer
// gives room back, or until its context ends.
func TestOutQueueBlock(t *testing.T) {
	synctest.Test(t, testOutQueueBlock)
}

func testOutQueueBlock(t *testing.T) {
	q := newTestQueue(1, mailbox.Block)
	_ = q.Post(context.Background(), send(0))
	short, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := q.Post(short, send(1)); !errors.Is(err, mailbox.ErrFull) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("post to a full queue: %v, want ErrFull after the deadline", err)
	}
	posted := make(chan error, 1)
	go func() { posted <- q.Post(context.Background(), send(2)) }()
	synctest.Wait() // the sender waits for room
	if q.room.Waiting() != 1 {
		t.Fatalf("%d senders wait for room, want 1", q.room.Waiting())
	}
	if got := q.popAll(); len(got) != 1 || got[0] != 0 {
		t.Fatalf("popped %v, want [0]", got)
	}
	if err := <-posted; err != nil {
		t.Fatalf("waiting post: %v", err)
	}
	if got := q.popAll(); len(got) != 1 || got[0] != 2 {
		t.Fatalf("popped %v, want [2]", got)
	}
}

// TestOutQueueClose: Close hands everything queued to the drop handler
// and wakes blocked senders, which then fail with ErrClosed.
func TestOutQueueClose(t *testing.T) {
	synctest.Test(t, testOutQueueClose)
}

func testOutQueueClose(t *testing.T) {
	q := newTestQueue(2, mailbox.Block)
	_ = q.Post(context.Background(), send(0))
	_ = q.Post(context.Background(), send(1))
	posted := make(chan error, 1)
	go func() { posted <- q.Post(context.Background(), send(2)) }()
	synctest.Wait() // the sender waits for room
	q.Close()
	if err := <-posted; !errors.Is(err, mailbox.ErrClosed) {
		t.Fatalf("blocked post after Close: %v, want ErrClosed", err)
	}
	for _, want := range []int64{0, 1} {
		if d := <-q.dropped; d != (droppedSend{want, mailbox.DroppedClosed}) {
			t.Fatalf("dropped %+v, want %d with DroppedClosed", d, want)
		}
	}
	if err := q.Post(context.Background(), send(3)); !errors.Is(err, mailbox.ErrClosed) {
		t.Fatalf("post after Close: %v, want ErrClosed", err)
	}
}

// TestOutQueueConcurrent: many senders, one consumer that sleeps when the
// queue is empty; every SEND arrives once, in each sender's order.
func TestOutQueueConcurrent(t *testing.T) {
	const senders, each = 8, 5000
	wake := make(chan struct{}, 1)
	var q outQueue
	q.init(64, mailbox.Block, func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}, func(o *outMsg, why mailbox.DropReason) { t.Errorf("dropped %v: %v", o.msg, why) })
	wg := postFrom(&q, senders, each, func(s, i int, err error) bool {
		if err != nil {
			t.Errorf("post: %v", err)
		}
		return err == nil
	})
	next := make([]int, senders)
	deadline := time.After(30 * time.Second)
	for got := 0; got < senders*each; {
		o := q.pop()
		if o == nil {
			if q.sleep() {
				select {
				case <-wake:
				case <-deadline:
					t.Fatalf("stuck after %d of %d", got, senders*each)
				}
			}
			q.awake()
			continue
		}
		v := o.msg.([2]int)
		if v[1] != next[v[0]] {
			t.Fatalf("sender %d: got %d, want %d", v[0], v[1], next[v[0]])
		}
		next[v[0]]++
		got++
		q.done(1)
	}
	wg.Wait()
	if q.Len() != 0 {
		t.Fatalf("Len = %d at the end, want 0", q.Len())
	}
}

// TestOutQueueCloseRace: senders keep posting while the consumer pops a
// while, then closes. Every SEND a Post accepted is popped or dropped as
// DroppedClosed, once, and every Post after the close fails.
func TestOutQueueCloseRace(t *testing.T) {
	const senders, each = 4, 20_000
	drops := make(chan [2]int, senders*each)
	var q outQueue
	q.init(1024, mailbox.Block, func() {}, func(o *outMsg, why mailbox.DropReason) {
		if why != mailbox.DroppedClosed {
			t.Errorf("dropped %v: %v, want DroppedClosed", o.msg, why)
		}
		drops <- o.msg.([2]int)
	})
	accepted := make(chan [2]int, senders*each)
	wg := postFrom(&q, senders, each, func(s, i int, err error) bool {
		switch {
		case errors.Is(err, mailbox.ErrClosed):
			return false
		case err != nil:
			t.Errorf("post: %v", err)
			return false
		}
		accepted <- [2]int{s, i}
		return true
	})
	seen := map[[2]int]int{}
	for popped := 0; popped < 2000; {
		if o := q.pop(); o != nil {
			seen[o.msg.([2]int)]++
			popped++
			q.done(1)
		}
	}
	q.Close()
	wg.Wait()
	close(drops)
	close(accepted)
	for d := range drops {
		seen[d]++
	}
	n := 0
	for a := range accepted {
		n++
		if seen[a] != 1 {
			t.Fatalf("SEND %v accepted, then popped or dropped %d times, want once", a, seen[a])
		}
	}
	if n != len(seen) {
		t.Fatalf("%d SENDs popped or dropped, %d accepted", len(seen), n)
	}
}

// TestOutQueueLateSender: a sender that has its ticket when the consumer
// looks or closes. A ticket whose SEND is not
// stored yet holds the consumer up (it sleeps, and the store wakes it),
// and the SENDs behind it keep their order; a SEND stored after Close is
// discarded, not left in the ring.
func TestOutQueueLateSender(t *testing.T) {
	ctx := context.Background()
	q := newTestQueue(4, mailbox.Block)
	late, ok, err := q.reserve(ctx, send(0)) // sender 0 has its ticket, and is slow to store
	if !ok || err != nil {
		t.Fatalf("reserve: %v, %v", ok, err)
	}
	_ = q.Post(ctx, send(1))
	if o := q.pop(); o != nil {
		t.Fatalf("popped %v past a ticket not stored yet", o.msg)
	}
	if !q.sleep() {
		t.Fatal("the consumer did not sleep before a ticket not stored yet")
	}
	wakes := q.wakes.Load()
	q.store(late, send(0))
	if q.wakes.Load() == wakes {
		t.Fatal("the late store did not wake the sleeping consumer")
	}
	q.awake()
	if got := q.popAll(); len(got) != 2 || got[0] != 0 || got[1] != 1 {
		t.Fatalf("popped %v, want [0 1]", got)
	}

	ticket, ok, err := q.reserve(ctx, send(2)) // taken before the close
	if !ok || err != nil {
		t.Fatalf("reserve: %v, %v", ok, err)
	}
	_ = q.Post(ctx, send(3))
	q.Close()
	if d := <-q.dropped; d != (droppedSend{3, mailbox.DroppedClosed}) {
		t.Fatalf("dropped %+v at Close, want 3", d)
	}
	q.store(ticket, send(2))
	select {
	case d := <-q.dropped:
		if d != (droppedSend{2, mailbox.DroppedClosed}) {
			t.Fatalf("dropped %+v after Close, want 2", d)
		}
	default:
		t.Fatal("a SEND pushed after Close stayed in the queue")
	}
}

// postFrom starts senders goroutines that each post SENDs [2]int{s, i}
// for i up to each, telling posted of each result; a sender stops when
// posted returns false.
func postFrom(q *outQueue, senders, each int, posted func(s, i int, err error) bool) *sync.WaitGroup {
	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if !posted(s, i, q.Post(context.Background(), &outMsg{msg: [2]int{s, i}})) {
					return
				}
			}
		}()
	}
	return &wg
}
