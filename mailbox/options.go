package mailbox

// DefaultCapacity is the high-water mark of a mailbox made without
// WithCapacity: 64 messages. A queued message costs 16 bytes of channel
// buffer, so an idle actor's mailbox stays near 1 KiB (100,000 idle actors
// fit in about 100 MiB) while still absorbing bursts of a few dozen
// messages without blocking the sender. Raise it for actors that receive
// bursts (ZeroMQ's default of 1000 costs 16 KiB per mailbox).
const DefaultCapacity = 64

// An Option configures a Mailbox.
type Option func(*config)

type config struct {
	capacity int
	policy   Policy
	onDrop   func(msg any, reason DropReason)
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
	return func(c *config) { c.onDrop = f }
}
