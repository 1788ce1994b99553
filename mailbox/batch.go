package mailbox

import (
	"context"
	"fmt"
)

// A Batch is several user messages posted as one value of the user lane
// (see PostBatch): a transport that reads a run of messages for one actor
// off a connection hands them over with one channel operation instead of
// one each, and the owner takes them with one. An owner that receives a
// *Batch from C takes its messages with Unbatch and handles them in
// order, as if it had received each; only owners that do may be sent
// batches (an actor's own code that selects on C is sent messages one by
// one).
type Batch struct{ msgs []any }

// PostBatch posts msgs, in order, as one value of the user lane if the
// mailbox is open and has room for all of them, each counted against the
// mark, and reports whether it did. If it did not, nothing was posted, and
// the caller posts the messages one by one with Post, which applies the
// policy. The mailbox keeps msgs: the caller must not reuse the slice.
//
// While batches are queued, the channel has room for more values than
// the mark leaves for messages, so posts count messages instead (see
// postCounted); senders that race each other to the last room may pass
// the mark by one message each.
func (m *Mailbox) PostBatch(msgs []any) bool {
	k := len(msgs)
	if k == 0 || m.closed.Load() || m.Len()+k > cap(m.user) {
		return false
	}
	m.extra.Add(int64(k - 1))
	select {
	case m.user <- &Batch{msgs: msgs}:
	default:
		m.extra.Add(-int64(k - 1))
		m.makeRoom()
		return false
	}
	m.acceptedN(k)
	if m.closed.Load() {
		m.flush()
	}
	return true
}

// Unbatch returns the messages of b, a batch the owner received from C.
// They are no longer queued: the owner has taken them, as it takes a
// message it receives.
func (m *Mailbox) Unbatch(b *Batch) []any {
	m.extra.Add(-int64(len(b.msgs) - 1))
	m.makeRoom()
	return b.msgs
}

// postCounted is Post while batches are queued: it applies the policy
// when the messages queued, not the values, reach the mark. A Block
// sender waits until the owner takes a batch (or the mailbox closes), not
// for each message it takes: the batches are where the room went.
func (m *Mailbox) postCounted(ctx context.Context, msg any) error {
	for m.Len() >= cap(m.user) && m.extra.Load() != 0 {
		switch m.policy {
		case DropNewest:
			m.drop(msg, DroppedNewest, &m.dropped)
			return nil
		case Fail:
			m.rejected.Add(1)
			return ErrFull
		case DropOldest:
			select {
			case old := <-m.user:
				m.drop(old, DroppedOldest, &m.evicted)
			default:
			}
		default:
			if err := m.awaitRoom(ctx); err != nil {
				m.rejected.Add(1)
				return err
			}
		}
		if m.closed.Load() {
			return ErrClosed
		}
	}
	return m.post(ctx, msg)
}

// awaitRoom waits until the owner takes a batch, the mailbox closes, or
// ctx ends.
func (m *Mailbox) awaitRoom(ctx context.Context) error {
	full := func() bool { return m.Len() >= cap(m.user) && m.extra.Load() != 0 && !m.closed.Load() }
	if err := m.room.Wait(ctx, full); err != nil {
		return fmt.Errorf("%w, gave up waiting: %w", ErrFull, err)
	}
	return nil
}

// makeRoom wakes the senders waiting for room, if any.
func (m *Mailbox) makeRoom() { m.room.Made() }
