package main

import (
	"context"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
)

// worker announces itself to the broker, then does each job it is given in
// cost and replies through the broker.
func worker(name string, broker actor.Ref, cost time.Duration) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case actor.Started:
			return p.Send(broker, ready{Name: name})
		case assign:
			if err := cli.SimulateWork(p.Context(), cost); err != nil {
				return nil // stopping
			}
			return p.Send(broker, reply{Client: m.Client, Answer: answer{ID: m.Req.ID, Worker: name}})
		case actor.Restarting, actor.Stopping, actor.Stopped:
			return nil
		default:
			return fmt.Errorf("loadbalancer: %s: unexpected message %T", name, m)
		}
	})
}

// A clientTally is what a client got.
type clientTally struct {
	Answered int
	Wrong    int            // answers to another request
	ByWorker map[string]int // who answered
}

// client sends n requests to the frontend, one at a time (a REQ socket),
// and hands its tally to results.
func client(name string, frontend actor.Ref, n int, timeout time.Duration, results chan<- clientTally) actor.Behavior {
	return actor.Loop(func(p *actor.Process, _ <-chan any) error {
		t := clientTally{ByWorker: make(map[string]int)}
		for id := 1; id <= n; id++ {
			ctx, cancel := context.WithTimeout(p.Context(), timeout)
			v, err := p.Request(ctx, frontend, request{Client: name, ID: id})
			cancel()
			if err != nil {
				return fmt.Errorf("loadbalancer: %s: request %d: %w", name, id, err)
			}
			a, ok := v.(answer)
			if !ok || a.ID != id {
				t.Wrong++
				continue
			}
			t.Answered++
			t.ByWorker[a.Worker]++
		}
		select {
		case results <- t:
		case <-p.Context().Done():
		}
		return nil
	})
}
