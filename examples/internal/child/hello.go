package child

import (
	"errors"
	"fmt"

	"github.com/troupe-go/troupe/actor"
)

// ErrUnexpectedHello is the failure of a Hellos actor greeted more often
// than its channel has room for.
var ErrUnexpectedHello = errors.New("child: unexpected hello")

// Hellos returns the behavior of the actor, in the parent, that the
// children greet once they are up (a message of type T, such as a child's
// node address): it hands each greeting to hellos, whose buffer must hold
// one per child, so that the actor never waits. A greeting beyond that
// fails the actor with ErrUnexpectedHello. Other messages are ignored.
func Hellos[T any](hellos chan<- T) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		m, ok := p.Message().(T)
		if !ok {
			return nil
		}
		select {
		case hellos <- m:
			return nil
		default:
			return fmt.Errorf("%w: %+v", ErrUnexpectedHello, m)
		}
	})
}
