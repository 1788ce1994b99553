package main

import (
	"math/rand/v2"
	"time"
)

// A task is one piece of work: the ventilator sends it, a worker spends
// Cost on it.
type task struct {
	ID   int
	Cost time.Duration
}

// A result is what a worker sends the sink for each task it finished.
type result struct {
	TaskID int
	Worker string
	Cost   time.Duration // the task's cost
	Took   time.Duration // what the worker spent on it
}

// A batch tells the sink what to expect, before any task is sent: the
// guide's "0" start-of-batch message.
type batch struct {
	Tasks int
	Cost  time.Duration // sum of the costs: the sequential time
	Start time.Time
}

// makeTasks draws the costs of cfg.tasks tasks.
func makeTasks(cfg config) []task {
	rng := rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15))
	tasks := make([]task, cfg.tasks)
	for i := range tasks {
		tasks[i] = task{ID: i + 1, Cost: drawCost(rng, cfg)}
	}
	return tasks
}

// drawCost returns a cost in [min, max] (uniform), or min plus an
// exponential variable with mean (max-min)/2, capped at 10×max (exp).
func drawCost(rng *rand.Rand, cfg config) time.Duration {
	span := cfg.max - cfg.min
	if cfg.dist == "exp" {
		d := cfg.min + time.Duration(rng.ExpFloat64()*float64(span)/2)
		return min(d, 10*cfg.max)
	}
	return cfg.min + time.Duration(rng.Int64N(int64(span)+1))
}

// sumCosts returns the sequential time of tasks.
func sumCosts(tasks []task) time.Duration {
	var sum time.Duration
	for _, t := range tasks {
		sum += t.Cost
	}
	return sum
}
