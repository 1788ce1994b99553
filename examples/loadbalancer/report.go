package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/troupe-go/troupe/mailbox"
)

// errAccounting is returned when the numbers do not add up.
var errAccounting = errors.New("loadbalancer: accounting does not add up")

// report prints each worker's share against its speed, the totals and the
// frontend's queue, and checks that every request was answered once.
func report(w io.Writer, cfg config, tallies []clientTally, st brokerStats, front mailbox.Stats, elapsed time.Duration) error {
	total := cfg.clients * cfg.requests
	byWorker := map[string]int{}
	answered, wrong := 0, 0
	for _, t := range tallies {
		answered, wrong = answered+t.Answered, wrong+t.Wrong
		for k, v := range t.ByWorker {
			byWorker[k] += v
		}
	}
	rate := 0.0 // jobs per cost unit of all workers together
	for _, s := range cfg.speeds {
		rate += 1 / float64(s)
	}
	fmt.Fprintf(w, "loadbalancer: %d clients x %d requests, %d workers, LRU broker\n", cfg.clients, cfg.requests, len(cfg.speeds))
	for i, s := range cfg.speeds {
		name := workerName(i)
		fmt.Fprintf(w, "  %-9s cost=%-6v jobs=%-4d share=%5.1f%% (speed predicts %5.1f%%)\n", name,
			time.Duration(s)*cfg.cost, st.PerWorker[name], pct(st.PerWorker[name], total), 100/float64(s)/rate)
	}
	fmt.Fprintf(w, "answered=%d of %d wrong=%d forwarded=%d overbooked=%d stray-replies=%d in %v\n",
		answered, total, wrong, st.Forwarded, st.Overbooked, st.WrongWorker, elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "broker ran out of free workers %d times; requests waiting in the frontend: max %d (HWM %d)\n",
		st.AllBusy, front.MaxDepth, front.Capacity)
	done := 0
	for i := range cfg.speeds {
		done += st.PerWorker[workerName(i)]
		if st.PerWorker[workerName(i)] != byWorker[workerName(i)] {
			return fmt.Errorf("%w: broker says %s did %d, clients say %d", errAccounting,
				workerName(i), st.PerWorker[workerName(i)], byWorker[workerName(i)])
		}
	}
	if answered != total || wrong != 0 || st.Forwarded != total || done != total || st.Overbooked != 0 || st.WrongWorker != 0 {
		return fmt.Errorf("%w: %d requests, %d answered, %d wrong, %d forwarded, %d done by workers, %d overbooked",
			errAccounting, total, answered, wrong, st.Forwarded, done, st.Overbooked)
	}
	return nil
}

func pct(n, total int) float64 { return 100 * float64(n) / float64(total) }
