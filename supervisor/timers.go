package supervisor

import "time"

// Private messages a supervisor's timers send to it.
type (
	// restartDue says that a backoff delay is over: the children whose
	// restart is due are started.
	restartDue struct{ id uint64 }
	// sampleTick says that it is time to sample the snail-watched
	// mailboxes.
	sampleTick struct{}
)

// timers are the supervisor's pending restart timers. Each is a
// time.AfterFunc whose function only posts a message to the supervisor,
// so no goroutine waits on it; stopAll cancels those that have not fired.
// A timers value belongs to the supervisor's goroutine.
type timers struct {
	post   func(any)
	next   uint64
	active map[uint64]*time.Timer
}

func newTimers(post func(any)) timers {
	return timers{post: post, active: make(map[uint64]*time.Timer)}
}

// restartAfter posts restartDue after d.
func (t *timers) restartAfter(d time.Duration) {
	t.next++
	id, post := t.next, t.post
	t.active[id] = time.AfterFunc(d, func() { post(restartDue{id: id}) })
}

// done forgets a timer that has fired.
func (t *timers) done(id uint64) { delete(t.active, id) }

// stopAll stops the timers that have not fired. A function already
// running finds the supervisor stopped and does nothing.
func (t *timers) stopAll() {
	for id, tm := range t.active {
		tm.Stop()
		delete(t.active, id)
	}
}

// startMonitor arms the snail sampling timer if a child has a snail
// policy that needs sampling, at the shortest of their intervals.
func (s *supervisor) startMonitor() {
	for _, c := range s.children {
		if c.snail.watches() {
			if iv := c.snail.interval(); s.every == 0 || iv < s.every {
				s.every = iv
			}
		}
	}
	if s.every == 0 {
		return
	}
	post := s.post
	s.monitor = time.AfterFunc(s.every, func() { post(sampleTick{}) })
}

// sample checks every running snail-watched child, stops the slow ones,
// and re-arms the sampling timer.
func (s *supervisor) sample() {
	now := time.Now()
	for _, c := range s.children {
		if c.state != Running || c.watch == nil || c.snailing != nil {
			continue // not watched, or already being stopped
		}
		if reason := c.watch.check(now); reason != nil {
			s.stopSnail(c, reason)
		}
	}
	if s.ctx.Err() == nil {
		s.monitor.Reset(s.every)
	}
}
