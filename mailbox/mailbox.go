package mailbox

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/troupe-go/troupe/internal/room"
)

// A Mailbox is a bounded queue of user messages (a Go channel) plus an
// unbounded lane for system messages. Post and PostSystem are safe for
// concurrent use; receiving is the owner's job (see the package doc).
type Mailbox struct {
	user     chan any
	system   systemLane
	onDrop   DropHandler
	policy   Policy
	closed   atomic.Bool
	maxDepth atomic.Int32
	extra    atomic.Int64 // messages queued in batches beyond one per value (see PostBatch)

	// Block senders wait here for room while batches are queued (see
	// postCounted): woken when the owner takes a batch, or at Close.
	room room.Room

	// Counters are atomics because any sender updates them; maxDepth is
	// written only when a new maximum is reached, so senders mostly read it.
	posted   atomic.Uint64
	dropped  atomic.Uint64
	evicted  atomic.Uint64
	rejected atomic.Uint64
	flushed  atomic.Uint64
}

// New returns an open mailbox with the given options (default capacity
// DefaultCapacity, policy Block). It panics on an unknown Policy.
func New(opts ...Option) *Mailbox {
	m := new(Mailbox)
	m.Init(nil, opts...)
	return m
}

// Init prepares a zero Mailbox, for owners that embed one in a larger
// struct to save an allocation. h, if not nil, is told about every
// discarded message, before the handler set with WithDropHandler. Init must
// be called once, before the mailbox is shared. It panics on an unknown
// Policy.
func (m *Mailbox) Init(h DropHandler, opts ...Option) {
	cfg := config{capacity: DefaultCapacity}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.policy > Fail {
		panic(fmt.Sprintf("mailbox: unknown overflow policy %d", cfg.policy))
	}
	m.user = make(chan any, cfg.capacity)
	m.policy = cfg.policy
	switch {
	case h != nil && cfg.onDrop != nil:
		m.onDrop = dropBoth{h, cfg.onDrop}
	case h != nil:
		m.onDrop = h
	default:
		m.onDrop = cfg.onDrop
	}
}

// C returns the user lane for the owner to receive from. It is never closed.
func (m *Mailbox) C() <-chan any { return m.user }

// Capacity returns the high-water mark.
func (m *Mailbox) Capacity() int { return cap(m.user) }

// Policy returns the overflow policy.
func (m *Mailbox) Policy() Policy { return m.policy }

// Len returns the number of queued user messages (a queued Batch counts
// each of its messages).
func (m *Mailbox) Len() int { return len(m.user) + int(m.extra.Load()) }

// Post queues msg on the user lane, applying the overflow policy when the
// mailbox is full. It returns nil when the message was queued or discarded
// by a drop policy (the discard is counted and reported to the drop
// handler), ErrFull under Fail, the context's cause under Block when ctx
// ends first, and ErrClosed after Close. ctx may be nil for non-blocking
// policies.
func (m *Mailbox) Post(ctx context.Context, msg any) error {
	if m.closed.Load() {
		return ErrClosed
	}
	if m.extra.Load() != 0 {
		return m.postCounted(ctx, msg)
	}
	return m.post(ctx, msg)
}

// post is Post while every queued value is one message: the channel's
// capacity is then the mark.
func (m *Mailbox) post(ctx context.Context, msg any) error {
	select {
	case m.user <- msg:
	default:
		queued, err := m.overflow(ctx, msg)
		if !queued {
			return err
		}
	}
	m.accepted()
	if m.closed.Load() {
		m.flush()
	}
	return nil
}

func (m *Mailbox) accepted() { m.acceptedN(1) }

// acceptedN counts n messages posted and the depth they made.
func (m *Mailbox) acceptedN(n int) {
	m.posted.Add(uint64(n))
	depth := int32(m.Len())
	for {
		cur := m.maxDepth.Load()
		if depth <= cur || m.maxDepth.CompareAndSwap(cur, depth) {
			return
		}
	}
}

// overflow applies the policy to a full mailbox. It reports whether msg was
// queued in the end.
func (m *Mailbox) overflow(ctx context.Context, msg any) (bool, error) {
	switch m.policy {
	case DropNewest:
		m.drop(msg, DroppedNewest, &m.dropped)
		return false, nil
	case DropOldest:
		return m.evictOldest(msg), nil
	case Fail:
		m.rejected.Add(1)
		return false, ErrFull
	default:
		return m.block(ctx, msg)
	}
}

func (m *Mailbox) block(ctx context.Context, msg any) (bool, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	select {
	case m.user <- msg:
		return true, nil
	case <-ctx.Done():
		m.rejected.Add(1)
		return false, fmt.Errorf("%w, gave up waiting: %w", ErrFull, context.Cause(ctx))
	}
}

// evictOldest makes room by discarding the oldest messages. Under heavy
// contention other senders may take the freed slot; after a bounded number
// of tries the new message is dropped instead, and counted as such.
func (m *Mailbox) evictOldest(msg any) bool {
	for range 8 {
		select {
		case old := <-m.user:
			m.drop(old, DroppedOldest, &m.evicted)
		default:
		}
		select {
		case m.user <- msg:
			return true
		default:
		}
	}
	m.drop(msg, DroppedNewest, &m.dropped)
	return false
}

func (m *Mailbox) drop(msg any, reason DropReason, counter *atomic.Uint64) {
	switch v := msg.(type) {
	case *Token:
		return
	case *Batch: // taken off the lane: each message is dropped
		m.extra.Add(-int64(len(v.msgs) - 1))
		m.makeRoom()
		for _, one := range v.msgs {
			m.drop(one, reason, counter)
		}
		return
	}
	counter.Add(1)
	if m.onDrop != nil {
		m.onDrop.Dropped(msg, reason)
	}
}

// Close marks the mailbox closed: later posts return ErrClosed and the
// messages still queued are handed to the drop handler with DroppedClosed.
// System messages are left for DrainSystem. Close is idempotent and safe
// from any goroutine.
func (m *Mailbox) Close() {
	m.closed.Store(true)
	m.makeRoom()
	m.flush()
}

// Closed reports whether Close was called.
func (m *Mailbox) Closed() bool { return m.closed.Load() }

// flush hands every queued user message to the drop handler. Any goroutine
// may flush; each message is received, and reported, exactly once.
func (m *Mailbox) flush() {
	for {
		select {
		case msg := <-m.user:
			m.drop(msg, DroppedClosed, &m.flushed)
		default:
			return
		}
	}
}

// A Token is a control value that an owner puts on its own user lane with
// Signal, to wake itself when it is blocked receiving from C(). Tokens are
// not messages: they are not counted as posted, dropped, evicted or
// flushed, and never reach the drop handler. The owner must recognise its
// tokens when it receives them (compare pointers).
type Token struct{ Name string }

// Signal puts t on the user lane if there is room, and reports whether it
// did. Depth counts a queued token like a message.
func (m *Mailbox) Signal(t *Token) bool {
	select {
	case m.user <- t:
		return true
	default:
		return false
	}
}

// dropBoth tells two drop handlers, in order.
type dropBoth [2]DropHandler

func (d dropBoth) Dropped(msg any, reason DropReason) {
	d[0].Dropped(msg, reason)
	d[1].Dropped(msg, reason)
}
