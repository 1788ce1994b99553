package room

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

// TestRoom: a sender waits while the queue is full, wakes when room is
// made, and gives up when its context ends.
func TestRoom(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r Room
		var full atomic.Bool
		full.Store(true)
		isFull := func() bool { return full.Load() }
		if err := r.Wait(context.Background(), func() bool { return false }); err != nil {
			t.Fatalf("wait with room: %v", err)
		}
		done := make(chan error, 1)
		go func() { done <- r.Wait(context.Background(), isFull) }()
		synctest.Wait()
		if r.Waiting() != 1 {
			t.Fatalf("%d waiting, want 1", r.Waiting())
		}
		full.Store(false)
		r.Made()
		if err := <-done; err != nil {
			t.Fatalf("wait: %v", err)
		}
		full.Store(true)
		ctx, cancel := context.WithCancelCause(context.Background())
		errGone := errors.New("gone")
		go func() { done <- r.Wait(ctx, isFull) }()
		synctest.Wait()
		cancel(errGone)
		if err := <-done; !errors.Is(err, errGone) {
			t.Fatalf("wait after the context ended: %v, want its cause", err)
		}
		r.Made() // nobody waits: nothing to do
	})
}
