package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/troupe-go/troupe/bench/bysize"
)

// TestMain lets the test binary serve as its own peer process, the way the
// program does, before checking for leaked goroutines.
func TestMain(m *testing.M) {
	bysize.RunPeer(peerEnv, "remote", runPeer)
	goleak.VerifyTestMain(m)
}

var (
	w5OneWay  = regexp.MustCompile(`^W5 one-way: 2000 messages, .*two processes, GOMAXPROCS=([0-9]+) each\): ([0-9.]+( [kM])?) msgs/s \(([0-9.]+) s from first to last\)$`)
	w5Request = regexp.MustCompile(`^W5 request/reply: 200 sequential requests, .*two processes, GOMAXPROCS=([0-9]+) each\): p50 ([0-9.]+) µs, p99 ([0-9.]+) µs, mean ([0-9.]+) µs$`)
)

// TestQuickRun runs every measurement for real, two processes each, with
// -quick counts, and checks what it prints and writes.
func TestQuickRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "troupe.jsonl")
	ctx, cancel := context.WithTimeout(t.Context(), 45*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	args := []string{"-mode", "all", "-quick", "-sizes", "1,4k,1M", "-timeout", "20s", "-o", out}
	if err := runCLI(ctx, args, &stdout, &stderr); err != nil {
		t.Fatalf("runCLI: %v\nstderr: %s", err, stderr.String())
	}
	want := []int{runtime.GOMAXPROCS(0)}
	if runtime.NumCPU() > 1 {
		want = append(want, 1) // and again with one core for each process
	}
	checkW5(t, stdout.String(), want)
	if stderr.Len() != 0 {
		t.Errorf("quiet by default, but stderr has %q", stderr.String())
	}
	recs := readRecords(t, out)
	var got, wantRecs []string
	for _, tr := range []string{"tcp", "ipc"} {
		for _, k := range []bysize.Kind{bysize.Throughput, bysize.Latency} {
			for _, s := range []string{"1 B", "4 kB", "1 MB"} {
				wantRecs = append(wantRecs, tr+" "+string(k)+" "+s)
			}
		}
	}
	for _, r := range recs {
		got = append(got, r.Transport+" "+string(r.Kind)+" "+bysize.Label(r.Size))
		checkRecord(t, r)
	}
	if !slices.Equal(got, wantRecs) {
		t.Errorf("records in order:\n got %q\nwant %q", got, wantRecs)
	}
}

// checkW5 checks that out is W5's report: a one-way line and a
// request/reply line for each GOMAXPROCS in procs, in order.
func checkW5(t *testing.T, out string, procs []int) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2*len(procs) {
		t.Fatalf("W5 printed:\n%s\nwant a one-way and a request/reply line for GOMAXPROCS %v", out, procs)
	}
	for i, p := range procs {
		oneWay, request := w5OneWay.FindStringSubmatch(lines[2*i]), w5Request.FindStringSubmatch(lines[2*i+1])
		if oneWay == nil || request == nil || oneWay[1] != strconv.Itoa(p) || request[1] != strconv.Itoa(p) {
			t.Errorf("W5 printed:\n%s\nwant lines %d and %d for GOMAXPROCS=%d", out, 2*i+1, 2*i+2, p)
		}
	}
}

// TestW5Procs runs W5 with -procs 1: once, with one core for each process,
// after which this process has its GOMAXPROCS back.
func TestW5Procs(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	before := runtime.GOMAXPROCS(0)
	var stdout, stderr bytes.Buffer
	if err := runCLI(ctx, []string{"-mode", "w5", "-quick", "-procs", "1", "-timeout", "20s"}, &stdout, &stderr); err != nil {
		t.Fatalf("runCLI: %v\nstderr: %s", err, stderr.String())
	}
	checkW5(t, stdout.String(), []int{1})
	if after := runtime.GOMAXPROCS(0); after != before {
		t.Errorf("GOMAXPROCS %d after the run, %d before", after, before)
	}
}

// readRecords reads the JSON lines as the sizetable command does: with
// bysize.Read, which refuses unknown fields and invalid records.
func readRecords(t *testing.T, path string) []bysize.Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := bysize.Read(f, path)
	if err != nil {
		t.Fatalf("output does not read back: %v", err)
	}
	return recs
}

func checkRecord(t *testing.T, r bysize.Record) {
	t.Helper()
	name := r.Transport + " " + string(r.Kind) + " " + bysize.Label(r.Size)
	if r.Implementation != "troupe" || !strings.HasPrefix(r.Detail, "Troupe net") || r.Time == "" {
		t.Errorf("%s: implementation %q, detail %q, time %q", name, r.Implementation, r.Detail, r.Time)
	}
	if r.ElapsedS <= 0 || r.ElapsedS > 20 {
		t.Errorf("%s: elapsed %g s", name, r.ElapsedS)
	}
	switch r.Kind {
	case bysize.Throughput:
		want := costs.ThroughputCount(r.Size, quickScale)
		if r.Count != want || r.MbitPerSec != bysize.Mbit(r.MsgsPerSec, r.Size) {
			t.Errorf("%s: count %d (want %d), %g msgs/s, %g Mbit/s", name, r.Count, want, r.MsgsPerSec, r.MbitPerSec)
		}
	case bysize.Latency:
		if want := costs.LatencyCount(r.Size, quickScale); r.Count != want || r.LatencyUS < 1 {
			t.Errorf("%s: count %d (want %d), latency %g µs", name, r.Count, want, r.LatencyUS)
		}
	}
}

func TestFlagsRejected(t *testing.T) {
	bad := [][]string{
		{"-mode", "w6"}, {"-sizes", "0"}, {"-sizes", "1,1"}, {"-transport", "udp"}, {"-kind", "speed"},
		{"-scale", "0"}, {"-timeout", "0s"}, {"-procs", "-1"}, {"-readspin", "-1s"}, {"-messages", "1"}, {"-requests", "0"}, {"extra"}, {"-nosuchflag"},
	}
	for _, args := range bad {
		var stderr bytes.Buffer
		if _, err := parseFlags(args, &stderr); err == nil {
			t.Errorf("parseFlags(%q) accepted it", args)
		}
	}
	c, err := parseFlags([]string{"-quick", "-mode", "sizes", "-sizes", "2M,8", "-transport", "ipc"}, &bytes.Buffer{})
	if err != nil || c.mode != modeSizes || !slices.Equal(c.sizes.sizes, []int{2 << 20, 8}) ||
		!slices.Equal(c.sizes.transports, []string{"ipc"}) || c.sizes.scale != quickScale ||
		c.messages != quickMessages || c.requests != quickRequests {
		t.Errorf("parseFlags: %+v, %v", c, err)
	}
}

func TestPercentiles(t *testing.T) {
	d := make([]time.Duration, 0, 200)
	for i := 200; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Microsecond)
	}
	p50, p99, mean := percentiles(d)
	if p50 != 100*time.Microsecond || p99 != 198*time.Microsecond || mean != 100500*time.Nanosecond {
		t.Errorf("percentiles of 1…200 µs = %v, %v, %v; want 100µs, 198µs, 100.5µs", p50, p99, mean)
	}
	if p50, p99, mean := percentiles(nil); p50 != 0 || p99 != 0 || mean != 0 {
		t.Errorf("percentiles(nil) = %v, %v, %v", p50, p99, mean)
	}
}

// TestSinkChecksTheStream: the counting actor reports a message out of
// sequence or of the wrong size.
func TestSinkChecksTheStream(t *testing.T) {
	s := &sink{want: 3, size: 4}
	for _, tc := range []struct {
		msg any
		ok  bool
	}{{[]byte("abcd"), true}, {[]byte("abc"), false}, {Tick{Seq: 3}, true}, {Tick{Seq: 5}, false}, {"text", false}} {
		s.n++
		if err := s.check(tc.msg); (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrBadStream)) {
			t.Errorf("message %d %#v: %v, want ok=%v", s.n, tc.msg, err, tc.ok)
		}
	}
}
