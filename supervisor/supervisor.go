package supervisor

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// Start validates spec and spawns a top-level supervisor for it, with the
// given spawn options (a name, a mailbox). It returns once every child has
// been started, in order; if one fails to start, the ones already started
// are stopped in reverse order and the error is returned (OTP's
// start_link). Like any top-level actor, a supervisor that fails (an
// escalation) is restarted by the system within actor.DefaultIntensity.
func Start(ctx context.Context, sys *actor.System, spec Spec, opts ...actor.SpawnOption) (actor.Ref, error) {
	b, err := Behavior(spec)
	if err != nil {
		return actor.Ref{}, err
	}
	ref, err := sys.Spawn(ctx, b, opts...)
	if err != nil {
		return actor.Ref{}, fmt.Errorf("supervisor: start: %w", err)
	}
	return ref, nil
}

// Behavior validates spec and returns the behavior of a supervisor for it,
// to spawn as the child of another actor: in a ChildSpec of another
// supervisor, that makes a supervision tree. Each incarnation starts from
// a fresh copy of the spec, with an empty restart history.
func Behavior(spec Spec) (actor.Behavior, error) {
	if err := spec.Validate(); err != nil {
		return actor.Behavior{}, err
	}
	spec.Children = slices.Clone(spec.Children)
	return actor.New(func() actor.Handler { return newSupervisor(spec) }), nil
}

// supervisor is the handler of a supervisor actor. All its state belongs
// to the actor's goroutine; timers reach it through messages to itself.
type supervisor struct {
	spec     Spec
	children []*child
	byRef    map[actor.Ref]*child // running children by current incarnation
	restarts window

	// Set once in Started, read by timer callbacks.
	sys  *actor.System
	self actor.Ref
	ctx  context.Context // the actor's lifetime
	log  *slog.Logger

	prefix  string // prepended to child names
	timers  timers
	monitor *time.Timer   // snail sampling; nil without snail policies
	every   time.Duration // its period
}

func newSupervisor(spec Spec) *supervisor {
	s := &supervisor{spec: spec, byRef: make(map[actor.Ref]*child)}
	for i := range spec.Children {
		s.children = append(s.children, newChild(i, &spec.Children[i], &spec))
	}
	return s
}

// Receive handles the supervisor's lifecycle and its private messages.
func (s *supervisor) Receive(p *actor.Process) error {
	switch m := p.Message().(type) {
	case actor.Started:
		return s.started(p)
	case actor.Stopping:
		s.stopping()
	case restartDue:
		s.timers.done(m.id)
		return s.startDue(p)
	case sampleTick:
		s.sample()
	case whichChildren:
		// A requester that gave up is not the supervisor's failure: the
		// late reply is a dead letter.
		if err := p.Reply(s.infos()); err != nil {
			s.log.Debug("supervisor: which-children reply not delivered", "err", err)
		}
	case actor.Restarting, actor.Stopped, actor.Terminated:
	default:
		s.log.Warn("supervisor: ignoring unexpected message", "type", fmt.Sprintf("%T", m), "sender", p.Sender())
	}
	return nil
}

// ChildExited implements actor.Supervisor: it applies the strategy, and
// returns an *IntensityError when the supervisor must escalate.
func (s *supervisor) ChildExited(p *actor.Process, ref actor.Ref, reason error) error {
	return s.childExited(p, ref, reason)
}

// started starts the children in order. If one fails, those already
// started are stopped in reverse order and the supervisor's start fails.
func (s *supervisor) started(p *actor.Process) error {
	s.sys, s.self, s.ctx = p.System(), p.Self(), p.Context()
	s.log = p.Logger()
	if s.self.Name != "" {
		s.prefix = s.self.Name + "/"
	}
	s.timers = newTimers(s.post)
	for _, c := range s.children {
		if err := s.spawn(p, c); err != nil {
			s.stopChildren(s.children)
			return err
		}
	}
	s.startMonitor()
	return nil
}

// stopping stops the timers and the children, in reverse start order, each
// within its shutdown time, before the runtime finishes the stop.
func (s *supervisor) stopping() {
	if s.monitor != nil {
		s.monitor.Stop()
	}
	s.timers.stopAll()
	s.stopChildren(s.children)
}

// post sends a private message to the supervisor from a timer goroutine.
// It never outlives the supervisor: it gives up when the supervisor stops.
func (s *supervisor) post(msg any) {
	if s.ctx.Err() != nil {
		return
	}
	if err := s.sys.Send(s.ctx, s.self, msg); err != nil && s.ctx.Err() == nil {
		s.log.Error("supervisor: lost a timer message", "type", fmt.Sprintf("%T", msg), "err", err)
	}
}
