package supervisor

import (
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// TopicChildExit is the topic of ChildExit events: subscribe to it (or to
// actor.TopicEvents) to log or count what supervisors decide.
const TopicChildExit = actor.TopicEvents + "supervisor.exit"

// An Action is what a supervisor did about a child that exited.
type Action uint8

const (
	// ActionNone: the child stays stopped (a Temporary child, a Transient
	// one that exited normally, or a slow consumer left stopped).
	ActionNone Action = iota
	// ActionRestart: the child, and the others its strategy names, are
	// restarted (after Delay, when there is a backoff).
	ActionRestart
	// ActionEscalate: the restart intensity is exceeded; the supervisor
	// stops its children and fails with an *IntensityError.
	ActionEscalate
)

var actionNames = [...]string{"none", "restart", "escalate"}

// String names the action.
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// A ChildExit is published on TopicChildExit each time a supervisor has
// handled the exit of one of its children, after any restart without delay
// has taken place (so the actor.Restarted events of those restarts come
// first). Exits the supervisor caused itself, stopping siblings for a
// one-for-all or rest-for-one restart or stopping its children when it
// stops, are not reported.
type ChildExit struct {
	Supervisor actor.Ref
	Child      string    // the child's name in the spec
	Ref        actor.Ref // the incarnation that exited
	Reason     error     // its exit reason
	Action     Action
	// Delay is the backoff before the restart (ActionRestart).
	Delay time.Duration
	// Group names the children restarted (ActionRestart), in start order.
	Group []string
}
