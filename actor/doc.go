// Package actor is Troupe's local actor runtime: actors that own their
// state and talk only through messages, with Go channels as mailboxes and
// no locks.
//
// # The pieces
//
// A [System] is the process's actor context. It spawns actors, routes
// messages to them by [Ref], and stops them all on [System.Shutdown].
// An actor is built from a [Behavior], in one of two forms:
//
//   - handler form ([Func], [New]): Receive is called once per message,
//     lifecycle messages ([Started], [Restarting], [Stopping], [Stopped])
//     included;
//   - loop form ([Loop]): a function that receives its inbox as a channel
//     and selects on it together with timers and other channels, like
//     CZMQ's zactor.
//
// Each actor gets a [Process], its handle for replying, sending, spawning
// children, watching and stopping.
//
// # Goroutines
//
// An idle handler-form actor has no goroutine: a message schedules one,
// which drains the mailbox, lingers for a few scheduler yields in case
// more arrives (see [WithLinger]), and exits. So 100,000 idle actors cost
// about 100 MiB, while two actors bouncing a message keep their goroutines
// hot. A loop-form actor owns one goroutine for its whole life. State is
// only ever touched by the goroutine that currently owns the actor.
//
// # Delivery
//
// Mailboxes are bounded (see package mailbox): capacity is the high-water
// mark, and the overflow policy decides between blocking, dropping and
// failing. System messages (stop, watch, child exits) use their own lane
// and never wait behind user messages. Every message that cannot be
// delivered becomes a [DeadLetter]: counted by reason, logged, and
// published as an event. Nothing disappears without a trace.
//
// A message is handed over, not copied: a local receiver gets the very
// value that was sent, so a sender must not change what it sent (a slice,
// a map, anything reached through a pointer) afterwards. Remote sends
// encode most messages at once, but big []byte messages are written from
// the sender's slice later (see package net): the same rule covers both.
//
// Request/reply binds each reply to its request through a private reply
// ref; the caller waits with a context, and a reply that comes too late is
// a dead letter. Watch delivers exactly one [Terminated] per watch.
//
// # Failure
//
// A panic or an error returned by an actor is a [Failure]. The actor dies
// (its children first), and its parent decides: a handler that implements
// [Supervisor] decides for itself (package supervisor builds OTP
// supervisors this way); other parents, and the system for top-level
// actors, restart the child at most [DefaultIntensity] times in
// [DefaultPeriod]. A restart is a new incarnation with a new Ref (and the
// same name): messages addressed to the dead one become dead letters.
//
// # Remote refs
//
// The package knows nothing of networks: a [Transport] installed with
// [System.SetTransport] carries messages for refs of other nodes. Package
// net implements it over ZeroMQ.
package actor
