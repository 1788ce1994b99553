package main

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/troupe-go/troupe/bench/bysize"
)

// TestMain lets the test binary serve as its own peer process, the way the
// zmqsize binary does, before checking for leaked goroutines.
func TestMain(m *testing.M) {
	bysize.RunPeer(peerEnv, "zmqsize", runPeer)
	goleak.VerifyTestMain(m)
}

// TestTinyRunWritesSaneJSON runs the real two-process measurements at a tiny
// scale over tcp and ipc and checks every JSON line it writes.
func TestTinyRunWritesSaneJSON(t *testing.T) {
	out := filepath.Join(t.TempDir(), "libzmq.jsonl")
	ctx, cancel := context.WithTimeout(t.Context(), 45*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	args := []string{"-sizes", "1,4k,1M", "-transport", "tcp,ipc", "-scale", "0.002", "-timeout", "20s", "-o", out}
	if err := runCLI(ctx, args, &bytes.Buffer{}, &stderr); err != nil {
		t.Fatalf("runCLI: %v\nstderr: %s", err, stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := bysize.Read(f, out)
	if err != nil {
		t.Fatalf("output does not read back: %v", err)
	}
	var want []string
	for _, tr := range []string{"tcp", "ipc"} {
		for _, k := range []string{"throughput", "latency"} {
			for _, s := range []string{"1 B", "4 kB", "1 MB"} {
				want = append(want, tr+" "+k+" "+s)
			}
		}
	}
	var got []string
	for _, r := range recs {
		got = append(got, r.Transport+" "+string(r.Kind)+" "+bysize.Label(r.Size))
		checkRecord(t, r)
	}
	if !slices.Equal(got, want) {
		t.Errorf("records in order:\n got %q\nwant %q", got, want)
	}
	if stderr.Len() != 0 {
		t.Errorf("quiet by default, but stderr has %q", stderr.String())
	}
}

func checkRecord(t *testing.T, r bysize.Record) {
	t.Helper()
	name := r.Transport + " " + string(r.Kind) + " " + bysize.Label(r.Size)
	if r.Implementation != "libzmq" || !strings.HasPrefix(r.Detail, "libzmq 4.") || r.Time == "" {
		t.Errorf("%s: implementation %q, detail %q, time %q", name, r.Implementation, r.Detail, r.Time)
	}
	if r.ElapsedS <= 0 || r.ElapsedS > 20 {
		t.Errorf("%s: elapsed %g s", name, r.ElapsedS)
	}
	switch r.Kind {
	case bysize.Throughput:
		if want := costs.ThroughputCount(r.Size, 0.002); r.Count != want {
			t.Errorf("%s: count %d, want %d", name, r.Count, want)
		}
		near(t, name+" msgs/s", r.MsgsPerSec, float64(r.Count-1)/r.ElapsedS)
		near(t, name+" Mbit/s", r.MbitPerSec, r.MsgsPerSec*float64(r.Size)*8/1e6)
		if r.LatencyUS != 0 {
			t.Errorf("%s: throughput record carries latency %g", name, r.LatencyUS)
		}
	case bysize.Latency:
		if want := costs.LatencyCount(r.Size, 0.002); r.Count != want {
			t.Errorf("%s: count %d, want %d", name, r.Count, want)
		}
		near(t, name+" latency", r.LatencyUS, r.ElapsedS*1e6/float64(2*r.Count))
		if r.MsgsPerSec != 0 || r.MbitPerSec != 0 {
			t.Errorf("%s: latency record carries throughput %g / %g", name, r.MsgsPerSec, r.MbitPerSec)
		}
	}
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-6*math.Abs(want) {
		t.Errorf("%s = %g, want %g", what, got, want)
	}
}

func testConfig(spawn bysize.SpawnFunc, timeout time.Duration) config {
	return config{
		sizes:      []int{8},
		transports: []string{"tcp"},
		kinds:      []bysize.Kind{bysize.Throughput},
		scale:      0.001,
		timeout:    timeout,
		spawn:      spawn,
		out:        &bytes.Buffer{},
		log:        bysize.NewLogger(&bytes.Buffer{}, false),
	}
}

// TestFailingPeerIsReported: a peer that dies fails the run with its
// stderr, instead of leaving the measuring side waiting.
func TestFailingPeerIsReported(t *testing.T) {
	spawn := func(ctx context.Context, _ []string) (*exec.Cmd, error) {
		return exec.CommandContext(ctx, "/bin/sh", "-c", "echo boom >&2; exit 3"), nil
	}
	for _, kind := range []bysize.Kind{bysize.Throughput, bysize.Latency} {
		c := testConfig(spawn, 20*time.Second)
		c.kinds = []bysize.Kind{kind}
		err := run(t.Context(), c)
		if !errors.Is(err, bysize.ErrPeerExited) || !strings.Contains(err.Error(), "boom") {
			t.Errorf("%s: run = %v, want ErrPeerExited with the peer's stderr", kind, err)
		}
	}
}

// TestSilentPeerTimesOut: a peer that never connects is killed at -timeout.
func TestSilentPeerTimesOut(t *testing.T) {
	spawn := func(ctx context.Context, _ []string) (*exec.Cmd, error) {
		return exec.CommandContext(ctx, "/bin/sleep", "30"), nil
	}
	start := time.Now()
	err := run(t.Context(), testConfig(spawn, 500*time.Millisecond))
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("run = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("gave up after %v, want about 0.5 s", d)
	}
}

// TestResultsAreWrittenAsTheyCome: a failure part-way keeps the lines
// already measured.
func TestResultsAreWrittenAsTheyCome(t *testing.T) {
	calls := 0
	spawn := func(ctx context.Context, args []string) (*exec.Cmd, error) {
		calls++
		if calls == 2 {
			return exec.CommandContext(ctx, "/bin/false"), nil
		}
		return bysize.SpawnSelf(peerEnv)(ctx, args)
	}
	c := testConfig(spawn, 20*time.Second)
	c.sizes = []int{8, 64}
	var out bytes.Buffer
	c.out = &out
	if err := run(t.Context(), c); !errors.Is(err, bysize.ErrPeerExited) {
		t.Fatalf("run = %v, want ErrPeerExited from the second peer", err)
	}
	recs, err := bysize.Read(&out, "output")
	if err != nil || len(recs) != 1 || recs[0].Size != 8 {
		t.Errorf("output = %+v, %v; want the one 8 B record", recs, err)
	}
}
