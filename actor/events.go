package actor

// Events are published on topics under TopicEvents, like any publication:
// subscribe an actor with System.Subscribe(ref, TopicEvents) or a function
// with System.SubscribeFunc. They are the hook for logging and metrics.
const (
	TopicEvents       = "troupe.event."
	TopicDeadLetter   = TopicEvents + "deadletter"   // DeadLetter
	TopicRestarted    = TopicEvents + "restarted"    // Restarted
	TopicSlowConsumer = TopicEvents + "slowconsumer" // SlowConsumer
	TopicStopped      = TopicEvents + "stopped"      // ActorStopped
)

// Restarted is published when a failed actor is replaced by a new
// incarnation.
type Restarted struct {
	Old, New Ref
	Reason   error
}

// SlowConsumer is published when an actor is stopped by the
// suicidal-snail policy.
type SlowConsumer struct {
	Ref     Ref
	Reason  error // wraps ErrSlowConsumer and says which limit was crossed
	Mailbox MailboxStats
}

// ActorStopped is published when an actor incarnation dies.
type ActorStopped struct {
	Ref    Ref
	Reason error
}

// PublishEvent publishes an event on topic. Packages that extend the
// runtime (supervisor, net) publish their events through it.
func (s *System) PublishEvent(topic string, ev any) { s.publishEvent(topic, ev) }

func (s *System) publishEvent(topic string, ev any) {
	if s.hasSubscribers() {
		s.Publish(topic, ev)
	}
}

// hasSubscribers lets hot paths skip building an event nobody will see.
func (s *System) hasSubscribers() bool { return len(*s.subs.Load()) > 0 }
