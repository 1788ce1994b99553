package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"
)

// W5 defaults: the workload's message and request counts.
const (
	w5Messages = 1_000_000
	w5Requests = 20_000
)

// w5 runs workload W5 over tcp loopback between this process and a peer
// process: one-way throughput of small messages (Tick) from node A to a
// counting actor on node B, then the latency of sequential remote
// requests. It prints one line for each.
//
// It runs with the GOMAXPROCS that -procs gives both processes. When that
// is Go's default, on a machine with more than one core, it runs again
// with one core for each process (GOMAXPROCS=1): with two processes on
// two cores, Go's default gives each process two threads to run, four in
// all, and every message crosses between CPUs inside each process.
func (r runner) w5(ctx context.Context, messages, requests int, out io.Writer) error {
	configs := []runner{r}
	if r.procs == 0 && runtime.NumCPU() > 1 {
		one := r
		one.procs = 1
		configs = append(configs, one)
	}
	for _, c := range configs {
		if err := c.w5Once(ctx, messages, requests, out); err != nil {
			return err
		}
	}
	return nil
}

func (r runner) w5Once(ctx context.Context, messages, requests int, out io.Writer) error {
	procs := r.procs
	if procs == 0 {
		procs = runtime.GOMAXPROCS(0)
	}
	elapsed, err := r.throughput(ctx, "tcp", msgTick, 8, messages)
	if err != nil {
		return fmt.Errorf("W5 one-way, GOMAXPROCS=%d: %w", procs, err)
	}
	rate := float64(messages-1) / elapsed.Seconds()
	fmt.Fprintf(out, "W5 one-way: %d messages, node A → counting actor on node B (tcp loopback, two processes, GOMAXPROCS=%d each): "+
		"%s msgs/s (%.3f s from first to last)\n", messages, procs, human(rate), elapsed.Seconds())

	lat := make([]time.Duration, 0, requests)
	_, err = r.latency(ctx, "tcp", Tick{Seq: 1}, requests, func(d time.Duration) { lat = append(lat, d) })
	if err != nil {
		return fmt.Errorf("W5 request/reply, GOMAXPROCS=%d: %w", procs, err)
	}
	p50, p99, mean := percentiles(lat)
	fmt.Fprintf(out, "W5 request/reply: %d sequential requests, node A → echo actor on node B (tcp loopback, two processes, GOMAXPROCS=%d each): "+
		"p50 %.1f µs, p99 %.1f µs, mean %.1f µs\n", requests, procs, us(p50), us(p99), us(mean))
	return nil
}

// percentiles returns the 50th and 99th percentiles (nearest rank) and the
// mean of d, which it sorts.
func percentiles(d []time.Duration) (p50, p99, mean time.Duration) {
	if len(d) == 0 {
		return 0, 0, 0
	}
	slices.Sort(d)
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	rank := func(p int) time.Duration { return d[min(len(d)-1, (len(d)*p+99)/100-1)] }
	return rank(50), rank(99), sum / time.Duration(len(d))
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// human writes a rate with three significant figures: 812 k, 1.23 M.
func human(f float64) string {
	switch {
	case f >= 1e6:
		return fmt.Sprintf("%.3g M", f/1e6)
	case f >= 1e3:
		return fmt.Sprintf("%.3g k", f/1e3)
	}
	return fmt.Sprintf("%.3g", f)
}
