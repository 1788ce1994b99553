package main

import (
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// A workerSpec is the guide's ppworker settings.
type workerSpec struct {
	name         string
	queue        actor.Ref
	interval     time.Duration // heartbeat interval
	liveness     int           // intervals of silence before the queue is deemed dead
	maxReconnect time.Duration // cap of the doubling reconnect delay
	// onTask, if set, is called on the worker's goroutine with each task
	// it starts; if it returns true the worker hangs on that task, never
	// finishing it (the example kills it then).
	onTask func(self actor.Ref, t task) (hang bool)
	log    func(format string, args ...any)
}

// worker is one incarnation's state.
type worker struct {
	workerSpec
	live      int           // liveness left
	reconnect time.Duration // next reconnect delay
	lastSent  time.Time
	job       *task
	hung      bool         // onTask said so: the worker neither works nor beats any more
	done      *time.Timer  // fires when job is done
	redial    *time.Timer  // fires when the reconnect delay is over; nil while connected
	tick      *time.Ticker // heartbeat interval, restarted on reconnect
}

func (s workerSpec) behavior() actor.Behavior {
	return actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		w := &worker{workerSpec: s, live: s.liveness, reconnect: s.interval}
		w.done = stoppedTimer()
		defer func() {
			w.done.Stop()
			if w.redial != nil {
				w.redial.Stop()
			}
		}()
		w.send(p, ready{Name: s.name})
		return w.loop(p, inbox)
	})
}

func stoppedTimer() *time.Timer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}

func (w *worker) loop(p *actor.Process, inbox <-chan any) error {
	w.tick = time.NewTicker(w.interval)
	defer w.tick.Stop()
	heard := false
	for {
		var redial <-chan time.Time
		if w.redial != nil {
			redial = w.redial.C
		}
		select {
		case v := <-inbox:
			msg := p.Accept(v)
			if w.redial != nil {
				continue // disconnected: the old socket's messages are gone
			}
			heard = true
			if err := w.handle(p, msg); err != nil {
				return err
			}
		case <-w.done.C:
			w.finish(p)
		case <-w.tick.C:
			w.beat(p, heard)
			heard = false
		case <-redial:
			w.reconnected(p)
		case <-p.Context().Done():
			return nil
		}
	}
}

func (w *worker) handle(p *actor.Process, msg any) error {
	if w.hung {
		return nil // a hung process reads nothing: a task the queue sends it anyway is lost with it
	}
	w.live, w.reconnect = w.liveness, w.interval
	switch m := msg.(type) {
	case heartbeat:
	case task:
		if w.job != nil {
			return fmt.Errorf("paranoidpirate: %s: task %d while busy with %d", w.name, m.ID, w.job.ID)
		}
		w.job = &m
		if w.onTask != nil && w.onTask(p.Self(), m) {
			w.hung = true // it will never finish
			return nil
		}
		w.done.Reset(m.Cost)
	default:
		return fmt.Errorf("paranoidpirate: %s: unexpected message %T", w.name, msg)
	}
	return nil
}

// finish sends the result of the task in hand.
func (w *worker) finish(p *actor.Process) {
	if w.job == nil {
		return
	}
	w.send(p, result{ID: w.job.ID, Worker: w.name})
	w.job = nil
}

// beat runs once per interval: it counts down the queue's liveness when
// nothing came from it, and sends a heartbeat if nothing else went out.
func (w *worker) beat(p *actor.Process, heard bool) {
	if w.redial != nil || w.hung {
		return
	}
	if !heard {
		w.live--
	}
	if w.live <= 0 {
		w.disconnect(p)
		return
	}
	if time.Since(w.lastSent) >= w.interval {
		w.send(p, heartbeat{})
	}
}

// disconnect gives up on the queue: it drops the task in hand (the queue
// will hand it to someone else) and waits the reconnect delay, which
// doubles each time up to maxReconnect.
func (w *worker) disconnect(p *actor.Process) {
	w.log("%s: heartbeat failure, can't reach queue; reconnecting in %v", w.name, w.reconnect)
	w.done.Stop()
	w.job = nil
	w.redial = time.NewTimer(w.reconnect)
	w.reconnect = min(2*w.reconnect, w.maxReconnect)
}

// reconnected announces the worker again, as a fresh connection would,
// and counts the queue's liveness from now.
func (w *worker) reconnected(p *actor.Process) {
	w.redial = nil
	w.live = w.liveness
	w.tick.Reset(w.interval)
	w.send(p, ready{Name: w.name})
}

func (w *worker) send(p *actor.Process, msg any) {
	w.lastSent = time.Now()
	if err := p.Send(w.queue, msg); err != nil {
		p.Logger().Debug("paranoidpirate: worker: send to queue failed", "worker", w.name, "err", err)
	}
}
