package net

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/troupe-go/troupe/mailbox"
)

// An outQueue holds the SENDs queued on a link until its goroutine writes
// them: many senders, one consumer. It is bounded by the link's
// high-water mark and applies the same overflow policies as a mailbox,
// but it is not a channel: a sender pushes onto a lock-free stack (one
// compare-and-swap, no lock shared with the consumer), and the consumer
// takes the whole stack at once, oldest first. A stream of sends to one
// node then costs each side no lock and no cache-line exchange per
// message, only per batch (a channel cost both, in contention, a fifth of
// the sending node's CPU in W5).
//
// The count of queued SENDs is reserved before the push and given back
// by the consumer once per batch. Under DropOldest the consumer evicts:
// a sender over the mark pushes anyway and leaves the consumer a debt of
// one eviction; while the consumer cannot pay (its link is down and
// pausing, or a write blocks), senders over twice the mark drop their own
// message instead, so the queue stays bounded.
type outQueue struct {
	top      atomic.Pointer[outMsg] // pushed SENDs, newest first
	free     outFree                // written outMsgs, back to the senders
	queued   atomic.Int64           // pushed and neither taken by a write nor discarded
	evict    atomic.Int64           // DropOldest: old SENDs the consumer owes an eviction
	sleeping atomic.Bool            // the consumer waits for a push: wake it
	waiting  atomic.Int32           // Block: senders waiting for room
	room     atomic.Pointer[chan struct{}]
	closed   atomic.Bool

	capacity int64
	policy   mailbox.Policy
	wake     func()                                  // wakes the consumer
	onDrop   func(o *outMsg, why mailbox.DropReason) // told of every discarded SEND

	// Owned by the consumer.
	fifo, last *outMsg // taken from top, oldest first
}

func (q *outQueue) init(capacity int, policy mailbox.Policy, wake func(), onDrop func(*outMsg, mailbox.DropReason)) {
	q.capacity, q.policy, q.wake, q.onDrop = int64(capacity), policy, wake, onDrop
	room := make(chan struct{})
	q.room.Store(&room)
}

// Len returns the number of queued SENDs.
func (q *outQueue) Len() int { return int(q.queued.Load()) }

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
	if queued, err := q.reserve(ctx, o); !queued {
		return err
	}
	q.push(o)
	if q.closed.Load() { // raced with Close: nobody else will take it
		q.flushClosed()
	}
	return nil
}

// reserve counts o in, or applies the policy. It reports whether o is to
// be pushed.
func (q *outQueue) reserve(ctx context.Context, o *outMsg) (bool, error) {
	for {
		n := q.queued.Load()
		switch {
		case q.closed.Load():
			return false, mailbox.ErrClosed
		case n < q.capacity:
			if q.queued.CompareAndSwap(n, n+1) {
				return true, nil
			}
		case q.policy == mailbox.DropNewest || q.policy == mailbox.DropOldest && n >= 2*q.capacity:
			q.onDrop(o, mailbox.DroppedNewest)
			return false, nil
		case q.policy == mailbox.DropOldest:
			if q.queued.CompareAndSwap(n, n+1) {
				q.evict.Add(1)
				q.wake()
				return true, nil
			}
		case q.policy == mailbox.Fail:
			return false, mailbox.ErrFull
		default:
			if err := q.awaitRoom(ctx); err != nil {
				return false, err
			}
		}
	}
}

// awaitRoom waits until the consumer makes room (or the queue closes, or
// ctx ends). The room channel is loaded before the count is checked
// again, and the consumer replaces it after giving count back: a wait
// never misses the room it waits for.
func (q *outQueue) awaitRoom(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	q.waiting.Add(1)
	defer q.waiting.Add(-1)
	room := q.room.Load()
	if q.queued.Load() < q.capacity || q.closed.Load() {
		return nil
	}
	select {
	case <-*room:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w, gave up waiting: %w", mailbox.ErrFull, context.Cause(ctx))
	}
}

func (q *outQueue) push(o *outMsg) {
	for {
		top := q.top.Load()
		o.next = top
		if q.top.CompareAndSwap(top, o) {
			break
		}
	}
	if q.sleeping.Load() {
		q.wake()
	}
}

// Close marks the queue closed and discards what it holds (DroppedClosed).
// It is called by the consumer, once it is done.
func (q *outQueue) Close() {
	q.closed.Store(true)
	q.makeRoom() // Block waiters see the close
	for o := q.pop(); o != nil; o = q.pop() {
		q.onDrop(o, mailbox.DroppedClosed)
	}
	q.flushClosed()
}

// flushClosed discards what was pushed after Close.
func (q *outQueue) flushClosed() {
	for o := q.top.Swap(nil); o != nil; {
		next := o.next
		o.next = nil
		q.onDrop(o, mailbox.DroppedClosed)
		o = next
	}
}

// The consumer's side.

// pop returns the oldest queued SEND, or nil. It pays the evictions owed
// first. The SENDs it returns stay counted until done.
func (q *outQueue) pop() *outMsg {
	if q.fifo == nil {
		q.take()
	}
	if q.evict.Load() > 0 {
		q.payEvictions()
	}
	return q.unlink()
}

// unlink removes and returns the head of the FIFO, or nil.
func (q *outQueue) unlink() *outMsg {
	o := q.fifo
	if o == nil {
		return nil
	}
	q.fifo, o.next = o.next, nil
	if q.fifo == nil {
		q.last = nil
	}
	return o
}

// take moves what was pushed to the end of the FIFO, oldest first.
func (q *outQueue) take() {
	var first, last *outMsg
	for o := q.top.Swap(nil); o != nil; {
		next := o.next
		o.next = first
		if first == nil {
			last = o
		}
		first = o
		o = next
	}
	if first == nil {
		return
	}
	if q.last == nil {
		q.fifo = first
	} else {
		q.last.next = first
	}
	q.last = last
}

// payEvictions discards the oldest SENDs that DropOldest senders queued
// over the mark.
func (q *outQueue) payEvictions() {
	for n := q.evict.Load(); n > 0; n-- {
		if q.fifo == nil {
			q.take()
		}
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
		q.take()
		q.payEvictions()
	}
}

// done gives back the count of n SENDs taken by pop and written.
func (q *outQueue) done(n int) {
	if n > 0 {
		q.queued.Add(-int64(n))
		q.makeRoom()
	}
}

// makeRoom wakes the senders waiting for room, if any.
func (q *outQueue) makeRoom() {
	if q.waiting.Load() == 0 {
		return
	}
	room := make(chan struct{})
	close(*q.room.Swap(&room))
}

// sleep tells senders that the consumer is about to wait for them. It
// reports false (and stays awake) if a SEND came meanwhile: the caller
// must then take it, not wait, since its sender may have missed the
// flag. The flag is
// set before the stack is checked, and a sender checks it after its
// push: a push either is seen here or wakes the consumer.
func (q *outQueue) sleep() bool {
	q.sleeping.Store(true)
	if q.fifo != nil || q.top.Load() != nil {
		q.sleeping.Store(false)
		return false
	}
	return true
}

// awake ends a sleep.
func (q *outQueue) awake() { q.sleeping.Store(false) }
