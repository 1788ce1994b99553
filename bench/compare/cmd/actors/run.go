package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/troupe-go/troupe/bench"
)

// A task is one workload with its counts.
type task struct {
	w    bench.Workload
	n, p int
}

func (t task) String() string {
	if t.w == bench.W2FanIn {
		return fmt.Sprintf("%s n=%d P=%d", t.w, t.n, t.p)
	}
	return fmt.Sprintf("%s n=%d", t.w, t.n)
}

// results holds every run's result by task and runner name.
type results map[task]map[string][]bench.Result

func run(args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	runners := []bench.Runner{bench.NewTroupe(), proto{capacity: bench.DefaultCapacity}, bench.NewChan()}
	if o.child != "" {
		return runChild(o, runners, stdout)
	}
	tasks := o.tasks()
	loadBefore := loadAvg()
	res, err := measure(o, runners, tasks, stderr)
	if err != nil {
		return err
	}
	ns := append(notes(o, res), fmt.Sprintf("Load average (1 min) before and after: %s, %s.", loadBefore, loadAvg()))
	return writeTable(stdout, buildRows(tasks, res), ns)
}

// tasks lists the selected workloads in table order.
func (o options) tasks() []task {
	var ts []task
	for _, w := range allWorkloads {
		if !slices.Contains(o.workloads, w) {
			continue
		}
		switch w {
		case bench.W1PingPong:
			ts = append(ts, task{w: w, n: o.scaled(w1Count)})
		case bench.W2FanIn:
			for _, p := range w2Producers {
				ts = append(ts, task{w: w, n: o.scaled(w2Count), p: p})
			}
		case bench.W3RequestReply:
			ts = append(ts, task{w: w, n: o.scaled(w3Count)})
		case bench.W4Spawn:
			ts = append(ts, task{w: w, n: o.scaled(w4Count)})
		}
	}
	return ts
}

// measure runs every task o.runs times on every runner, alternating
// runners within each round.
func measure(o options, runners []bench.Runner, tasks []task, stderr io.Writer) (results, error) {
	res := results{}
	for _, t := range tasks {
		res[t] = map[string][]bench.Result{}
		for i := range o.runs {
			for _, rn := range runners {
				r, err := runOne(o, rn, t, stderr)
				if err != nil {
					return nil, fmt.Errorf("%s on %s, run %d: %w", t, rn.Name(), i+1, err)
				}
				if o.verbose {
					fmt.Fprintln(stderr, r)
				}
				res[t][rn.Name()] = append(res[t][rn.Name()], r)
			}
		}
	}
	return res, nil
}

// runOne runs one task once, W4 in a child process.
func runOne(o options, rn bench.Runner, t task, stderr io.Writer) (bench.Result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	runtime.GC() // start each run from a collected heap
	switch t.w {
	case bench.W1PingPong:
		return rn.PingPong(ctx, t.n)
	case bench.W2FanIn:
		return rn.FanIn(ctx, t.n, t.p)
	case bench.W3RequestReply:
		return rn.RequestReply(ctx, t.n)
	case bench.W4Spawn:
		return spawnChild(ctx, o, rn.Name(), t.n, stderr)
	}
	return bench.Result{}, fmt.Errorf("%w: unknown workload %q", errUsage, t.w)
}

// loadAvg returns the one-minute load average from /proc/loadavg, which
// says how busy the machine was besides this program, or why it is unknown.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return fmt.Sprintf("unknown (%v)", err)
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "unknown (empty /proc/loadavg)"
	}
	return f[0]
}
