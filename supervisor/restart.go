package supervisor

import (
	"errors"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// childExited applies the restart type, the intensity and the strategy to
// the exit of a child. It runs on the supervisor's goroutine.
func (s *supervisor) childExited(p *actor.Process, ref actor.Ref, reason error) error {
	c := s.byRef[ref]
	if c == nil {
		// An incarnation the supervisor stopped itself, as part of a group.
		s.log.Debug("supervisor: exit of a stopped child", "child", ref, "reason", reason)
		return nil
	}
	snailed := c.snailing
	s.detach(c, reason)
	slow := errors.Is(reason, actor.ErrSlowConsumer) || snailed != nil
	if slow && snailed == nil {
		// The child found a gap itself (see Sequence).
		s.sys.PublishEvent(actor.TopicSlowConsumer, actor.SlowConsumer{Ref: ref, Reason: reason})
	}
	if !c.restarts(reason, slow) {
		if slow {
			c.state = Removed
		}
		s.publishExit(c, ref, reason, ActionNone, 0, nil)
		return nil
	}
	now := time.Now()
	if !s.restarts.allow(now, s.spec.Intensity, s.spec.Period) {
		return s.escalate(c, ref, reason)
	}
	delay := s.nextDelay(c, now)
	group := s.group(c)
	s.stopChildren(group)
	names := s.schedule(group, now.Add(delay))
	err := s.restartIn(p, delay)
	s.publishExit(c, ref, reason, ActionRestart, delay, names)
	return err
}

// restarts reports whether the child's restart type and snail policy call
// for a restart after an exit with reason.
func (c *child) restarts(reason error, slow bool) bool {
	if slow && c.snail != nil && !c.snail.Restart {
		return false
	}
	switch c.Restart {
	case Permanent:
		return true
	case Transient:
		return actor.IsFailure(reason)
	}
	return false
}

// group returns the children the strategy restarts with c, in start order.
func (s *supervisor) group(c *child) []*child {
	switch s.spec.Strategy {
	case OneForAll:
		return s.children
	case RestForOne:
		return s.children[c.index:]
	}
	return []*child{c}
}

// schedule marks the children of group that may start again as due at
// due, and returns their names.
func (s *supervisor) schedule(group []*child, due time.Time) []string {
	var names []string
	for _, g := range group {
		if g.state == Removed {
			continue
		}
		g.state, g.due = Pending, due
		names = append(names, g.Name)
	}
	return names
}

// restartIn starts the due children now, or arms a timer for later.
func (s *supervisor) restartIn(p *actor.Process, delay time.Duration) error {
	if delay > 0 {
		s.timers.restartAfter(delay)
		return nil
	}
	return s.startDue(p)
}

// startDue starts, in start order, the pending children whose restart is
// due. If one fails to start, it and those after it wait for a retry.
func (s *supervisor) startDue(p *actor.Process) error {
	now := time.Now()
	for _, c := range s.children {
		if c.state != Pending || c.due.After(now) {
			continue
		}
		if err := s.spawn(p, c); err != nil {
			return s.restartFailed(c, err, now)
		}
	}
	return nil
}

// restartFailed handles a child whose restart failed to start: the failed
// attempt counts towards the intensity, as in OTP, and it is tried again
// after its backoff delay (at once, through a timer, without backoff).
func (s *supervisor) restartFailed(c *child, err error, now time.Time) error {
	s.log.Error("supervisor: restart failed", "child", c.Name, "err", err)
	if !s.restarts.allow(now, s.spec.Intensity, s.spec.Period) {
		return s.escalate(c, c.lastRef, err)
	}
	due := now.Add(s.nextDelay(c, now))
	for _, g := range s.children[c.index:] {
		if g == c || (g.state == Pending && s.spec.Strategy != OneForOne) {
			g.due = due
		}
	}
	s.timers.restartAfter(due.Sub(now))
	return nil
}

// escalate gives up: the supervisor fails, and stops its children on the
// way out (Stopping).
func (s *supervisor) escalate(c *child, ref actor.Ref, reason error) error {
	err := &IntensityError{Child: c.Name, Reason: reason, Intensity: s.spec.Intensity, Period: s.spec.Period}
	s.log.Error("supervisor: restart intensity exceeded, escalating", "child", c.Name, "reason", reason)
	s.publishExit(c, ref, reason, ActionEscalate, 0, nil)
	return err
}

// nextDelay counts one more restart in a row for c and returns its delay.
// The streak starts over when the child ran for a whole Period.
func (s *supervisor) nextDelay(c *child, now time.Time) time.Duration {
	if s.spec.Backoff.IsZero() {
		return 0
	}
	if !c.startedAt.IsZero() && now.Sub(c.startedAt) >= s.spec.Period {
		c.streak = 0
	}
	c.streak++
	return s.spec.Backoff.Delay(c.streak)
}

func (s *supervisor) publishExit(c *child, ref actor.Ref, reason error, a Action, delay time.Duration, group []string) {
	s.log.Debug("supervisor: child exited", "child", ref, "reason", reason, "action", a, "delay", delay, "group", group)
	s.sys.PublishEvent(TopicChildExit, ChildExit{Supervisor: s.self, Child: c.Name, Ref: ref,
		Reason: reason, Action: a, Delay: delay, Group: group})
}

// A window remembers the supervisor's recent restarts, to enforce its
// intensity over a sliding period.
type window struct {
	times []time.Time
}

// allow records a restart at now and reports whether there are at most
// intensity restarts within the period ending at now.
func (w *window) allow(now time.Time, intensity int, period time.Duration) bool {
	cut := 0
	for cut < len(w.times) && now.Sub(w.times[cut]) >= period {
		cut++
	}
	w.times = append(w.times[cut:], now)
	if len(w.times) > intensity+1 {
		w.times = w.times[len(w.times)-intensity-1:]
	}
	return len(w.times) <= intensity
}
