package actor

import (
	"context"
	"fmt"
	"time"
)

// Default restart limits applied to top-level actors by the system, and to
// the children of actors whose handler does not implement Supervisor: a
// child that fails is restarted, at most DefaultIntensity times within
// DefaultPeriod. Past that, a top-level actor stays stopped (and the
// failure is logged), and a child's parent fails in turn with ErrIntensity
// (escalation). The supervisor package offers the full OTP strategies.
const (
	DefaultIntensity = 3
	DefaultPeriod    = 5 * time.Second
)

// A Supervisor is a Handler that decides the fate of its children itself.
// ChildExited is called on the parent's goroutine each time a child dies
// outside the parent's own stop, with the child's exit reason. Returning
// an error makes the parent fail with it (escalation). The supervisor
// package implements it.
type Supervisor interface {
	Handler
	ChildExited(p *Process, child Ref, reason error) error
}

// restartWindow remembers recent restarts to enforce an intensity limit
// over a sliding period. It belongs to whoever restarts the actor.
type restartWindow struct {
	times []time.Time
}

// allow records a restart at now and reports whether it stays within
// intensity restarts per period.
func (w *restartWindow) allow(now time.Time, intensity int, period time.Duration) bool {
	cut := 0
	for cut < len(w.times) && now.Sub(w.times[cut]) >= period {
		cut++
	}
	w.times = append(w.times[cut:], now)
	return len(w.times) <= intensity
}

func (c *cell) supervise(child *cell, reason error) {
	if sup, ok := c.handler.(Supervisor); ok {
		if err := c.callSupervisor(sup, child.ref, reason); err != nil {
			c.exit(err)
		}
		return
	}
	if !IsFailure(reason) || child.stopAsked {
		return
	}
	if !child.spec.restarts.allow(time.Now(), DefaultIntensity, DefaultPeriod) {
		c.exit(fmt.Errorf("%w: child %v: %w", ErrIntensity, child.ref, reason))
		return
	}
	c.respawn(child, reason)
}

func (c *cell) callSupervisor(sup Supervisor, child Ref, reason error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicFailure(r)
		}
	}()
	c.proc.msg, c.proc.sender = nil, Ref{}
	return sup.ChildExited(&c.proc, child, reason)
}

func (c *cell) respawn(child *cell, reason error) {
	spec := child.spec
	spec.replaces = &replacement{prev: child.ref, reason: reason}
	if _, err := c.sys.spawn(c.context(), c, spec); err != nil {
		c.sys.log.Error("actor: restart failed", "actor", child.ref, "err", err)
	}
}

// superviseTopLevel applies the system's restart policy to a top-level
// actor that has just died, on the goroutine that finished it.
func (s *System) superviseTopLevel(c *cell) {
	if !IsFailure(c.reason) || c.stopAsked || s.closing.Load() {
		return
	}
	spec := c.spec
	if !spec.restarts.allow(time.Now(), DefaultIntensity, DefaultPeriod) {
		s.log.Error("actor: too many restarts, leaving it stopped", "actor", c.ref, "reason", c.reason)
		return
	}
	spec.replaces = &replacement{prev: c.ref, reason: c.reason}
	if _, err := s.spawn(context.Background(), nil, spec); err != nil {
		s.log.Error("actor: restart failed", "actor", c.ref, "err", err)
	}
}
