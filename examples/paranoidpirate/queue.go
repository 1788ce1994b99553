package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// pending is a client request the queue has taken.
type pending struct {
	client actor.Ref
	req    request
}

// peer is what the queue knows of one worker.
type peer struct {
	name   string
	expiry time.Time // declared dead after this, unless heard from
	job    *pending  // the task it holds, nil while free
}

// queue is the Paranoid Pirate queue: an LRU queue of ready workers, a
// queue of waiting requests, and heartbeats both ways. A worker not heard
// from for interval × liveness is expired, and the task it held goes back
// to the front of the waiting queue, so a dead worker loses no request.
// The waiting queue is a slice: each client has at most one request
// outstanding (a REQ socket), so it never holds more than the clients.
type queue struct {
	interval time.Duration
	liveness int
	peers    map[actor.Ref]*peer
	ready    []actor.Ref // free workers, least recently used first
	waiting  []pending   // requests not yet given to a worker
	answered map[int]bool
	stats    queueStats
	log      func(format string, args ...any)
}

func queueBehavior(interval time.Duration, liveness int, log func(string, ...any)) actor.Behavior {
	return actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		q := &queue{interval: interval, liveness: liveness, peers: make(map[actor.Ref]*peer), log: log,
			answered: make(map[int]bool), stats: queueStats{PerWorker: make(map[string]int)}}
		return q.loop(p, inbox)
	})
}

func (q *queue) loop(p *actor.Process, inbox <-chan any) error {
	tick := time.NewTicker(q.interval)
	defer tick.Stop()
	for {
		select {
		case v := <-inbox:
			if err := q.handle(p, p.Accept(v)); err != nil {
				return err
			}
		case now := <-tick.C:
			q.heartbeat(p, now)
		case <-p.Context().Done():
			return nil
		}
		q.dispatch(p)
	}
}

func (q *queue) handle(p *actor.Process, msg any) error {
	from := p.Sender()
	switch m := msg.(type) {
	case request:
		q.stats.Received++
		q.waiting = append(q.waiting, pending{client: from, req: m})
		q.stats.MaxWaiting = max(q.stats.MaxWaiting, len(q.waiting))
	case ready:
		q.alive(from, m.Name, true)
	case heartbeat:
		q.alive(from, "", false)
	case result:
		q.result(p, from, m)
	case getStats:
		q.stats.Outstanding = q.stats.Received - q.stats.Answered
		return p.Reply(q.stats)
	default:
		return fmt.Errorf("paranoidpirate: queue: unexpected message %T from %v", msg, from)
	}
	return nil
}

// alive records that worker w was heard from. An unknown worker joins
// (a new one, or one expired that is back); free puts a known worker that
// holds nothing at the back of the ready list (READY).
func (q *queue) alive(w actor.Ref, name string, free bool) {
	pr, known := q.peers[w]
	if !known {
		if name == "" {
			name = w.Name
		}
		pr = &peer{name: name}
		q.peers[w] = pr
		q.stats.Joined++
		free = true
	}
	pr.expiry = time.Now().Add(time.Duration(q.liveness) * q.interval)
	if free && pr.job == nil && !q.isReady(w) {
		q.ready = append(q.ready, w)
	}
}

func (q *queue) isReady(w actor.Ref) bool {
	for _, r := range q.ready {
		if r == w {
			return true
		}
	}
	return false
}

// result forwards a worker's result to the client, once per request.
func (q *queue) result(p *actor.Process, w actor.Ref, r result) {
	pr, known := q.peers[w]
	var job *pending
	if known && pr.job != nil && pr.job.req.ID == r.ID {
		job, pr.job = pr.job, nil
	} else {
		q.stats.Stray++ // e.g. from a worker expired too early: its task went to another
	}
	q.alive(w, r.Worker, true)
	if job == nil {
		return
	}
	if q.answered[r.ID] {
		q.stats.Duplicates++
		return
	}
	q.answered[r.ID] = true
	if err := p.Send(job.client, r); err != nil {
		p.Logger().Warn("paranoidpirate: queue: reply lost", "request", r.ID, "err", err)
		return
	}
	q.stats.Answered++
	q.stats.PerWorker[r.Worker]++
}

// dispatch gives waiting requests to ready workers, oldest first.
func (q *queue) dispatch(p *actor.Process) {
	for len(q.waiting) > 0 && len(q.ready) > 0 {
		w := q.ready[0]
		q.ready = q.ready[1:]
		job := q.waiting[0]
		q.waiting = q.waiting[1:]
		q.peers[w].job = &job
		q.stats.Dispatched++
		if err := p.Send(w, task(job.req)); err != nil {
			// A dead worker: the expiry will requeue the task.
			p.Logger().Debug("paranoidpirate: queue: task not delivered", "worker", w, "err", err)
		}
	}
}

// heartbeat expires the workers not heard from in time, requeueing what
// they held, and sends a heartbeat to every other worker.
func (q *queue) heartbeat(p *actor.Process, now time.Time) {
	for w, pr := range q.peers {
		if now.Before(pr.expiry) {
			continue
		}
		q.expire(w, pr)
	}
	for w := range q.peers {
		if err := p.Send(w, heartbeat{}); errors.Is(err, actor.ErrNotFound) {
			q.stats.DeadBeats++
		}
	}
}

func (q *queue) expire(w actor.Ref, pr *peer) {
	delete(q.peers, w)
	q.stats.Expired = append(q.stats.Expired, w.String())
	for i, r := range q.ready {
		if r == w {
			q.ready = append(q.ready[:i], q.ready[i+1:]...)
			break
		}
	}
	if pr.job != nil && !q.answered[pr.job.req.ID] {
		q.waiting = append([]pending{*pr.job}, q.waiting...)
		q.stats.Requeued++
		q.log("queue: expired %s, requeued request %d", w.String(), pr.job.req.ID)
		return
	}
	q.log("queue: expired %s (it held nothing)", w.String())
}
