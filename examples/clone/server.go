package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// server owns the key-value state. On each tick it makes a random update,
// applies it and publishes it; it answers snapshot and hash requests at
// any time. After n updates it stops updating and closes finished.
type server struct {
	state    *kvState
	rng      *rand.Rand
	keys     int
	n        uint64
	joinAt   uint64
	progress chan<- struct{} // closed at seq joinAt
	finished chan<- struct{} // closed at seq n
}

func (s *server) behavior(interval time.Duration) actor.Behavior {
	return actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		tick := time.NewTicker(interval)
		defer tick.Stop()
		ticks := tick.C
		for {
			select {
			case <-ticks:
				if s.update(p) {
					ticks = nil // done updating; keep answering requests
				}
			case v := <-inbox:
				if err := s.handle(p, p.Accept(v)); err != nil {
					return err
				}
			case <-p.Context().Done():
				return nil
			}
		}
	})
}

// update makes, applies and publishes the next update. It reports whether
// it was the last.
func (s *server) update(p *actor.Process) bool {
	u := kvUpdate{Key: fmt.Sprintf("key-%03d", s.rng.IntN(s.keys)), Seq: s.state.seq + 1}
	if s.rng.IntN(10) > 0 { // one update in ten deletes
		u.Value = fmt.Sprintf("%x", s.rng.Uint32())
	}
	s.state.apply(u)
	p.System().Publish(topicUpdate, u)
	if u.Seq == s.joinAt {
		close(s.progress)
	}
	if u.Seq == s.n {
		close(s.finished)
		return true
	}
	return false
}

func (s *server) handle(p *actor.Process, msg any) error {
	switch msg.(type) {
	case getSnapshot:
		return p.Reply(s.state.snapshot())
	case getHash:
		return p.Reply(s.state.hash())
	default:
		return fmt.Errorf("clone: server: unexpected message %T", msg)
	}
}
