package supervisor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// killWait bounds the wait for a killed child to die. Go cannot interrupt
// a goroutine: a child stuck in code that ignores its context dies only
// when that code returns, and the supervisor does not wait for it longer.
const killWait = time.Second

// child is the supervisor's record of one child spec and its current
// incarnation. It belongs to the supervisor's goroutine.
type child struct {
	*ChildSpec
	index int
	hwm   HWM
	snail *Snail

	state      ChildState
	ref        actor.Ref // the running incarnation, zero otherwise
	lastRef    actor.Ref // the previous incarnation, for actor.Replacing
	lastReason error     // why it exited
	starts     int       // incarnations started
	startedAt  time.Time
	due        time.Time // Pending: when the restart is due
	streak     int       // restarts in a row, for the backoff
	watch      *snailWatch
	snailing   *SnailError // set when the supervisor stopped it as a slow consumer
}

func newChild(i int, cs *ChildSpec, spec *Spec) *child {
	c := &child{ChildSpec: cs, index: i, hwm: cs.HWM, snail: cs.Snail, state: Pending}
	if c.hwm.IsZero() {
		c.hwm = spec.HWM
	}
	if c.snail == nil {
		c.snail = spec.Snail
	}
	return c
}

// spawn starts a new incarnation of c, replacing the previous one if any.
func (s *supervisor) spawn(p *actor.Process, c *child) error {
	opts := []actor.SpawnOption{actor.WithName(s.prefix + c.Name), c.hwm.spawnOption()}
	if !c.lastRef.IsZero() {
		opts = append(opts, actor.Replacing(c.lastRef, c.lastReason))
	}
	ref, err := p.Spawn(s.ctx, c.Behavior, opts...)
	if err != nil {
		return fmt.Errorf("supervisor: start child %q: %w", c.Name, err)
	}
	c.state, c.ref, c.starts, c.startedAt, c.snailing = Running, ref, c.starts+1, time.Now(), nil
	s.byRef[ref] = c
	c.watch = nil
	if c.snail.watches() {
		c.watch = newSnailWatch(c.snail, c.Name, s.sys, ref)
	}
	return nil
}

// detach forgets c's running incarnation, so that its coming ChildExited
// call is recognised as an exit the supervisor caused, and returns it.
func (s *supervisor) detach(c *child, reason error) actor.Ref {
	ref := c.ref
	delete(s.byRef, ref)
	c.ref, c.lastRef, c.lastReason, c.watch = actor.Ref{}, ref, reason, nil
	c.state = Exited
	if c.Restart == Temporary {
		c.state = Removed
	}
	return ref
}

// stopChildren stops the running children of group, youngest first, each
// within its shutdown time, and waits for each before the next.
func (s *supervisor) stopChildren(group []*child) {
	for i := len(group) - 1; i >= 0; i-- {
		c := group[i]
		if c.state != Running {
			if c.state == Pending {
				c.state = Exited
			}
			continue
		}
		ref := s.detach(c, actor.ErrShutdown)
		s.stop(ref, actor.ErrShutdown, c.shutdown())
	}
}

// stop stops the child ref with reason, giving it shutdown to stop
// gracefully, and kills it after that (at once for BrutalKill).
func (s *supervisor) stop(ref actor.Ref, reason error, shutdown time.Duration) {
	if shutdown == BrutalKill {
		if reason != actor.ErrShutdown {
			// Queue the reason first, so that it is the child's exit reason.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_ = s.sys.Exit(ctx, ref, reason)
		}
		s.kill(ref)
		return
	}
	ctx, cancel := context.Background(), context.CancelFunc(func() {})
	if shutdown != Infinity {
		ctx, cancel = context.WithTimeout(ctx, shutdown)
	}
	err := s.sys.Exit(ctx, ref, reason)
	cancel()
	if err == nil {
		return
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		s.log.Error("supervisor: stop child", "child", ref, "err", err)
		return
	}
	s.log.Warn("supervisor: child did not stop in time, killing it", "child", ref, "shutdown", shutdown)
	s.kill(ref)
}

// kill kills the child ref and waits, at most killWait, until it is dead.
func (s *supervisor) kill(ref actor.Ref) {
	s.sys.Kill(ref)
	ctx, cancel := context.WithTimeout(context.Background(), killWait)
	defer cancel()
	if err := s.sys.Stop(ctx, ref); err != nil {
		s.log.Error("supervisor: killed child is still running", "child", ref, "err", err)
	}
}

// stopSnail stops c as a slow consumer. The SlowConsumer event is
// published now, while the mailbox counters are still there to read; the
// restart decision comes with ChildExited.
func (s *supervisor) stopSnail(c *child, reason *SnailError) {
	c.snailing = reason
	s.sys.PublishEvent(actor.TopicSlowConsumer, actor.SlowConsumer{Ref: c.ref, Reason: reason, Mailbox: c.watch.stats.last})
	s.log.Warn("supervisor: stopping slow consumer", "child", c.ref, "reason", reason)
	s.stop(c.ref, reason, c.shutdown())
}
