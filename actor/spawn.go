package actor

import (
	"context"
	"errors"
	"fmt"

	"github.com/troupe-go/troupe/mailbox"
)

// A SpawnOption configures an actor at Spawn.
type SpawnOption func(*spawnSpec)

// spawnSpec is what is needed to start an actor again: it is shared by its
// successive incarnations.
type spawnSpec struct {
	behavior Behavior
	name     string
	mailbox  []mailbox.Option
	restarts restartWindow
	replaces *replacement // set for a restart
}

// replacement names the incarnation a restart replaces, and why it died.
type replacement struct {
	prev   Ref
	reason error
}

// WithName registers the actor under name, unique in the system while the
// actor lives. Restarted incarnations take the name over.
func WithName(name string) SpawnOption {
	return func(s *spawnSpec) { s.name = name }
}

// WithMailbox configures the actor's mailbox: capacity (its high-water
// mark) and overflow policy. The default is mailbox.DefaultCapacity with
// the Block policy.
func WithMailbox(opts ...mailbox.Option) SpawnOption {
	return func(s *spawnSpec) { s.mailbox = append(s.mailbox, opts...) }
}

// Replacing marks the new actor as the successor of prev, which died with
// reason: it receives Restarting before Started, and a Restarted event is
// published. Supervisors use it when they restart a child.
func Replacing(prev Ref, reason error) SpawnOption {
	return func(s *spawnSpec) { s.replaces = &replacement{prev: prev, reason: reason} }
}

// Spawn starts a top-level actor and returns its ref once its start step
// (the Started message, for the handler form) has run; an error returned
// or a panic raised there is returned, and the actor does not exist. ctx
// bounds the wait for name registration. Top-level actors that fail are
// restarted by the system, at most DefaultIntensity times within
// DefaultPeriod; then they stay stopped and the failure is logged.
func (s *System) Spawn(ctx context.Context, b Behavior, opts ...SpawnOption) (Ref, error) {
	return s.spawn(ctx, nil, newSpec(b, opts))
}

func newSpec(b Behavior, opts []SpawnOption) *spawnSpec {
	spec := &spawnSpec{behavior: b}
	for _, o := range opts {
		o(spec)
	}
	return spec
}

func (s *System) spawn(ctx context.Context, parent *cell, spec *spawnSpec) (Ref, error) {
	if err := s.checkSpawn(spec); err != nil {
		return Ref{}, err
	}
	seq := s.cells.alloc()
	if seq == 0 {
		return Ref{}, ErrExhausted
	}
	c := &cell{sys: s, spec: spec, parent: parent, batches: spec.behavior.loop == nil}
	c.ref = Ref{Node: s.Node(), Name: spec.name, ID: s.epoch | seq}
	c.proc.cell = c
	c.mb.Init(c, spec.mailbox...)
	if spec.name != "" {
		if err := s.names.register(ctx, spec.name, c.ref); err != nil {
			s.cells.abandon(seq)
			return Ref{}, err
		}
	}
	c.run.Store(running) // this goroutine owns the cell until the start step is done
	s.cells.store(seq, c)
	if err := c.start(); err != nil {
		c.abort(err)
		return Ref{}, fmt.Errorf("actor: spawn %v: %w", c.ref, err)
	}
	if parent != nil {
		parent.postSystem(childStarted{child: c})
	}
	if r := spec.replaces; r != nil {
		s.publishEvent(TopicRestarted, Restarted{Old: r.prev, New: c.ref, Reason: r.reason})
	}
	if s.closing.Load() && parent == nil {
		c.mb.PostSystem(&stopRequest{reason: ErrShutdown})
	}
	c.run.Store(idle)
	if c.hasWork() {
		c.schedule()
	}
	return c.ref, nil
}

func (s *System) checkSpawn(spec *spawnSpec) error {
	if s.closing.Load() {
		return ErrShutdown
	}
	if spec.behavior.IsZero() {
		return errors.New("actor: spawn: empty Behavior (use Func, New or Loop)")
	}
	if spec.name != "" {
		return checkName(spec.name)
	}
	return nil
}

// start runs the start step on the spawning goroutine: the actor is not
// reachable by anyone else yet except through its ref, and messages sent
// meanwhile wait in its mailbox.
func (c *cell) start() error {
	spec := c.spec
	if spec.behavior.loop != nil {
		c.startLoop(spec.behavior.loop)
		return nil
	}
	c.handler = spec.behavior.newHandler()
	if c.handler == nil {
		return errors.New("behavior made a nil Handler")
	}
	if r := spec.replaces; r != nil {
		if err := c.deliver(Restarting{Previous: r.prev, Reason: r.reason}); err != nil {
			return err
		}
	}
	return c.deliver(Started{})
}

// abort undoes a spawn whose start step failed.
func (c *cell) abort(reason error) {
	c.reason = reason
	c.cancelContext(reason)
	c.status.Store(dead)
	c.sys.cells.remove(c.seq(), c)
	if c.ref.Name != "" {
		c.sys.names.unregister(c.ref.Name, c.ref)
	}
	c.mb.Close()
	c.mb.DrainSystem(c.handleDead)
	c.run.Store(idle)
}

// Dropped turns a message the mailbox discarded into a dead letter.
func (c *cell) Dropped(msg any, why mailbox.DropReason) {
	reason := ReasonDropped
	if why == mailbox.DroppedClosed {
		reason = ReasonStopped
	}
	if env, ok := msg.(*Envelope); ok {
		c.sys.deadLetter(c.ref, env.Sender, env.Message, reason)
		if IsReplyRef(env.Sender) {
			// A request that will never be answered fails now, not at its
			// deadline.
			c.sys.FailRequest(env.Sender, fmt.Errorf("actor: request %s to %v: %w (%v)",
				typeName(env.Message), c.ref, ErrUndelivered, reason))
		}
		return
	}
	c.sys.deadLetter(c.ref, Ref{}, msg, reason)
}
