package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"time"

	zmq "github.com/pebbe/zmq4"

	"github.com/troupe-go/troupe/bench/bysize"
)

// ErrTimeout is the cause of a measurement that overran -timeout.
var ErrTimeout = errors.New("zmqsize: measurement timed out")

// maxSize bounds one message: the 8 MB row and then some.
const maxSize = 64 << 20

// peerEnv marks a re-executed copy of this program (or of its test binary)
// as the peer process: the sender of a throughput run, or the echo side of
// a latency run.
const peerEnv = "ZMQSIZE_PEER"

// costs picks the counts: libzmq through cgo on a small loopback machine,
// about 4 M small msgs/s and 600 MB/s on the large sizes one way, a
// wake-up bound 50 µs and 3 GB/s for one large message round trip.
var costs = bysize.CostModel{
	PerMessage: 250 * time.Nanosecond, Bandwidth: 600e6,
	OneWay: 50 * time.Microsecond, LatencyBandwidth: 3e9,
}

// config is what one invocation measures and where the results go.
type config struct {
	sizes      []int
	transports []string
	kinds      []bysize.Kind
	scale      float64
	timeout    time.Duration // per measurement
	spawn      bysize.SpawnFunc
	out        io.Writer
	log        *slog.Logger
}

// run measures every transport × kind × size in that order, writing one
// JSON line per measurement as soon as it is done. It stops at the first
// failure.
func run(ctx context.Context, c config) error {
	for _, t := range c.transports {
		for _, k := range c.kinds {
			for _, size := range c.sizes {
				if err := c.one(ctx, t, k, size); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (c config) one(ctx context.Context, transport string, kind bysize.Kind, size int) error {
	ctx, cancel := context.WithTimeoutCause(ctx, c.timeout,
		fmt.Errorf("%w after %v", ErrTimeout, c.timeout))
	defer cancel()
	m := measurement{transport: transport, kind: kind, size: size, spawn: c.spawn}
	m.count = costs.ThroughputCount(size, c.scale)
	if kind == bysize.Latency {
		m.count = costs.LatencyCount(size, c.scale)
	}
	rec, err := m.measure(ctx)
	if err != nil {
		return err
	}
	c.log.Info("measured", "transport", transport, "kind", kind, "size", bysize.Label(size),
		"count", rec.Count, "msgs_per_sec", rec.MsgsPerSec, "mbit_per_sec", rec.MbitPerSec,
		"latency_us", rec.LatencyUS, "elapsed_s", rec.ElapsedS)
	return bysize.Write(c.out, rec)
}

// detail says what was measured and with which versions.
func detail(kind bysize.Kind) string {
	major, minor, patch := zmq.Version()
	pattern := "PUSH→PULL"
	if kind == bysize.Latency {
		pattern = "REQ/REP round trips ÷ 2"
	}
	return fmt.Sprintf("libzmq %d.%d.%d via github.com/pebbe/zmq4 %s; %s; two processes",
		major, minor, patch, bindingVersion(), pattern)
}

func bindingVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/pebbe/zmq4" {
				return d.Version
			}
		}
	}
	return "(version unknown)"
}
