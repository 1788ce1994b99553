package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
	"github.com/troupe-go/troupe/examples/internal/timeline"
)

// An action is what the server does with one request.
type action uint8

const (
	actOK    action = iota // reply at once
	actStall               // reply after the stall time (CPU overload)
	actCrash               // panic without replying
)

var actionNames = [...]string{"ok", "stall", "crash"}

func (a action) String() string { return actionNames[a] }

// errPlan is returned for a plan that names an unknown action.
var errPlan = errors.New("lazypirate: bad plan")

// parsePlan reads a comma-separated list of actions.
func parsePlan(s string) ([]action, error) {
	if s == "" {
		return nil, nil
	}
	var plan []action
	for _, f := range strings.Split(s, ",") {
		i := -1
		for j, name := range actionNames {
			if strings.TrimSpace(f) == name {
				i = j
			}
		}
		if i < 0 {
			return nil, fmt.Errorf("%w: %q: want ok, stall or crash", errPlan, f)
		}
		plan = append(plan, action(i))
	}
	return plan, nil
}

// A decider picks the action for the n-th request the server receives,
// across all its incarnations: from the plan while it lasts, then at
// random (the guide's lpserver: after a few cycles, one request in
// crashOdds crashes and one in stallOdds stalls).
type decider struct {
	plan                 []action
	seed                 uint64
	warmup               int
	crashOdds, stallOdds int
	n                    atomic.Int64    // requests received so far, by every incarnation
	counts               [3]atomic.Int64 // actions taken, by action
}

func (d *decider) next() action {
	a := d.pick(int(d.n.Add(1)))
	d.counts[a].Add(1)
	return a
}

func (d *decider) pick(n int) action {
	if d.plan != nil {
		if n <= len(d.plan) {
			return d.plan[n-1]
		}
		return actOK
	}
	if n <= d.warmup {
		return actOK
	}
	rng := rand.New(rand.NewPCG(d.seed, uint64(n)))
	switch {
	case d.crashOdds > 0 && rng.IntN(d.crashOdds) == 0:
		return actCrash
	case d.stallOdds > 0 && rng.IntN(d.stallOdds) == 0:
		return actStall
	}
	return actOK
}

// request and response carry the client's sequence number.
type (
	request  struct{ Seq int }
	response struct{ Seq int }
)

// server answers requests, stalls or crashes as its decider says. Each
// crash is a panic: its supervisor restarts it, until it gives up.
func server(d *decider, stall time.Duration, log *timeline.Timeline) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		req, ok := p.Message().(request)
		if !ok {
			return nil // lifecycle messages
		}
		switch d.next() {
		case actCrash:
			panic(fmt.Sprintf("simulated crash on request %d", req.Seq))
		case actStall:
			log.Add("server: overloaded, stalling %v on request %d", stall, req.Seq)
			if err := cli.SimulateWork(p.Context(), stall); err != nil {
				return nil
			}
		}
		return p.Reply(response(req))
	})
}
