package supervisor

import (
	"context"
	"fmt"

	"github.com/troupe-go/troupe/actor"
)

// A ChildState says where a child stands with its supervisor.
type ChildState uint8

const (
	// Pending: not running, waiting to be started (a restart delayed by
	// the backoff, or retried after a failed start).
	Pending ChildState = iota
	// Running: an incarnation is alive.
	Running
	// Exited: not running and not due to restart (a Transient child that
	// exited normally); a one-for-all or rest-for-one restart that
	// includes it starts it again, as in OTP.
	Exited
	// Removed: not running and never started again by this supervisor
	// incarnation (a Temporary child that exited, a slow consumer left
	// stopped).
	Removed
)

var stateNames = [...]string{"pending", "running", "exited", "removed"}

// String names the state.
func (s ChildState) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// ChildInfo describes one child of a running supervisor, as returned by
// WhichChildren.
type ChildInfo struct {
	Name    string     // the child's name in the spec
	Ref     actor.Ref  // the running incarnation; zero when not running
	Restart Restart    // its restart type
	State   ChildState // where it stands
	Starts  int        // incarnations started by this supervisor incarnation
}

// whichChildren is the request WhichChildren sends. It is private: the
// answer is only meaningful to a local caller.
type whichChildren struct{}

// WhichChildren asks the supervisor ref for its children, in start order
// (OTP's which_children). It waits until the supervisor answers or ctx
// ends; a ref that is not a supervisor does not answer, and the call ends
// with ctx.
func WhichChildren(ctx context.Context, sys *actor.System, ref actor.Ref) ([]ChildInfo, error) {
	reply, err := sys.Request(ctx, ref, whichChildren{})
	if err != nil {
		return nil, fmt.Errorf("supervisor: which children of %v: %w", ref, err)
	}
	infos, ok := reply.([]ChildInfo)
	if !ok {
		return nil, fmt.Errorf("%w: %v answered %T", ErrNotSupervisor, ref, reply)
	}
	return infos, nil
}

// infos describes the children, in start order.
func (s *supervisor) infos() []ChildInfo {
	out := make([]ChildInfo, len(s.children))
	for i, c := range s.children {
		out[i] = ChildInfo{Name: c.Name, Ref: c.ref, Restart: c.Restart, State: c.state, Starts: c.starts}
	}
	return out
}
