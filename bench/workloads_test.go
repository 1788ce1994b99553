package bench

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// runners returns the runners under test, Troupe first.
func runners() []Runner { return []Runner{NewTroupe(), NewChan()} }

// fanInProducers are the W2 producer counts of the issue.
var fanInProducers = []int{1, 2, 8}

// spawnBatch bounds how many actors one W4 benchmark round holds at once,
// so a large b.N runs in rounds instead of exhausting memory.
const spawnBatch = 100_000

func benchCtx(b *testing.B) context.Context {
	ctx, cancel := context.WithTimeout(b.Context(), 5*time.Minute)
	b.Cleanup(cancel)
	return ctx
}

func BenchmarkW1PingPong(b *testing.B) {
	for _, rn := range runners() {
		b.Run(rn.Name(), func(b *testing.B) {
			b.ReportAllocs()
			r, err := rn.PingPong(benchCtx(b), b.N)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(r.NsPerOp(), "ns/roundtrip")
		})
	}
}

func BenchmarkW2FanIn(b *testing.B) {
	for _, rn := range runners() {
		for _, p := range fanInProducers {
			b.Run(fmt.Sprintf("%s/P=%d", rn.Name(), p), func(b *testing.B) {
				b.ReportAllocs()
				r, err := rn.FanIn(benchCtx(b), b.N, p)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(r.PerSecond(), "msgs/s")
				b.ReportMetric(float64(r.Drops), "drops")
			})
		}
	}
}

func BenchmarkW3RequestReply(b *testing.B) {
	for _, rn := range runners() {
		b.Run(rn.Name(), func(b *testing.B) {
			b.ReportAllocs()
			r, err := rn.RequestReply(benchCtx(b), b.N)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(r.P50.Nanoseconds())/1e3, "p50-µs")
			b.ReportMetric(float64(r.P99.Nanoseconds())/1e3, "p99-µs")
		})
	}
}

// BenchmarkW4Spawn spawns b.N actors in rounds of at most spawnBatch; the
// peak is the highest VmHWM of any round, reset before each round where the
// kernel allows (otherwise it includes earlier benchmarks' memory).
func BenchmarkW4Spawn(b *testing.B) {
	for _, rn := range runners() {
		b.Run(rn.Name(), func(b *testing.B) {
			b.ReportAllocs()
			var elapsed time.Duration
			var peak uint64
			for left := b.N; left > 0; left -= spawnBatch {
				r, err := rn.Spawn(benchCtx(b), min(left, spawnBatch))
				if err != nil {
					b.Fatal(err)
				}
				elapsed += r.Elapsed
				peak = max(peak, r.PeakRSS)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "actors/s")
			b.ReportMetric(MiB(peak), "peak-MiB")
		})
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// checkCommon asserts what every successful result must satisfy.
func checkCommon(t *testing.T, r Result, rn Runner, w Workload, n int) {
	t.Helper()
	if r.Runtime != rn.Name() || r.Workload != w || r.N != n {
		t.Errorf("result labelled %s/%s n=%d, want %s/%s n=%d", r.Runtime, r.Workload, r.N, rn.Name(), w, n)
	}
	if r.Counted != n {
		t.Errorf("%s: counted %d of %d", r, r.Counted, n)
	}
	if r.Elapsed <= 0 {
		t.Errorf("%s: elapsed %v, want > 0", r, r.Elapsed)
	}
}

func TestPingPongCounts(t *testing.T) {
	for _, rn := range runners() {
		t.Run(rn.Name(), func(t *testing.T) {
			r, err := rn.PingPong(testCtx(t), 1000)
			if err != nil {
				t.Fatal(err)
			}
			checkCommon(t, r, rn, W1PingPong, 1000)
		})
	}
}

func TestFanInCounts(t *testing.T) {
	for _, rn := range runners() {
		for _, p := range fanInProducers {
			t.Run(fmt.Sprintf("%s/P=%d", rn.Name(), p), func(t *testing.T) {
				const n = 10_001 // not a multiple of p: the split must still add up
				r, err := rn.FanIn(testCtx(t), n, p)
				if err != nil {
					t.Fatal(err)
				}
				checkCommon(t, r, rn, W2FanIn, n)
				if r.Drops != 0 || r.P != p || r.Capacity != DefaultCapacity {
					t.Errorf("%s: drops=%d p=%d cap=%d, want 0, %d, %d", r, r.Drops, r.P, r.Capacity, p, DefaultCapacity)
				}
			})
		}
	}
}

func TestFanInSmallCapacity(t *testing.T) {
	for _, rn := range []Runner{NewTroupe(WithCapacity(1)), NewChan(WithCapacity(1))} {
		t.Run(rn.Name(), func(t *testing.T) {
			r, err := rn.FanIn(testCtx(t), 5000, 8)
			if err != nil {
				t.Fatal(err)
			}
			checkCommon(t, r, rn, W2FanIn, 5000)
			if r.Capacity != 1 || r.Drops != 0 {
				t.Errorf("%s: capacity %d drops %d, want 1 and 0", r, r.Capacity, r.Drops)
			}
		})
	}
}

func TestRequestReplyLatencies(t *testing.T) {
	for _, rn := range runners() {
		t.Run(rn.Name(), func(t *testing.T) {
			r, err := rn.RequestReply(testCtx(t), 2000)
			if err != nil {
				t.Fatal(err)
			}
			checkCommon(t, r, rn, W3RequestReply, 2000)
			if r.P50 <= 0 || r.P99 < r.P50 || r.P99 > r.Elapsed {
				t.Errorf("%s: p50=%v p99=%v elapsed=%v out of order", r, r.P50, r.P99, r.Elapsed)
			}
		})
	}
}

func TestSpawnCountsAndMemory(t *testing.T) {
	for _, rn := range runners() {
		t.Run(rn.Name(), func(t *testing.T) {
			r, err := rn.Spawn(testCtx(t), 2000)
			if err != nil {
				t.Fatal(err)
			}
			checkCommon(t, r, rn, W4Spawn, 2000)
			if r.BaseRSS == 0 || r.PeakRSS < r.BaseRSS && r.HWMReset {
				t.Errorf("%s: base %d peak %d (reset %v)", r, r.BaseRSS, r.PeakRSS, r.HWMReset)
			}
		})
	}
}

func TestBadParams(t *testing.T) {
	ctx := testCtx(t)
	for _, rn := range runners() {
		calls := map[string]func() (Result, error){
			"W1 n=0":  func() (Result, error) { return rn.PingPong(ctx, 0) },
			"W2 n=-1": func() (Result, error) { return rn.FanIn(ctx, -1, 1) },
			"W2 p=0":  func() (Result, error) { return rn.FanIn(ctx, 10, 0) },
			"W3 n=0":  func() (Result, error) { return rn.RequestReply(ctx, 0) },
			"W4 n=-5": func() (Result, error) { return rn.Spawn(ctx, -5) },
		}
		for name, call := range calls {
			if _, err := call(); !errors.Is(err, ErrBadParam) {
				t.Errorf("%s %s: err %v, want ErrBadParam", rn.Name(), name, err)
			}
		}
	}
}

// TestCancelledContext checks that a run whose context is already over
// returns an error instead of hanging or claiming success.
func TestCancelledContext(t *testing.T) {
	for _, rn := range runners() {
		t.Run(rn.Name(), func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			if r, err := rn.PingPong(ctx, 1_000_000); err == nil {
				t.Fatalf("PingPong on a cancelled context succeeded: %s", r)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	ds := make([]time.Duration, 100)
	for i := range ds {
		ds[i] = time.Duration(100-i) * time.Microsecond // reversed: Percentile sorts
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Microsecond}, {0.99, 99 * time.Microsecond}, {1, 100 * time.Microsecond}, {0.001, time.Microsecond}} {
		if got := Percentile(ds, c.q); got != c.want {
			t.Errorf("Percentile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	if got := Percentile(nil, 0.5); got != 0 {
		t.Errorf("Percentile(nil) = %v, want 0", got)
	}
}

func TestSplitAddsUp(t *testing.T) {
	for _, n := range []int{1, 7, 2_000_000, 2_000_001} {
		for _, p := range fanInProducers {
			sum := 0
			for i := range p {
				sum += split(n, p, i)
			}
			if sum != n {
				t.Errorf("split(%d, %d) sums to %d", n, p, sum)
			}
		}
	}
}

func TestReadStatus(t *testing.T) {
	rss, err := ReadStatus("VmRSS")
	if err != nil || rss == 0 {
		t.Fatalf("VmRSS = %d, %v; want > 0", rss, err)
	}
	if _, err := ReadStatus("NoSuchField"); err == nil {
		t.Error("ReadStatus(NoSuchField) succeeded")
	}
}
