package main

import (
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
)

// loopWorker is a worker in loop form: one goroutine for its whole life,
// selecting on its inbox and its context. Its results carry its name.
func loopWorker(sink actor.Ref) actor.Behavior {
	return actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		for {
			select {
			case v := <-inbox:
				if err := handleTask(p, sink, p.Accept(v)); err != nil {
					return err
				}
			case <-p.Context().Done():
				return nil
			}
		}
	})
}

// handlerWorker is a worker in handler form: Receive runs once per message,
// lifecycle messages included. Its results carry its name.
func handlerWorker(sink actor.Ref) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		switch p.Message().(type) {
		case actor.Started, actor.Restarting, actor.Stopping, actor.Stopped:
			return nil
		}
		return handleTask(p, sink, p.Message())
	})
}

// handleTask does one task and sends its result to the sink. Anything but
// a task is a failure: the worker dies loudly rather than drop it.
func handleTask(p *actor.Process, sink actor.Ref, msg any) error {
	name := p.Self().Name
	t, ok := msg.(task)
	if !ok {
		return fmt.Errorf("pipeline: %s: unexpected message %T", name, msg)
	}
	start := time.Now()
	if err := cli.SimulateWork(p.Context(), t.Cost); err != nil {
		return nil // stopping: the task is abandoned with the run
	}
	r := result{TaskID: t.ID, Worker: name, Cost: t.Cost, Took: time.Since(start)}
	if err := p.Send(sink, r); err != nil {
		return fmt.Errorf("pipeline: %s: send result of task %d: %w", name, t.ID, err)
	}
	return nil
}

// ventilator sends the batch announcement to the sink, then the tasks to
// the workers in turn (round robin, like a PUSH socket), and exits. A full
// worker mailbox makes it wait: backpressure, as PUSH blocks at its HWM.
func ventilator(tasks []task, workers []actor.Ref, sink actor.Ref) actor.Behavior {
	return actor.Loop(func(p *actor.Process, _ <-chan any) error {
		b := batch{Tasks: len(tasks), Cost: sumCosts(tasks), Start: time.Now()}
		if err := p.Send(sink, b); err != nil {
			return fmt.Errorf("pipeline: ventilator: announce batch: %w", err)
		}
		for i, t := range tasks {
			to := workers[i%len(workers)]
			if err := p.Send(to, t); err != nil {
				if p.Context().Err() != nil {
					return nil
				}
				return fmt.Errorf("pipeline: ventilator: send task %d to %v: %w", t.ID, to, err)
			}
		}
		return nil
	})
}
