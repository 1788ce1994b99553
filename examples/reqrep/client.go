package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// A clientTally is one client's account.
type clientTally struct {
	Name      string
	OK        int
	Timeouts  int
	Wrong     int                 // replies that were not the done for the request
	FirstErr  *actor.TimeoutError // the first timeout, as the caller sees it
	Latencies []time.Duration     // of the requests answered in time
}

// client sends n requests to server one after the other, each with its own
// deadline; every slowEvery-th one is slow. It hands its tally to results
// and stops.
func client(name string, server actor.Ref, n, slowEvery int, timeout time.Duration, results chan<- clientTally) actor.Behavior {
	return actor.Loop(func(p *actor.Process, _ <-chan any) error {
		t := clientTally{Name: name}
		for id := 1; id <= n; id++ {
			slow := slowEvery > 0 && id%slowEvery == 0
			if err := ask(p, server, work{Client: name, ID: id, Slow: slow}, timeout, &t); err != nil {
				return err
			}
		}
		select {
		case results <- t:
		case <-p.Context().Done():
		}
		return nil
	})
}

// ask makes one request and records its outcome. Only an error other than
// a timeout ends the client.
func ask(p *actor.Process, server actor.Ref, w work, timeout time.Duration, t *clientTally) error {
	ctx, cancel := context.WithTimeout(p.Context(), timeout)
	defer cancel()
	start := time.Now()
	v, err := p.Request(ctx, server, w)
	var te *actor.TimeoutError
	switch {
	case errors.As(err, &te) && p.Context().Err() == nil:
		t.Timeouts++
		if t.FirstErr == nil {
			t.FirstErr = te
		}
	case err != nil:
		return fmt.Errorf("reqrep: %s: request %d: %w", t.Name, w.ID, err)
	default:
		if d, ok := v.(done); !ok || d.ID != w.ID {
			t.Wrong++
			return nil
		}
		t.OK++
		t.Latencies = append(t.Latencies, time.Since(start))
	}
	return nil
}

// percentile returns the p-quantile (0..1) of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}
