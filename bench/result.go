package bench

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Workload names one of the four workloads.
type Workload string

// The four workloads; their values are the short names used in tables.
const (
	W1PingPong     Workload = "W1"
	W2FanIn        Workload = "W2"
	W3RequestReply Workload = "W3"
	W4Spawn        Workload = "W4"
)

// A Result is what one run of one workload measured. Fields that do not
// apply to the workload are zero.
type Result struct {
	Runtime  string        // runner name: "troupe", "chan", "protoactor"
	Workload Workload      // which workload ran
	N        int           // round trips (W1), messages (W2), requests (W3) or actors (W4)
	P        int           // producer goroutines (W2)
	Capacity int           // mailbox capacity of the receiving actor (W2)
	Elapsed  time.Duration // the workload itself, without system set-up and tear-down
	Counted  int           // operations seen to complete at the far end
	Drops    uint64        // messages lost (W2): the mailbox's drop counter, or N-Counted
	P50      time.Duration // median request latency (W3)
	P99      time.Duration // 99th percentile request latency (W3)
	PeakRSS  uint64        // VmHWM in bytes at the end of the run (W4)
	BaseRSS  uint64        // VmRSS in bytes just before the run (W4)
	HWMReset bool          // whether VmHWM was reset to BaseRSS before the run (W4)
}

// NsPerOp returns Elapsed divided by N in nanoseconds, or 0 if N is 0.
func (r Result) NsPerOp() float64 {
	if r.N == 0 {
		return 0
	}
	return float64(r.Elapsed.Nanoseconds()) / float64(r.N)
}

// PerSecond returns N divided by Elapsed in seconds, or 0 if nothing was
// timed.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.N) / r.Elapsed.Seconds()
}

// String formats the result on one line for logs.
func (r Result) String() string {
	s := fmt.Sprintf("%s %s n=%d elapsed=%v", r.Workload, r.Runtime, r.N, r.Elapsed)
	switch r.Workload {
	case W1PingPong:
		s += fmt.Sprintf(" %.0f ns/roundtrip", r.NsPerOp())
	case W2FanIn:
		s += fmt.Sprintf(" p=%d cap=%d %.0f msgs/s drops=%d", r.P, r.Capacity, r.PerSecond(), r.Drops)
	case W3RequestReply:
		s += fmt.Sprintf(" p50=%v p99=%v", r.P50, r.P99)
	case W4Spawn:
		s += fmt.Sprintf(" %.0f actors/s peak=%.1fMiB base=%.1fMiB", r.PerSecond(), MiB(r.PeakRSS), MiB(r.BaseRSS))
	}
	return s
}

// MiB converts a byte count to mebibytes.
func MiB(bytes uint64) float64 { return float64(bytes) / (1 << 20) }

// Percentile returns the q-quantile (0 < q <= 1) of ds by the nearest-rank
// method, or 0 for an empty slice. It sorts ds in place.
func Percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(math.Ceil(q*float64(len(ds)))) - 1
	return ds[min(max(i, 0), len(ds)-1)]
}

// checkN returns an error unless n (and p, where it applies) is positive.
func checkN(w Workload, n, p int) error {
	if n <= 0 {
		return fmt.Errorf("%w: %s needs n > 0, got %d", ErrBadParam, w, n)
	}
	if p <= 0 {
		return fmt.Errorf("%w: %s needs p > 0, got %d", ErrBadParam, w, p)
	}
	return nil
}
