package net

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/troupe-go/troupe/internal/room"
	"github.com/troupe-go/troupe/mailbox"
)

// An outQueue holds the SENDs queued on a link until its goroutine writes
// them: many senders, one consumer. It is bounded by the link's
// high-water mark and applies the same overflow policies as a mailbox,
// but it is not a channel: a sender takes a ticket (one compare-and-swap)
// and stores its SEND in the ticket's slot of a ring, and the consumer
// reads the slots in ticket order. Neither side takes a lock, and the
// two share a cache line of the ring only every eight SENDs. (A channel
// cost both a lock per message, in contention a fifth of the sending
// node's CPU in W5. A lock-free stack, taken whole by the consumer, cost
// it a chain of dependent cache misses, one per SEND, since each was
// written on another CPU; the slots of the ring are read in order, and
// their SENDs' misses overlap.)
//
// A ticket is also the SEND's place in the count of queued SENDs: a
// sender takes one (a compare-and-swap of tail) only while tail − finished
// is under the limit, and the consumer counts tickets finished once per
// batch, after it has emptied their slots. A ring of limit slots or more
// (see init) is then never written ahead of the consumer: when a sender
// takes ticket t, the tickets before t − limit + 1 are finished, so the
// slot of ticket t − len(slots) was emptied before.
//
// Under DropOldest the consumer evicts: a sender over the mark pushes
// anyway and leaves the consumer a debt of one eviction; while the
// consumer cannot pay (its link is down and pausing, or a write blocks),
// senders over twice the mark drop their own message instead, so the
// queue stays bounded by twice the mark.
type outQueue struct {
	tail     atomic.Uint64 // the next ticket
	_        [56]byte      // keeps tail, which only senders write, off the consumer's lines
	finished atomic.Uint64 // tickets written or evicted: those before it
	evict    atomic.Int64  // DropOldest: old SENDs the consumer owes an eviction
	sleeping atomic.Bool   // the consumer waits for a push: wake it
	room     room.Room     // Block: senders wait here for room
	closed   atomic.Bool
	closedAt atomic.Uint64 // the consumer's next ticket when it closed the queue
	free     outFree       // written outMsgs, back to the senders

	slots    []atomic.Pointer[outMsg] // the ring: a SEND by ticket, or nil
	mask     uint64                   // len(slots) − 1
	capacity int64
	policy   mailbox.Policy
	wake     func()                                  // wakes the consumer
	onDrop   func(o *outMsg, why mailbox.DropReason) // told of every discarded SEND

	// Owned by the consumer.
	head uint64 // the ticket of the next SEND to pop
}

func (q *outQueue) init(capacity int, policy mailbox.Policy, wake func(), onDrop func(*outMsg, mailbox.DropReason)) {
	q.capacity, q.policy, q.wake, q.onDrop = int64(capacity), policy, wake, onDrop
	limit := capacity
	if policy == mailbox.DropOldest {
		limit = 2 * capacity
	}
	size := ringSize(limit) // at least limit: see outQueue
	q.slots, q.mask = make([]atomic.Pointer[outMsg], size), uint64(size-1)
}

// ringSize is the size of a ring of slots for n entries: a power of two,
// so that a ticket's slot is its low bits, and at least 8.
func ringSize(n int) int {
	size := 8
	for size < n {
		size *= 2
	}
	return size
}

// Len returns the number of queued SENDs: pushed and neither written nor
// discarded.
func (q *outQueue) Len() int { return int(q.queued()) }

// queued is Len. finished is read first: it never passes tail.
func (q *outQueue) queued() int64 {
	f := q.finished.Load()
	return int64(q.tail.Load() - f)
}

// Capacity returns the high-water mark.
func (q *outQueue) Capacity() int { return int(q.capacity) }

// Policy returns the overflow policy.
func (q *outQueue) Policy() mailbox.Policy { return q.policy }

// Post queues o, applying the policy when the queue is full. Its results
// are those of mailbox.Mailbox.Post: nil when o was queued or discarded
// by a drop policy (then counted and handed to onDrop), mailbox.ErrFull
// under Fail or when ctx ends first under Block, mailbox.ErrClosed after
// Close.
func (q *outQueue) Post(ctx context.Context, o *outMsg) error {
	if q.closed.Load() {
		return mailbox.ErrClosed
	}
	t, ok, err := q.reserve(ctx, o)
	if !ok {
		return err
	}
	q.store(t, o)
	return nil
}

// reserve takes a ticket for o, or applies the policy. It reports whether
// o is to be stored, in the slot of the ticket it returns.
func (q *outQueue) reserve(ctx context.Context, o *outMsg) (uint64, bool, error) {
	for {
		f := q.finished.Load()
		t := q.tail.Load()
		n := int64(t - f) // f, read first, is at most t
		switch {
		case q.closed.Load():
			return 0, false, mailbox.ErrClosed
		case n < q.capacity:
			if q.tail.CompareAndSwap(t, t+1) {
				return t, true, nil
			}
		case q.policy == mailbox.DropNewest || q.policy == mailbox.DropOldest && n >= 2*q.capacity:
			q.onDrop(o, mailbox.DroppedNewest)
			return 0, false, nil
		case q.policy == mailbox.DropOldest:
			if q.tail.CompareAndSwap(t, t+1) {
				q.evict.Add(1)
				q.wake()
				return t, true, nil
			}
		case q.policy == mailbox.Fail:
			return 0, false, mailbox.ErrFull
		default:
			if err := q.awaitRoom(ctx); err != nil {
				return 0, false, err
			}
		}
	}
}

// awaitRoom waits until the consumer makes room (or the queue closes, or
// ctx ends).
func (q *outQueue) awaitRoom(ctx context.Context) error {
	full := func() bool { return q.queued() >= q.capacity && !q.closed.Load() }
	if err := q.room.Wait(ctx, full); err != nil {
		return fmt.Errorf("%w, gave up waiting: %w", mailbox.ErrFull, err)
	}
	return nil
}

// store stores o in the slot of ticket t and wakes the consumer if it
// sleeps. If the queue was closed meanwhile, nobody else may take o: it
// is discarded, with whatever else the queue still holds.
func (q *outQueue) store(t uint64, o *outMsg) {
	q.slots[t&q.mask].Store(o)
	if q.sleeping.Load() {
		q.wake()
	}
	if q.closed.Load() {
		q.flushClosed()
	}
}

// Close marks the queue closed and discards what it holds (DroppedClosed).
// It is called by the consumer, once it is done.
func (q *outQueue) Close() {
	q.closedAt.Store(q.head)
	q.closed.Store(true)
	q.makeRoom() // Block waiters see the close
	q.flushClosed()
}

// flushClosed discards what the queue holds once closed, oldest first.
// Whoever calls it takes each SEND it discards from its slot, so Close
// and the senders that push after it (see Post) may call it at once: a
// sender that has taken a ticket stores its SEND after Close has passed
// its slot, finds the queue closed and discards it.
func (q *outQueue) flushClosed() {
	from := q.closedAt.Load()
	for i := range uint64(len(q.slots)) {
		if o := q.slots[(from+i)&q.mask].Swap(nil); o != nil {
			q.onDrop(o, mailbox.DroppedClosed)
		}
	}
}

// The consumer's side.

// pop returns the oldest queued SEND, or nil. It pays the evictions owed
// first. The SENDs it returns stay counted until done.
func (q *outQueue) pop() *outMsg {
	if q.evict.Load() > 0 {
		q.payEvictions()
	}
	return q.unlink()
}

// peek returns the SEND that pop would return, and leaves it queued.
func (q *outQueue) peek() *outMsg {
	if q.evict.Load() > 0 {
		q.payEvictions()
	}
	return q.slots[q.head&q.mask].Load()
}

// popSoon is pop, but when the queue is empty it looks again a few
// hundred times (a microsecond or so) before it gives up. A writer that
// has caught up with a stream of SENDs from another CPU then mostly finds
// the next one and goes on with its batch, instead of ending it: W5 wrote
// a third as many batches, on 5 % less CPU. A writer alone on its CPU
// (GOMAXPROCS=1) loses the microsecond once per emptied queue.
func (q *outQueue) popSoon() *outMsg {
	for range popSpins {
		if o := q.pop(); o != nil {
			return o
		}
	}
	return nil
}

// popSpins is how many times popSoon looks.
const popSpins = 256

// unlink empties the slot of the next ticket and returns its SEND, or nil
// if its sender has not stored it yet.
func (q *outQueue) unlink() *outMsg {
	slot := &q.slots[q.head&q.mask]
	o := slot.Load()
	if o == nil {
		return nil
	}
	slot.Store(nil)
	q.head++
	return o
}

// payEvictions discards the oldest SENDs that DropOldest senders queued
// over the mark.
func (q *outQueue) payEvictions() {
	for n := q.evict.Load(); n > 0; n-- {
		o := q.unlink()
		if o == nil {
			return
		}
		q.evict.Add(-1)
		q.done(1)
		q.onDrop(o, mailbox.DroppedOldest)
	}
}

// evictDue pays the evictions owed, for a consumer that is not writing
// (its link is down).
func (q *outQueue) evictDue() {
	if q.evict.Load() > 0 {
		q.payEvictions()
	}
}

// done counts the n SENDs taken by pop and written (or evicted) finished,
// which makes room for as many.
func (q *outQueue) done(n int) {
	if n > 0 {
		q.finished.Add(uint64(n))
		q.makeRoom()
	}
}

// makeRoom wakes the senders waiting for room, if any.
func (q *outQueue) makeRoom() { q.room.Made() }

// sleep tells senders that the consumer is about to wait for them. It
// reports false (and stays awake) if a SEND came meanwhile: the caller
// must then take it, not wait, since its sender may have missed the
// flag. The flag is set before the next ticket's slot is checked, and a
// sender checks it after its store: a push either is seen here or wakes
// the consumer. (A sender that has taken the next ticket but not stored
// yet holds the consumer up until it does, and then wakes it.)
func (q *outQueue) sleep() bool {
	q.sleeping.Store(true)
	if q.slots[q.head&q.mask].Load() != nil {
		q.sleeping.Store(false)
		return false
	}
	return true
}

// awake ends a sleep.
func (q *outQueue) awake() { q.sleeping.Store(false) }
