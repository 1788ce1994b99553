// Package mailbox provides the bounded mailboxes that Troupe actors read
// from: a Go channel for user messages, whose capacity is the mailbox's
// high-water mark, and a separate lane for system messages that is always
// served first and never blocks, so a full inbox never delays supervision.
//
// # Overflow policies
//
// When the user lane is full, the mailbox's [Policy] decides:
//
//   - [Block] waits until there is room or the sender's context ends
//     (backpressure, ZeroMQ's PUSH/DEALER behaviour).
//   - [DropNewest] discards the message being posted (ZeroMQ's PUB).
//   - [DropOldest] evicts the oldest queued message to make room.
//   - [Fail] returns [ErrFull] to the sender.
//
// Every message a policy discards is counted and handed to the drop
// handler set with [WithDropHandler], so the actor runtime can turn it into
// a dead letter: nothing disappears without a trace.
//
// # Counters
//
// [Mailbox.Stats] reads the counters at any time, from any goroutine,
// without stopping the owner: posted, dropped, evicted, current and maximum
// depth. The age of the oldest queued message is estimated by an
// [AgeProbe], which samples the counters periodically and costs the message
// path nothing.
//
// # Batches
//
// A transport that reads a run of messages for one actor off a connection
// may post them as one value, a [Batch] ([Mailbox.PostBatch]): one channel
// operation for the run on each side instead of one per message, which is
// what two goroutines on two cores pay most for. A batch is posted only
// whole, into a mailbox with room for all of its messages; each counts
// against the high-water mark and in the counters, and a policy that
// discards a queued batch discards, counts and reports each of its
// messages. The owner that receives a *Batch from C takes its messages
// with [Mailbox.Unbatch]. Only owners that do should be sent batches: the
// actor runtime sends them to handler-form actors, never to an actor
// whose own code selects on its inbox.
//
// # Concurrency
//
// Any number of goroutines may post. One goroutine, the owner, receives:
// from [Mailbox.C] (a plain channel it may select on together with timers)
// and from the system lane with [Mailbox.DrainSystem]. The user channel is
// never closed, so a post can never panic; [Mailbox.Close] marks the mailbox
// closed and later posts return [ErrClosed].
package mailbox
