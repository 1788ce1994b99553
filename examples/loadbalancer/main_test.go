package main

import (
	"io"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/troupe-go/troupe/examples/internal/runtest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	workerLine = regexp.MustCompile(`(?m)^\s+(worker-\d+)\s+cost=\S+\s+jobs=(\d+)`)
	totalLine  = regexp.MustCompile(`(?m)^answered=(\d+) of (\d+) wrong=(\d+) forwarded=(\d+) overbooked=(\d+) stray-replies=(\d+) `)
	frontLine  = regexp.MustCompile(`(?m)requests waiting in the frontend: max (\d+) \(HWM (\d+)\)$`)
)

// The fast worker does more than the slow one, every request is answered
// once, and the broker never gives a job to a busy worker.
func TestRunFastWorkerDoesMore(t *testing.T) {
	cfg := config{clients: 6, requests: 10, speeds: []int{1, 4, 1}, cost: 2 * time.Millisecond, hwm: 16}
	out := runtest.OK(t, run, cfg)
	lines := workerLine.FindAllStringSubmatch(out, -1)
	if len(lines) != len(cfg.speeds) {
		t.Fatalf("want %d worker lines:\n%s", len(cfg.speeds), out)
	}
	jobs, sum := []int{}, 0
	for _, l := range lines {
		jobs = append(jobs, runtest.Atoi(t, l[2]))
		sum += jobs[len(jobs)-1]
	}
	total := cfg.clients * cfg.requests
	if sum != total {
		t.Errorf("workers did %d jobs, want %d", sum, total)
	}
	if jobs[0] <= jobs[1] || jobs[2] <= jobs[1] {
		t.Errorf("fast workers did %d and %d jobs, the 4x slower one %d: want the fast ones to do more\n%s", jobs[0], jobs[2], jobs[1], out)
	}
	m := totalLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no totals line:\n%s", out)
	}
	want := []int{total, total, 0, total, 0, 0}
	var got []int
	for _, s := range m[1:] {
		got = append(got, runtest.Atoi(t, s))
	}
	if !slices.Equal(got, want) {
		t.Errorf("answered, of, wrong, forwarded, overbooked, stray = %v, want %v", got, want)
	}
}

// With a tiny frontend HWM, clients wait for room (backpressure) and
// nothing is lost; the queue never grows past the HWM.
func TestRunSmallFrontend(t *testing.T) {
	cfg := config{clients: 8, requests: 5, speeds: []int{1, 2}, cost: time.Millisecond, hwm: 2}
	out := runtest.OK(t, run, cfg)
	m := frontLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no frontend line:\n%s", out)
	}
	if max, hwm := runtest.Atoi(t, m[1]), runtest.Atoi(t, m[2]); hwm != 2 || max > hwm {
		t.Errorf("frontend max depth %d, HWM %d", max, hwm)
	}
	if tl := totalLine.FindStringSubmatch(out); tl == nil || tl[1] != strconv.Itoa(cfg.clients*cfg.requests) {
		t.Errorf("not every request answered:\n%s", out)
	}
}

func TestFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-speeds", "1, 3,5", "-clients", "4"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.speeds, []int{1, 3, 5}) || cfg.clients != 4 {
		t.Errorf("parsed %+v", cfg)
	}
	runtest.Refused(t, parseFlags, errConfig, [][]string{
		{"-speeds", "1,x"}, {"-speeds", "0"}, {"-speeds", ""}, {"-clients", "0"}, {"-cost", "0s"}, {"-hwm", "0"},
	})
}
