package main

import (
	"fmt"
	"slices"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// work is a client's request. A slow one is answered only after the
// server's slow delay, which is longer than the clients' deadline.
type work struct {
	Client string
	ID     int
	Slow   bool
}

// done is the server's reply to work.
type done struct {
	ID int
	By actor.Ref
}

// drain asks the server to answer once every delayed reply has gone out.
// It replies with a drained.
type drain struct{}

// drained is the server's account once drained.
type drained struct {
	Sent   int // replies sent: to a waiting request, or too late for it
	Failed int // replies the runtime refused
}

// delayed is a reply the server owes, due at a given time.
type delayed struct {
	due   time.Time
	to    actor.Ref
	reply done
}

// server answers work at once, or after slowDelay for slow work, without
// ever blocking: delayed replies wait in a queue served by one timer.
type server struct {
	slowDelay time.Duration
	pending   []delayed // sorted by due
	timer     *time.Timer
	waiters   []actor.Ref // drain requests
	stats     drained
}

func serverBehavior(slowDelay time.Duration) actor.Behavior {
	return actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		s := &server{slowDelay: slowDelay, timer: time.NewTimer(time.Hour)}
		s.timer.Stop()
		defer s.timer.Stop()
		return s.loop(p, inbox)
	})
}

func (s *server) loop(p *actor.Process, inbox <-chan any) error {
	for {
		select {
		case v := <-inbox:
			if err := s.handle(p, p.Accept(v)); err != nil {
				return err
			}
		case now := <-s.timer.C:
			s.flush(p, now)
		case <-p.Context().Done():
			if len(s.pending) > 0 {
				p.Logger().Warn("reqrep: server stopped owing replies", "pending", len(s.pending))
			}
			return nil
		}
	}
}

func (s *server) handle(p *actor.Process, msg any) error {
	switch m := msg.(type) {
	case work:
		r := done{ID: m.ID, By: p.Self()}
		if !m.Slow {
			s.send(p, p.Sender(), r)
			return nil
		}
		s.pending = append(s.pending, delayed{due: time.Now().Add(s.slowDelay), to: p.Sender(), reply: r})
		s.arm()
	case drain:
		s.waiters = append(s.waiters, p.Sender())
		s.answerDrain(p)
	default:
		return fmt.Errorf("reqrep: server: unexpected message %T", msg)
	}
	return nil
}

// send replies to a request. A reply to a request that is over is no
// error for the server: the runtime makes it a dead letter
// (ReasonLateReply), which is how the late replies are counted.
func (s *server) send(p *actor.Process, to actor.Ref, r done) {
	if err := p.Send(to, r); err != nil {
		s.stats.Failed++
		p.Logger().Warn("reqrep: reply lost", "to", to, "err", err)
		return
	}
	s.stats.Sent++
}

// flush sends the delayed replies that are due, then re-arms the timer.
func (s *server) flush(p *actor.Process, now time.Time) {
	n := 0
	for n < len(s.pending) && !s.pending[n].due.After(now) {
		s.send(p, s.pending[n].to, s.pending[n].reply)
		n++
	}
	s.pending = slices.Delete(s.pending, 0, n)
	s.arm()
	s.answerDrain(p)
}

// arm sets the timer for the earliest pending reply.
func (s *server) arm() {
	s.timer.Stop()
	if len(s.pending) > 0 {
		s.timer.Reset(time.Until(s.pending[0].due))
	}
}

func (s *server) answerDrain(p *actor.Process) {
	if len(s.pending) > 0 {
		return
	}
	for _, w := range s.waiters {
		if err := p.Send(w, s.stats); err != nil {
			p.Logger().Warn("reqrep: drain reply lost", "to", w, "err", err)
		}
	}
	s.waiters = nil
}
