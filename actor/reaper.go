package actor

import "time"

// reapInterval is the reaper's period: a parked goroutine idle for two
// periods is sent home.
const reapInterval = 250 * time.Millisecond

// dispatch hands a cell that has work to a goroutine: an idle worker if one
// is waiting, else a new one. Workers that finish go back to waiting, up
// to maxIdleWorkers of them, so bursts of messages to many cold actors do
// not cost a goroutine start each.
func (s *System) dispatch(c *cell) {
	select {
	case s.runq <- c:
	default:
		s.goroutineStarted()
		go s.worker(c)
	}
}

func (s *System) worker(c *cell) {
	defer s.goroutineDone()
	for {
		c.drain()
		if s.idleWorkers.Add(1) > s.maxIdleWorkers {
			s.idleWorkers.Add(-1)
			return
		}
		select {
		case c = <-s.runq:
			s.idleWorkers.Add(-1)
		case <-s.quit:
			s.idleWorkers.Add(-1)
			return
		}
	}
}

// parkSlot reserves one of the parked-goroutine slots; park releases it.
func (s *System) parkSlot() bool {
	if s.parked.Add(1) <= s.maxParked {
		return true
	}
	s.parked.Add(-1)
	return false
}

func (s *System) startReaper() {
	s.goroutineStarted()
	go func() {
		defer s.goroutineDone()
		t := time.NewTicker(reapInterval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				s.reap()
			case <-s.quit:
				return
			}
		}
	}()
}

// reap advances the tick and asks goroutines parked since two ticks ago
// to leave. Scanning is skipped when nothing is parked.
func (s *System) reap() {
	now := s.tick.Add(1)
	if s.parked.Load() == 0 {
		return
	}
	s.cells.descending(func(c *cell) bool {
		if c.run.Load() == parked && now-c.parkedAt.Load() >= 2 {
			c.mb.Signal(reapToken)
		}
		return true
	})
}
