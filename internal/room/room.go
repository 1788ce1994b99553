// Package room lets the senders of a bounded queue wait for room without
// a lock: the queue's consumer says when it has made some (Made), and a
// waiting sender checks the queue again. Both the mailbox's batch
// accounting and a link's queue use it.
package room

import (
	"context"
	"sync/atomic"
)

// A Room is where senders wait for room in one queue. The zero Room is
// ready to use.
type Room struct {
	waiting atomic.Int32
	ch      atomic.Pointer[chan struct{}]
}

// Wait returns nil as soon as full reports false, or when room is made
// after Wait has checked full; ctx's cause if ctx ends first (ctx may be
// nil: no end). The channel that Made closes is taken before full is
// checked, and replaced before it is closed: a wait never misses the room
// made after its check. A caller loops: room made may be taken by another
// sender first.
func (r *Room) Wait(ctx context.Context, full func() bool) error {
	r.waiting.Add(1)
	defer r.waiting.Add(-1)
	ch := r.ch.Load()
	if ch == nil {
		fresh := make(chan struct{})
		if !r.ch.CompareAndSwap(nil, &fresh) {
			ch = r.ch.Load()
		} else {
			ch = &fresh
		}
	}
	if !full() {
		return nil
	}
	if ctx == nil {
		<-*ch
		return nil
	}
	select {
	case <-*ch:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// Made wakes the senders waiting for room, if any.
func (r *Room) Made() {
	if r.waiting.Load() == 0 {
		return
	}
	fresh := make(chan struct{})
	if old := r.ch.Swap(&fresh); old != nil {
		close(*old)
	}
}

// Waiting reports how many senders wait.
func (r *Room) Waiting() int { return int(r.waiting.Load()) }
