package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// errIncomplete is returned when the batch does not add up.
var errIncomplete = errors.New("pipeline: batch does not add up")

// print writes the report, one line per worker, then the totals.
func (r report) print(w io.Writer, workers []actor.Ref, forms []string) {
	for i, ref := range workers {
		ws := r.PerWorker[ref.Name]
		where := ""
		if ref.Node != "" {
			where = " node=" + ref.Node
		}
		fmt.Fprintf(w, "  %-10s %-7s tasks=%-4d cost=%-8v busy=%v%s\n", ref.Name, forms[i], ws.Tasks,
			ws.Cost.Round(time.Millisecond), ws.Busy.Round(time.Millisecond), where)
	}
	fmt.Fprintf(w, "results=%d distinct=%d duplicates=%d unknown=%d\n",
		r.Results, r.Results-r.Duplicates-r.Unknown, r.Duplicates, r.Unknown)
	fmt.Fprintf(w, "sequential sum of costs=%v (results carry %v)\n",
		r.Sequential.Round(time.Millisecond), r.CostSum.Round(time.Millisecond))
	speedup := 0.0
	if r.Wall > 0 {
		speedup = float64(r.Sequential) / float64(r.Wall)
	}
	fmt.Fprintf(w, "wall time=%v speed-up=%.2fx over sequential with %d workers; round robin cannot beat the busiest worker's cost (%v)\n",
		r.Wall.Round(time.Millisecond), speedup, len(workers), r.busiest().Round(time.Millisecond))
	if r.Failed != "" {
		fmt.Fprintf(w, "batch failed: %s\n", r.Failed)
	}
}

// check reports whether every task was done exactly once.
func (r report) check(tasks []task) error {
	if r.Failed != "" {
		return fmt.Errorf("%w: %s", errIncomplete, r.Failed)
	}
	if r.Results != len(tasks) || r.Duplicates != 0 || r.Unknown != 0 || r.CostSum != sumCosts(tasks) {
		return fmt.Errorf("%w: %d tasks, %d results (%d duplicates, %d unknown), costs %v of %v",
			errIncomplete, len(tasks), r.Results, r.Duplicates, r.Unknown, r.CostSum, sumCosts(tasks))
	}
	return nil
}

// busiest returns the largest cost sum handed to one worker: with round
// robin, the batch cannot finish sooner.
func (r report) busiest() time.Duration {
	var most time.Duration
	for _, ws := range r.PerWorker {
		most = max(most, ws.Cost)
	}
	return most
}
