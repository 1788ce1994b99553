package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// report prints the outcome and checks that every request was answered
// exactly once.
func report(w io.Writer, cfg config, tallies []clientTally, st queueStats) error {
	total := cfg.clients * cfg.requests
	answered, wrong, twice := 0, 0, 0
	for _, t := range tallies {
		answered, wrong = answered+t.Answered, wrong+t.Wrong
		for _, n := range t.Seen {
			if n > 1 {
				twice++
			}
		}
	}
	once := answered == total && wrong == 0 && twice == 0 && st.Answered == total && st.Duplicates == 0
	fmt.Fprintf(w, "answered=%d of %d wrong=%d twice=%d exactly-once=%v\n", answered, total, wrong, twice, yes(once))
	fmt.Fprintf(w, "queue: dispatched=%d requeued=%d expired=%d joined=%d stray=%d duplicates=%d max-waiting=%d dead-heartbeats=%d\n",
		st.Dispatched, st.Requeued, len(st.Expired), st.Joined, st.Stray, st.Duplicates, st.MaxWaiting, st.DeadBeats)
	var per []string
	for _, name := range slices.Sorted(maps.Keys(st.PerWorker)) {
		per = append(per, fmt.Sprintf("%s=%d", name, st.PerWorker[name]))
	}
	fmt.Fprintf(w, "results by worker: %s\n", strings.Join(per, " "))
	if !once {
		return fmt.Errorf("%w: %d of %d answered, %d wrong, %d twice; queue answered %d with %d duplicates",
			errLost, answered, total, wrong, twice, st.Answered, st.Duplicates)
	}
	return nil
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
