package main

import (
	"context"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// clientTally is what one client got.
type clientTally struct {
	Answered int
	Wrong    int         // replies for another request
	Seen     map[int]int // replies by request id
}

// client sends n requests (ids first, first+1, …) to the queue one at a
// time and hands its tally to results.
func client(queue actor.Ref, first, n int, cost, timeout time.Duration, results chan<- clientTally) actor.Behavior {
	return actor.Loop(func(p *actor.Process, _ <-chan any) error {
		t := clientTally{Seen: make(map[int]int)}
		for id := first; id < first+n; id++ {
			ctx, cancel := context.WithTimeout(p.Context(), timeout)
			v, err := p.Request(ctx, queue, request{ID: id, Cost: cost})
			cancel()
			if err != nil {
				return fmt.Errorf("paranoidpirate: client: request %d: %w", id, err)
			}
			r, ok := v.(result)
			if !ok || r.ID != id {
				t.Wrong++
				continue
			}
			t.Answered++
			t.Seen[id]++
		}
		select {
		case results <- t:
		case <-p.Context().Done():
		}
		return nil
	})
}
