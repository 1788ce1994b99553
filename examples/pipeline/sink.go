package main

import (
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// awaitReport asks the sink for its report; it answers once the whole
// batch is in, or as soon as a worker it watches stops before that.
type awaitReport struct{}

// watchWorkers asks the sink to watch the workers: one that stops before
// the batch is done (its process died, its node went down) fails the batch
// at once instead of leaving the sink waiting for results that will never
// come.
type watchWorkers struct{ Refs []actor.Ref }

// A report is the sink's account of a batch.
type report struct {
	Tasks      int                  // announced by the ventilator
	Sequential time.Duration        // announced sum of costs
	Results    int                  // results received
	Duplicates int                  // results for a task already done
	Unknown    int                  // results for a task id outside the batch
	CostSum    time.Duration        // sum of the costs of the results received
	Wall       time.Duration        // batch start to last result
	PerWorker  map[string]workerSum // by worker name
	Failed     string               // why the batch cannot complete, if it cannot
}

// workerSum is one worker's share of the batch.
type workerSum struct {
	Tasks int
	Cost  time.Duration // sum of the costs of its tasks
	Busy  time.Duration // time it spent on them
}

// sink counts results and answers awaitReport once every announced task
// has a result.
type sink struct {
	rep    report
	start  time.Time
	seen   map[int]bool
	waiter actor.Ref // the request waiting for the report, if any
}

func sinkBehavior() actor.Behavior {
	return actor.New(func() actor.Handler {
		return &sink{seen: make(map[int]bool), rep: report{PerWorker: make(map[string]workerSum)}}
	})
}

// Receive implements actor.Handler.
func (s *sink) Receive(p *actor.Process) error {
	switch m := p.Message().(type) {
	case batch:
		s.rep.Tasks, s.rep.Sequential, s.start = m.Tasks, m.Cost, m.Start
	case result:
		s.add(m)
	case awaitReport:
		s.waiter = p.Sender()
	case watchWorkers:
		for _, ref := range m.Refs {
			if err := p.Watch(ref); err != nil {
				return fmt.Errorf("pipeline: sink: watch %v: %w", ref, err)
			}
		}
	case actor.Terminated:
		if s.rep.Failed == "" && !s.complete() {
			s.rep.Failed = fmt.Sprintf("%v stopped before the batch was done: %v", m.Ref, m.Reason)
		}
	case actor.Started, actor.Restarting, actor.Stopping, actor.Stopped:
		return nil
	default:
		return fmt.Errorf("pipeline: sink: unexpected message %T", m)
	}
	return s.maybeReport(p)
}

func (s *sink) add(r result) {
	s.rep.Results++
	switch {
	case r.TaskID < 1 || (s.rep.Tasks > 0 && r.TaskID > s.rep.Tasks):
		s.rep.Unknown++
	case s.seen[r.TaskID]:
		s.rep.Duplicates++
	default:
		s.seen[r.TaskID] = true
	}
	s.rep.CostSum += r.Cost
	ws := s.rep.PerWorker[r.Worker]
	ws.Tasks++
	ws.Cost += r.Cost
	ws.Busy += r.Took
	s.rep.PerWorker[r.Worker] = ws
	s.rep.Wall = time.Since(s.start)
}

// maybeReport answers the waiting request once the batch is complete.
func (s *sink) maybeReport(p *actor.Process) error {
	if s.waiter.IsZero() || (!s.complete() && s.rep.Failed == "") {
		return nil
	}
	to := s.waiter
	s.waiter = actor.Ref{}
	if err := p.Send(to, s.rep); err != nil {
		return fmt.Errorf("pipeline: sink: send report: %w", err)
	}
	return nil
}

// complete reports whether every announced task has a result.
func (s *sink) complete() bool { return s.rep.Tasks > 0 && len(s.seen) >= s.rep.Tasks }
