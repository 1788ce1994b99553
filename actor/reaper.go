package actor

import "time"

// reapInterval is the reaper's period: a parked goroutine idle for two
// periods is sent home.
const reapInterval = 250 * time.Millisecond

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
			case <-s.reaper:
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
