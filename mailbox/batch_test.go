package mailbox

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
)

type dropLog struct {
	msgs    []any
	reasons []DropReason
}

func (d *dropLog) onDrop(msg any, reason DropReason) {
	d.msgs, d.reasons = append(d.msgs, msg), append(d.reasons, reason)
}

// takeAll receives every queued value, unbatching batches.
func takeAll(mb *Mailbox) []any {
	var got []any
	for {
		select {
		case v := <-mb.C():
			if b, ok := v.(*Batch); ok {
				got = append(got, mb.Unbatch(b)...)
			} else {
				got = append(got, v)
			}
		default:
			return got
		}
	}
}

func TestPostBatch(t *testing.T) {
	mb := New(WithCapacity(10))
	if !mb.PostBatch([]any{1, 2, 3, 4}) {
		t.Fatal("PostBatch refused four messages into an empty mailbox of ten")
	}
	if err := mb.Post(context.Background(), 5); err != nil {
		t.Fatal(err)
	}
	if st := mb.Stats(); mb.Len() != 5 || st.Depth != 5 || st.Posted != 5 || st.MaxDepth != 5 {
		t.Fatalf("Len %d, stats %+v; want 5 queued, 5 posted", mb.Len(), st)
	}
	v := <-mb.C()
	b, ok := v.(*Batch)
	if !ok {
		t.Fatalf("first value %v, want the batch", v)
	}
	if msgs := mb.Unbatch(b); len(msgs) != 4 || msgs[0] != 1 || msgs[3] != 4 {
		t.Fatalf("batch held %v, want [1 2 3 4]", msgs)
	}
	if mb.Len() != 1 {
		t.Fatalf("Len %d after taking the batch, want 1", mb.Len())
	}
	if got := takeAll(mb); len(got) != 1 || got[0] != 5 {
		t.Fatalf("then %v, want [5]", got)
	}
	if st := mb.Stats(); st.Received != 5 || st.Depth != 0 {
		t.Fatalf("stats %+v, want 5 received", st)
	}
}

// TestPostBatchNoRoom: a batch that does not fit whole, or a closed
// mailbox, posts nothing.
func TestPostBatchNoRoom(t *testing.T) {
	mb := New(WithCapacity(5))
	for i := range 3 {
		_ = mb.Post(context.Background(), i)
	}
	if mb.PostBatch([]any{3, 4, 5}) {
		t.Fatal("PostBatch posted three messages where two fit")
	}
	if !mb.PostBatch([]any{3, 4}) {
		t.Fatal("PostBatch refused two messages where two fit")
	}
	if got := takeAll(mb); len(got) != 5 {
		t.Fatalf("took %v, want five messages", got)
	}
	mb.Close()
	if mb.PostBatch([]any{1, 2}) {
		t.Fatal("PostBatch posted into a closed mailbox")
	}
}

// TestBatchCountsAgainstMark: while a batch is queued, single posts meet
// the policy when the messages, not the channel's values, reach the mark.
func TestBatchCountsAgainstMark(t *testing.T) {
	ctx := context.Background()
	t.Run("Fail", func(t *testing.T) {
		mb := New(WithCapacity(5), WithPolicy(Fail))
		mb.PostBatch([]any{1, 2, 3, 4})
		if err := mb.Post(ctx, 5); err != nil {
			t.Fatal(err)
		}
		if err := mb.Post(ctx, 6); !errors.Is(err, ErrFull) {
			t.Fatalf("post over the mark: %v, want ErrFull", err)
		}
		if st := mb.Stats(); st.Rejected != 1 || st.Depth != 5 {
			t.Fatalf("stats %+v, want 1 rejected, depth 5", st)
		}
	})
	t.Run("DropNewest", func(t *testing.T) {
		var log dropLog
		mb := New(WithCapacity(5), WithPolicy(DropNewest), WithDropHandler(log.onDrop))
		mb.PostBatch([]any{1, 2, 3, 4, 5})
		_ = mb.Post(ctx, 6)
		if len(log.msgs) != 1 || log.msgs[0] != 6 || mb.Stats().Dropped != 1 {
			t.Fatalf("dropped %v (stats %+v), want [6]", log.msgs, mb.Stats())
		}
	})
	t.Run("DropOldest", func(t *testing.T) {
		var log dropLog
		mb := New(WithCapacity(5), WithPolicy(DropOldest), WithDropHandler(log.onDrop))
		mb.PostBatch([]any{1, 2, 3, 4, 5})
		_ = mb.Post(ctx, 6)
		if len(log.msgs) != 5 || log.msgs[0] != 1 || log.reasons[4] != DroppedOldest || mb.Stats().Evicted != 5 {
			t.Fatalf("evicted %v (stats %+v), want the batch, each message", log.msgs, mb.Stats())
		}
		if got := takeAll(mb); len(got) != 1 || got[0] != 6 {
			t.Fatalf("kept %v, want [6]", got)
		}
	})
}

// TestBatchBlock: a Block sender over the mark while a batch is queued
// waits until the owner takes the batch, or until its context ends.
func TestBatchBlock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mb := New(WithCapacity(4))
		mb.PostBatch([]any{1, 2, 3})
		_ = mb.Post(context.Background(), 4)
		short, cancel := context.WithCancel(context.Background())
		cancel()
		if err := mb.Post(short, 0); !errors.Is(err, ErrFull) {
			t.Fatalf("post with an ended context: %v, want ErrFull", err)
		}
		posted := make(chan error, 1)
		go func() { posted <- mb.Post(context.Background(), 5) }()
		synctest.Wait()
		select {
		case err := <-posted:
			t.Fatalf("post over the mark returned %v before the owner took anything", err)
		default:
		}
		b := (<-mb.C()).(*Batch)
		mb.Unbatch(b)
		if err := <-posted; err != nil {
			t.Fatalf("waiting post: %v", err)
		}
		if got := takeAll(mb); len(got) != 2 || got[0] != 4 || got[1] != 5 {
			t.Fatalf("then %v, want [4 5]", got)
		}
	})
}

// TestBatchClose: Close hands each message of a queued batch to the drop
// handler, and wakes a waiting sender.
func TestBatchClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var log dropLog
		mb := New(WithCapacity(3), WithDropHandler(log.onDrop))
		mb.PostBatch([]any{1, 2, 3})
		posted := make(chan error, 1)
		go func() { posted <- mb.Post(context.Background(), 4) }()
		synctest.Wait()
		mb.Close()
		if err := <-posted; !errors.Is(err, ErrClosed) {
			t.Fatalf("waiting post after Close: %v, want ErrClosed", err)
		}
		if st := mb.Stats(); len(log.msgs) != 3 || log.reasons[0] != DroppedClosed || st.Flushed != 3 || st.Depth != 0 {
			t.Fatalf("flushed %v (stats %+v), want each of the batch's three", log.msgs, st)
		}
	})
}
