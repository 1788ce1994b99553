package mailbox

import "errors"

var (
	// ErrFull is returned by Post under the Fail policy when the mailbox is at
	// its high-water mark, and wrapped (with the context's cause) under Block
	// when the sender's context ends before there is room.
	ErrFull = errors.New("mailbox: full")
	// ErrClosed is returned by Post after Close.
	ErrClosed = errors.New("mailbox: closed")
)

// A DropReason says why a message left a mailbox without being delivered.
type DropReason uint8

const (
	// DroppedNewest: the message was discarded on arrival (DropNewest policy).
	DroppedNewest DropReason = iota + 1
	// DroppedOldest: the message was evicted by a newer one (DropOldest policy).
	DroppedOldest
	// DroppedClosed: the message was still queued, or arrived, after Close.
	DroppedClosed
)

// String names the reason.
func (r DropReason) String() string {
	switch r {
	case DroppedNewest:
		return "dropped-newest"
	case DroppedOldest:
		return "dropped-oldest"
	case DroppedClosed:
		return "closed"
	}
	return "unknown"
}
