package mailbox

// DefaultCapacity is the high-water mark of a mailbox made without
// WithCapacity: 16 messages. The channel buffer is allocated whole when
// the mailbox is made, 16 bytes a slot, so this keeps an idle actor's
// mailbox under 400 bytes (100,000 idle actors fit in well under 150 MiB
// all told) while absorbing short bursts. Under the Block policy a sender
// that gets further ahead simply waits for the consumer — backpressure,
// not loss. Raise it for actors that must absorb long bursts without
// slowing their senders (ZeroMQ's default HWM of 1000 costs 16 KiB per
// mailbox).
const DefaultCapacity = 16

// An Option configures a Mailbox.
type Option func(*config)

type config struct {
	capacity int
	policy   Policy
	onDrop   DropHandler
}

// WithCapacity sets the high-water mark: the number of user messages the
// mailbox holds before its policy applies. Values below 1 are raised to 1.
func WithCapacity(n int) Option {
	return func(c *config) { c.capacity = max(n, 1) }
}

// WithPolicy sets the overflow policy (default Block).
func WithPolicy(p Policy) Option {
	return func(c *config) { c.policy = p }
}

// WithDropHandler sets a function called with every message the mailbox
// discards, and why. It runs on the goroutine that caused the drop and must
// not block.
func WithDropHandler(f func(msg any, reason DropReason)) Option {
	return func(c *config) { c.onDrop = DropFunc(f) }
}

// A DropHandler is told about every message a mailbox discards, and why.
// Dropped runs on the goroutine that caused the drop and must not block.
type DropHandler interface {
	Dropped(msg any, reason DropReason)
}

// DropFunc adapts a function to the DropHandler interface.
type DropFunc func(msg any, reason DropReason)

// Dropped calls f(msg, reason).
func (f DropFunc) Dropped(msg any, reason DropReason) { f(msg, reason) }
