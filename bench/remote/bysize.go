package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"time"

	"github.com/troupe-go/troupe/bench/bysize"
)

// maxSize bounds one message body: the 8 MB row and then some, below the
// node's default maximum message size (64 MiB).
const maxSize = 32 << 20

// costs picks the by-size counts: a Troupe node pair on a small loopback
// machine, about 2 M small msgs/s and 400 MB/s on the large sizes one way,
// a wake-up bound 60 µs and 1 GB/s for one large message round trip.
var costs = bysize.CostModel{
	PerMessage: 500 * time.Nanosecond, Bandwidth: 400e6,
	OneWay: 60 * time.Microsecond, LatencyBandwidth: 1e9,
}

// A sizeRun is what one invocation measures by size, and where it writes.
type sizeRun struct {
	sizes      []int
	transports []string
	kinds      []string // bysize.Throughput, bysize.Latency
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
				rec, err := r.sizeRecord(ctx, t, bysize.Kind(k), size, s.scale)
				if err != nil {
					return fmt.Errorf("%s %s %s: %w", t, k, bysize.Label(size), err)
				}
				s.log.Info("measured", "transport", t, "kind", k, "size", bysize.Label(size), "count", rec.Count,
					"msgs_per_sec", rec.MsgsPerSec, "mbit_per_sec", rec.MbitPerSec, "latency_us", rec.LatencyUS)
				if err := bysize.Write(s.out, rec); err != nil {
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
func (r runner) sizeRecord(ctx context.Context, transport string, kind bysize.Kind, size int, scale float64) (bysize.Record, error) {
	rec := bysize.Record{Implementation: "troupe", Transport: transport, Kind: kind, Size: size,
		Time: time.Now().UTC().Format(time.RFC3339)}
	switch kind {
	case bysize.Throughput:
		rec.Count = costs.ThroughputCount(size, scale)
		elapsed, err := r.throughput(ctx, transport, msgBytes, size, rec.Count)
		if err != nil {
			return rec, err
		}
		rec.ElapsedS = elapsed.Seconds()
		rec.MsgsPerSec = float64(rec.Count-1) / elapsed.Seconds()
		rec.MbitPerSec = bysize.Mbit(rec.MsgsPerSec, size)
		rec.Detail = detail("node → counting actor, one-way stream timed at the receiver")
	case bysize.Latency:
		rec.Count = costs.LatencyCount(size, scale)
		elapsed, err := r.latency(ctx, transport, make([]byte, size), rec.Count, nil)
		if err != nil {
			return rec, err
		}
		rec.ElapsedS = elapsed.Seconds()
		rec.LatencyUS = elapsed.Seconds() * 1e6 / float64(2*rec.Count)
		rec.Detail = detail("sequential request/reply round trips ÷ 2")
	}
	return rec, rec.Validate()
}

// detail says what was measured.
func detail(what string) string {
	return fmt.Sprintf("Troupe net node to node ([]byte bodies); %s; two processes; %s", what, runtime.Version())
}
