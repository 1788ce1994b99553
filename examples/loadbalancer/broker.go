package main

import (
	"fmt"

	"github.com/troupe-go/troupe/actor"
)

// broker is the load-balancing broker (the guide's lbbroker): workers
// announce themselves with ready and with each reply; the broker keeps the
// ready ones in least-recently-used order and reads the next job from the
// frontend only while one of them is free.
type broker struct {
	jobs  <-chan job           // from the frontend
	lru   []actor.Ref          // ready workers, least recently used first
	names map[actor.Ref]string // every worker seen
	busy  map[actor.Ref]job    // the job each busy worker holds
	stats brokerStats
}

func brokerBehavior(jobs <-chan job) actor.Behavior {
	return actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		b := &broker{jobs: jobs, names: make(map[actor.Ref]string), busy: make(map[actor.Ref]job),
			stats: brokerStats{PerWorker: make(map[string]int)}}
		return b.loop(p, inbox)
	})
}

func (b *broker) loop(p *actor.Process, inbox <-chan any) error {
	for {
		var frontend <-chan job // nil, and never ready, while no worker is free
		if len(b.lru) > 0 {
			frontend = b.jobs
		}
		select {
		case j := <-frontend:
			if err := b.dispatch(p, j); err != nil {
				return err
			}
		case v := <-inbox:
			if err := b.handle(p, p.Accept(v)); err != nil {
				return err
			}
		case <-p.Context().Done():
			return nil
		}
	}
}

// dispatch gives j to the least recently used ready worker.
func (b *broker) dispatch(p *actor.Process, j job) error {
	w := b.lru[0]
	b.lru = b.lru[1:]
	if _, busy := b.busy[w]; busy {
		b.stats.Overbooked++
	}
	b.busy[w] = j
	if len(b.lru) == 0 {
		b.stats.AllBusy++
	}
	if err := p.Send(w, assign{Client: j.client, Req: j.req}); err != nil {
		return fmt.Errorf("loadbalancer: broker: assign request %d to %v: %w", j.req.ID, w, err)
	}
	return nil
}

func (b *broker) handle(p *actor.Process, msg any) error {
	w := p.Sender()
	switch m := msg.(type) {
	case ready:
		b.names[w] = m.Name
		b.lru = append(b.lru, w)
	case reply:
		return b.done(p, w, m)
	case getStats:
		return p.Reply(b.stats)
	default:
		return fmt.Errorf("loadbalancer: broker: unexpected message %T from %v", msg, w)
	}
	return nil
}

// done forwards a worker's reply to its client and makes the worker ready
// again.
func (b *broker) done(p *actor.Process, w actor.Ref, r reply) error {
	if _, ok := b.busy[w]; !ok {
		b.stats.WrongWorker++
		return nil
	}
	delete(b.busy, w)
	b.lru = append(b.lru, w)
	b.stats.PerWorker[b.names[w]]++
	if err := p.Send(r.Client, r.Answer); err != nil {
		return fmt.Errorf("loadbalancer: broker: forward answer %d: %w", r.Answer.ID, err)
	}
	b.stats.Forwarded++
	return nil
}

// frontend is the broker's client-facing socket: its mailbox holds client
// requests (its capacity is the frontend HWM; clients wait beyond it), and
// it hands them to the broker one at a time. While no worker is free the
// broker does not take the next one, so the frontend stops reading and the
// requests wait here, not in the broker.
func frontend(jobs chan<- job) actor.Behavior {
	return actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		ctx := p.Context()
		for {
			var req request
			select {
			case v := <-inbox:
				r, ok := p.Accept(v).(request)
				if !ok {
					return fmt.Errorf("loadbalancer: frontend: unexpected message %T", p.Message())
				}
				req = r
			case <-ctx.Done():
				return nil
			}
			select {
			case jobs <- job{client: p.Sender(), req: req}:
			case <-ctx.Done():
				return nil
			}
		}
	})
}
