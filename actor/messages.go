package actor

// Lifecycle messages are delivered to handler-form actors through Receive,
// like any other message.
type (
	// Started is the first message an incarnation receives, during Spawn.
	// An error returned for it fails the Spawn.
	Started struct{}
	// Restarting is delivered before Started to an incarnation that replaces
	// one that failed. Previous is the dead incarnation, Reason why it died.
	Restarting struct {
		Previous Ref
		Reason   error
	}
	// Stopping is delivered when a graceful stop begins, before the
	// actor's children are stopped.
	Stopping struct{ Reason error }
	// Stopped is the last message an incarnation receives, after its
	// children have stopped.
	Stopped struct{ Reason error }
)

// Terminated tells a watcher that the actor Ref has stopped, and why. Each
// watch yields exactly one Terminated; watching an actor that is already
// dead yields it at once (Reason ErrNotFound when the reason is no longer
// known).
type Terminated struct {
	Ref    Ref
	Reason error
}

// An Envelope carries a message together with its sender. Handler-form
// actors never see envelopes (Process.Message unwraps them); loop-form
// actors pass what they receive to Process.Accept, which does.
type Envelope struct {
	Sender  Ref
	Message any
}

// A Publication is what a subscriber receives for a message published on
// a topic it subscribed to.
type Publication struct {
	Topic   string
	Message any
}

// system-lane messages, private to the runtime.
type (
	stopRequest struct {
		reason error
		done   chan error // receives nil once the actor is dead; may be nil
		brutal bool       // skip the Stopping step
	}
	watchRequest   struct{ watcher Ref }
	unwatchRequest struct{ watcher Ref }
	childStarted   struct{ child *cell }
	childExited    struct {
		child  *cell
		reason error
	}
	loopReturned struct{ reason error }
	notice       struct{ msg any } // Terminated or another notice for the actor itself
)
