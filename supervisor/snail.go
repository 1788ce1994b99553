package supervisor

import (
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// DefaultMaxDelay is the ZeroMQ guide's suicidal-snail limit: a consumer
// whose oldest queued message has waited more than a second is too slow.
const DefaultMaxDelay = time.Second

// minInterval is the shortest snail sampling interval.
const minInterval = time.Millisecond

// A Snail is the suicidal-snail policy for a child (ZeroMQ guide, chapter
// 5): a consumer that cannot keep up is stopped, with a reason wrapping
// actor.ErrSlowConsumer, rather than slowing down its producer or making
// the messages it queues grow stale. The supervisor samples the child's
// mailbox on a timer and stops it when
//
//   - its oldest queued message has waited more than MaxDelay (estimated
//     with a mailbox.AgeProbe, so no message is timestamped), or
//   - its mailbox has stayed at or above FillThreshold of its capacity for
//     Tolerance or longer.
//
// A child that finds a gap in the sequence numbers of a stream (see
// Sequence) and returns the *GapError is handled the same way. Each stop
// publishes an actor.SlowConsumer event on actor.TopicSlowConsumer: when
// the supervisor detects it, before the stop, with the mailbox counters
// it sampled; for a gap, once the child has exited, with zero counters
// (the mailbox is gone). The stop is graceful, within the child's
// Shutdown time, so the supervisor waits at most that long. Then,
// if Restart is set, the child's restart type applies as for any abnormal
// exit (the restart counts towards the intensity); otherwise the child is
// left stopped. A child without a Snail that returns a *GapError is
// restarted according to its restart type.
//
// The zero Snail checks nothing. DefaultSnail returns the guide's policy.
type Snail struct {
	// MaxDelay is the longest a queued message may wait; zero turns the
	// check off.
	MaxDelay time.Duration
	// FillThreshold is a fraction of the mailbox capacity, in (0, 1]; zero
	// turns the check off.
	FillThreshold float64
	// Tolerance is how long the mailbox may stay at or above FillThreshold.
	Tolerance time.Duration
	// Interval is the sampling period. Zero means a tenth of the shortest
	// of MaxDelay and Tolerance (a tenth of DefaultMaxDelay if both are
	// zero), and at least a millisecond. A supervisor samples all its
	// watched children together, at the shortest of their intervals.
	Interval time.Duration
	// Restart lets the child's restart type apply after a slow-consumer
	// stop; when false the child is left stopped.
	Restart bool
}

// DefaultSnail returns the ZeroMQ guide's policy: stop a child whose
// oldest message has waited more than DefaultMaxDelay, and leave it
// stopped.
func DefaultSnail() Snail { return Snail{MaxDelay: DefaultMaxDelay} }

// watches reports whether the supervisor has to sample the mailbox.
func (s *Snail) watches() bool {
	return s != nil && (s.MaxDelay > 0 || s.FillThreshold > 0)
}

// interval returns the sampling period.
func (s *Snail) interval() time.Duration {
	if s.Interval > 0 {
		return s.Interval
	}
	base := time.Duration(0)
	if s.MaxDelay > 0 {
		base = s.MaxDelay
	}
	if s.FillThreshold > 0 && s.Tolerance > 0 && (base == 0 || s.Tolerance < base) {
		base = s.Tolerance
	}
	if base == 0 {
		base = DefaultMaxDelay
	}
	return max(base/10, minInterval)
}

// A snailWatch samples one child incarnation's mailbox. It belongs to the
// supervisor's goroutine.
type snailWatch struct {
	policy    *Snail
	name      string
	stats     childStats
	probe     *mailbox.AgeProbe
	fullSince time.Time // zero while the mailbox is below the threshold
}

// childStats reads a child's mailbox counters through the system, and
// remembers the last snapshot for the fill check and the event.
type childStats struct {
	sys  *actor.System
	ref  actor.Ref
	last actor.MailboxStats
	live bool
}

// Stats implements mailbox.StatsReader.
func (c *childStats) Stats() mailbox.Stats {
	c.last, c.live = c.sys.MailboxStats(c.ref)
	return c.last
}

func newSnailWatch(policy *Snail, name string, sys *actor.System, ref actor.Ref) *snailWatch {
	w := &snailWatch{policy: policy, name: name, stats: childStats{sys: sys, ref: ref}}
	w.probe = mailbox.NewAgeProbe(&w.stats)
	return w
}

// check samples the mailbox at now and returns the reason to stop the
// child, or nil.
func (w *snailWatch) check(now time.Time) *SnailError {
	age := w.probe.Sample(now)
	s := w.stats.last
	if !w.stats.live {
		return nil // it died meanwhile; ChildExited will say why
	}
	p := w.policy
	if p.MaxDelay > 0 && age > p.MaxDelay {
		return &SnailError{Child: w.name, Limit: LimitDelay, Age: age, MaxDelay: p.MaxDelay,
			Depth: s.Depth, Capacity: s.Capacity}
	}
	if p.FillThreshold <= 0 || s.Capacity == 0 {
		return nil
	}
	if float64(s.Depth) < p.FillThreshold*float64(s.Capacity) {
		w.fullSince = time.Time{}
		return nil
	}
	if w.fullSince.IsZero() {
		w.fullSince = now
	}
	if above := now.Sub(w.fullSince); above >= p.Tolerance {
		return &SnailError{Child: w.name, Limit: LimitFill, Age: age, Depth: s.Depth, Capacity: s.Capacity,
			Threshold: p.FillThreshold, Above: above, Tolerance: p.Tolerance}
	}
	return nil
}
