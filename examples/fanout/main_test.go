package main

import (
	"errors"
	"io"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/troupe-go/troupe/examples/internal/runtest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func testConfig() config {
	cfg := defaultConfig()
	cfg.messages, cfg.perSource, cfg.joinAt, cfg.lateWant = 200, 50, 20, 20
	cfg.interval = 200 * time.Microsecond
	return cfg
}

var (
	filterLine = regexp.MustCompile(`(?m)^\s+filter-\d+\s+filter="([^"]*)"\s+received=(\d+)\s+expected=(\d+)\s+dropped=(\d+)`)
	fairLine   = regexp.MustCompile(`(?m)^\s+from pub-A=(\d+) from pub-B=(\d+) total=(\d+) out-of-order=(\d+)`)
	earlyLine  = regexp.MustCompile(`(?m)^\s+early saw (\d+)\.\.(\d+) \((\d+) messages, (\d+) gaps\)`)
	lateLine   = regexp.MustCompile(`(?m)^\s+late joined when the ticker was at (\d+), saw (\d+)\.\.(\d+) \((\d+) messages, (\d+) gaps\), missed (\d+)`)
	totalLine  = regexp.MustCompile(`(?m)^late joiner: the ticker published (\d+) messages`)
)

func TestRun(t *testing.T) {
	cfg := testConfig()
	out := runtest.OK(t, run, cfg)

	// Each filter gets exactly its topics; the disjoint filters add up to
	// the catch-all one.
	got := map[string]int{}
	for _, m := range filterLine.FindAllStringSubmatch(out, -1) {
		if m[2] != m[3] || m[4] != "0" {
			t.Errorf("filter %q: received %s, expected %s, dropped %s", m[1], m[2], m[3], m[4])
		}
		got[m[1]], _ = strconv.Atoi(m[2])
	}
	if len(got) != len(filters) {
		t.Fatalf("want %d filter lines, got %d:\n%s", len(filters), len(got), out)
	}
	if got[""] != cfg.messages {
		t.Errorf(`filter "" received %d, want all %d`, got[""], cfg.messages)
	}
	if sum := got["weather."] + got["sport."] + got["news"]; sum != got[""] {
		t.Errorf("disjoint filters add up to %d, want %d", sum, got[""])
	}
	if got["weather.l"] > got["weather."] || got["stocks."] != 0 {
		t.Errorf("narrower filter got more, or stocks got something: %v", got)
	}

	// Both fair-queued streams arrive whole and in order.
	f := runtest.Ints(t, fairLine, out)
	if f[0] != cfg.perSource || f[1] != cfg.perSource || f[2] != 2*cfg.perSource || f[3] != 0 {
		t.Errorf("fair queuing: A=%d B=%d total=%d out-of-order=%d, want %d each in order", f[0], f[1], f[2], f[3], cfg.perSource)
	}

	// The late joiner missed the start and saw everything after it joined.
	total := runtest.Ints(t, totalLine, out)[0]
	e := runtest.Ints(t, earlyLine, out)
	if e[0] != 1 || e[1] != total || e[2] != total || e[3] != 0 {
		t.Errorf("early saw %d..%d (%d, gaps %d), want 1..%d", e[0], e[1], e[2], e[3], total)
	}
	l := runtest.Ints(t, lateLine, out)
	joined, first, last, count, gaps, missed := l[0], l[1], l[2], l[3], l[4], l[5]
	// joined may lag one behind what the early subscriber saw: the ticker
	// stores its count after Publish returns. The late joiner cannot see
	// the joinAt-th tick, published before it subscribed, nor miss any
	// tick from joined+2 on.
	if joined < cfg.joinAt-1 || first <= cfg.joinAt || first > joined+2 {
		t.Errorf("late joined at %d and first saw %d; want first in (%d, %d]", joined, first, cfg.joinAt, joined+2)
	}
	if last != total || count != last-first+1 || gaps != 0 || missed != first-1 || count < cfg.lateWant {
		t.Errorf("late saw %d..%d (%d, gaps %d, missed %d) of %d", first, last, count, gaps, missed, total)
	}
	if !regexp.MustCompile(`(?m)^dead letters=0$`).MatchString(out) {
		t.Errorf("want no dead letters:\n%s", out)
	}
}

// A subscriber whose mailbox is too small loses publications (the
// publisher never waits), and the run says so instead of passing: every
// publication is either received or counted as dropped.
func TestRunSmallHWMLoses(t *testing.T) {
	cfg := testConfig()
	cfg.hwm = 1
	cfg.messages = 2000
	out, err := runtest.Output(t, run, cfg)
	if !errors.Is(err, errMismatch) {
		t.Fatalf("run with hwm 1: err = %v, want errMismatch\n%s", err, out)
	}
	lines := filterLine.FindAllStringSubmatch(out, -1)
	if len(lines) != len(filters) {
		t.Fatalf("want %d filter lines:\n%s", len(filters), out)
	}
	dropped := 0
	for _, m := range lines {
		got, _ := strconv.Atoi(m[2])
		want, _ := strconv.Atoi(m[3])
		lost, _ := strconv.Atoi(m[4])
		if got+lost != want {
			t.Errorf("filter %q: received %d + dropped %d != expected %d", m[1], got, lost, want)
		}
		dropped += lost
	}
	if dropped == 0 {
		t.Errorf("a 1-message HWM dropped nothing:\n%s", out)
	}
}

func TestFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-messages", "9", "-subscribers", "2", "-interval", "1ms"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.messages != 9 || cfg.subscribers != 2 || cfg.interval != time.Millisecond {
		t.Errorf("parsed %+v", cfg)
	}
	runtest.Refused(t, parseFlags, errConfig, [][]string{
		{"-messages", "0"}, {"-subscribers", "7"}, {"-subscribers", "0"}, {"-join-at", "0"},
		{"-interval", "0s"}, {"-hwm", "0"}, {"-per-source", "-1"},
	})
}
