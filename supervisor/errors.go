package supervisor

import (
	"errors"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
)

var (
	// ErrInvalidSpec is wrapped by every error of Spec.Validate.
	ErrInvalidSpec = errors.New("supervisor: invalid spec")
	// ErrNotSupervisor is returned by WhichChildren when the actor answered
	// with something other than a list of children.
	ErrNotSupervisor = errors.New("supervisor: not a supervisor")
	// ErrOutOfOrder is returned by Sequence.Check for a number lower than
	// the one expected (a duplicate or a reordering, not a loss).
	ErrOutOfOrder = errors.New("supervisor: sequence number out of order")
)

// An IntensityError is the exit reason of a supervisor whose children
// needed more than Intensity restarts within Period: the supervisor has
// stopped its children and fails, so that its own parent decides
// (escalation). It wraps actor.ErrIntensity only; the child's exit reason
// is in Reason but deliberately not wrapped, so that a child's normal or
// slow-consumer exit does not make the supervisor's own exit look normal
// or slow to its parent.
type IntensityError struct {
	Child     string        // the child whose exit went over the limit
	Reason    error         // that child's exit reason (or why its restart failed)
	Intensity int           // the limit
	Period    time.Duration // the window
}

// Error describes the escalation.
func (e *IntensityError) Error() string {
	return fmt.Sprintf("supervisor: more than %d restarts in %v, last for child %q: %v",
		e.Intensity, e.Period, e.Child, e.Reason)
}

// Unwrap returns actor.ErrIntensity.
func (e *IntensityError) Unwrap() error { return actor.ErrIntensity }

// A SnailLimit names the limit of a Snail policy that a child crossed.
type SnailLimit uint8

const (
	// LimitDelay: the oldest queued message waited longer than MaxDelay.
	LimitDelay SnailLimit = iota + 1
	// LimitFill: the mailbox stayed above FillThreshold for Tolerance.
	LimitFill
)

// String names the limit.
func (l SnailLimit) String() string {
	switch l {
	case LimitDelay:
		return "max-delay"
	case LimitFill:
		return "fill"
	}
	return fmt.Sprintf("limit(%d)", uint8(l))
}

// A SnailError is the exit reason of a child that its supervisor stopped
// as a slow consumer. It wraps actor.ErrSlowConsumer and says which limit
// the child crossed, and by how much.
type SnailError struct {
	Child string
	Limit SnailLimit
	// Age is the estimated wait of the oldest queued message (a lower
	// bound, accurate to the sampling interval); MaxDelay is the limit.
	Age, MaxDelay time.Duration
	// Depth and Capacity are the mailbox's fill when the limit was crossed.
	Depth, Capacity int
	// Threshold is the fill fraction; Above is how long the mailbox had been
	// above it, Tolerance how long it was allowed to be.
	Threshold        float64
	Above, Tolerance time.Duration
}

// Error describes the limit crossed.
func (e *SnailError) Error() string {
	if e.Limit == LimitFill {
		return fmt.Sprintf("supervisor: child %q is a slow consumer: mailbox %d/%d above %.0f%% for %v (tolerance %v)",
			e.Child, e.Depth, e.Capacity, e.Threshold*100, e.Above, e.Tolerance)
	}
	return fmt.Sprintf("supervisor: child %q is a slow consumer: oldest message queued for %v (max %v), %d queued",
		e.Child, e.Age, e.MaxDelay, e.Depth)
}

// Unwrap returns actor.ErrSlowConsumer.
func (e *SnailError) Unwrap() error { return actor.ErrSlowConsumer }

// A GapError is returned by Sequence.Check when numbers are missing from
// a stream: the consumer lost messages, typically because it was too slow
// and its mailbox dropped them. It wraps actor.ErrSlowConsumer, so an
// actor that returns it from Receive is handled as a slow consumer by its
// supervisor.
type GapError struct {
	Expected uint64 // the number that should have come
	Got      uint64 // the number that came
}

// Missed returns how many numbers are missing.
func (e *GapError) Missed() uint64 { return e.Got - e.Expected }

// Error describes the gap.
func (e *GapError) Error() string {
	return fmt.Sprintf("supervisor: sequence gap: expected %d, got %d (%d missed): %v",
		e.Expected, e.Got, e.Missed(), actor.ErrSlowConsumer)
}

// Unwrap returns actor.ErrSlowConsumer.
func (e *GapError) Unwrap() error { return actor.ErrSlowConsumer }
