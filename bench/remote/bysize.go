package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"time"
)

// A sizeRun is what one invocation measures by size, and where it writes.
type sizeRun struct {
	sizes      []int
	transports []string
	kinds      []string
	scale      float64
	out        io.Writer
	log        *slog.Logger
}

// bySize measures every transport × kind × size in that order, writing one
// JSON line per measurement as soon as it is done. It stops at the first
// failure.
func (r runner) bySize(ctx context.Context, s sizeRun) error {
	for _, t := range s.transports {
		for _, k := range s.kinds {
			for _, size := range s.sizes {
				rec, err := r.sizeRecord(ctx, t, k, size, s.scale)
				if err != nil {
					return fmt.Errorf("%s %s %s: %w", t, k, sizeLabel(size), err)
				}
				s.log.Info("measured", "transport", t, "kind", k, "size", sizeLabel(size), "count", rec.Count,
					"msgs_per_sec", rec.MsgsPerSec, "mbit_per_sec", rec.MbitPerSec, "latency_us", rec.LatencyUS)
				if err := writeRecord(s.out, rec); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// sizeRecord runs one measurement: a stream of []byte bodies to a counting
// actor, timed at the receiver (msgs/s = (count−1) / first-to-last, as
// libzmq's local_thr), or sequential request/reply round trips halved.
func (r runner) sizeRecord(ctx context.Context, transport, kind string, size int, scale float64) (record, error) {
	rec := record{Implementation: "troupe", Transport: transport, Kind: kind, Size: size,
		Time: time.Now().UTC().Format(time.RFC3339)}
	switch kind {
	case kindThroughput:
		rec.Count = throughputCount(size, scale)
		elapsed, err := r.throughput(ctx, transport, msgBytes, size, rec.Count)
		if err != nil {
			return rec, err
		}
		rec.ElapsedS = elapsed.Seconds()
		rec.MsgsPerSec = float64(rec.Count-1) / elapsed.Seconds()
		rec.MbitPerSec = mbit(rec.MsgsPerSec, size)
		rec.Detail = detail("node → counting actor, one-way stream timed at the receiver")
	case kindLatency:
		rec.Count = latencyCount(size, scale)
		elapsed, err := r.latency(ctx, transport, make([]byte, size), rec.Count, nil)
		if err != nil {
			return rec, err
		}
		rec.ElapsedS = elapsed.Seconds()
		rec.LatencyUS = elapsed.Seconds() * 1e6 / float64(2*rec.Count)
		rec.Detail = detail("sequential request/reply round trips ÷ 2")
	}
	return rec, rec.validate()
}

// detail says what was measured.
func detail(what string) string {
	return fmt.Sprintf("Troupe net node to node ([]byte bodies); %s; two processes; %s", what, runtime.Version())
}
