package main

import (
	"io"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/troupe-go/troupe/examples/internal/runtest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	fastLine   = regexp.MustCompile(`(?m)^\s+fast: received=(\d+) max-lag=\S+ max-depth=(\d+) dropped=(\d+)$`)
	eventLine  = regexp.MustCompile(`(?m)^\s+event: SlowConsumer\{Ref: snail/slow#[0-9a-f]+, Reason: (.*)\}$`)
	mboxLine   = regexp.MustCompile(`(?m)^\s+slow mailbox at the stop: depth=(\d+) max-depth=(\d+) capacity=(\d+) dropped=(\d+)$`)
	deadLine   = regexp.MustCompile(`(?m)^\s+dead letters: dropped=(\d+) .* stopped=(\d+) `)
	childLine  = regexp.MustCompile(`(?m)^\s+child (fast|slow): (\w+)$`)
	policyLine = regexp.MustCompile(`(?m)^\s+(block|drop-newest|drop-oldest|fail)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.+)$`)
	delayAge   = regexp.MustCompile(`oldest message queued for (\S+) \(max (\S+)\)`)
)

func testConfig() config {
	cfg := defaultConfig()
	cfg.ticks, cfg.maxDelay = 600, 150*time.Millisecond
	return cfg
}

// checkCommon checks what holds whichever limit stops the slow consumer:
// the fast one got every tick and lost nothing, the slow one is left
// stopped, the fast one still runs.
func checkCommon(t *testing.T, cfg config, out string) {
	t.Helper()
	f := fastLine.FindStringSubmatch(out)
	if f == nil {
		t.Fatalf("no fast line:\n%s", out)
	}
	if runtest.Atoi(t, f[1]) != cfg.ticks || f[3] != "0" || runtest.Atoi(t, f[2]) > cfg.hwm {
		t.Errorf("fast consumer %q: want all %d ticks, nothing dropped", f[0], cfg.ticks)
	}
	states := map[string]string{}
	for _, m := range childLine.FindAllStringSubmatch(out, -1) {
		states[m[1]] = m[2]
	}
	if states["fast"] != "running" || states["slow"] != "removed" {
		t.Errorf("children %v: want fast running, slow removed", states)
	}
}

// With a mailbox large enough, the slow consumer is stopped for the age
// of its oldest tick, just past MaxDelay, with its mailbox below the HWM
// and nothing dropped.
// The same run shows the policy tour.
func TestRunSnailDelayAndPolicies(t *testing.T) {
	cfg := testConfig()
	out := runtest.OK(t, run, cfg)
	checkCommon(t, cfg, out)
	checkPolicies(t, cfg, out)
	ev := eventLine.FindStringSubmatch(out)
	if ev == nil {
		t.Fatalf("no SlowConsumer event:\n%s", out)
	}
	age := delayAge.FindStringSubmatch(ev[1])
	if age == nil {
		t.Fatalf("event reason %q is not the delay limit", ev[1])
	}
	got, err := time.ParseDuration(age[1])
	if err != nil {
		t.Fatal(err)
	}
	if got <= cfg.maxDelay || got > cfg.maxDelay+100*time.Millisecond {
		t.Errorf("stopped when the oldest tick had waited %v; want just past MaxDelay %v", got, cfg.maxDelay)
	}
	mb := mboxLine.FindStringSubmatch(out)
	if mb == nil {
		t.Fatalf("no mailbox line:\n%s", out)
	}
	if depth, maxDepth, capacity, dropped := runtest.Atoi(t, mb[1]), runtest.Atoi(t, mb[2]), runtest.Atoi(t, mb[3]), mb[4]; depth == 0 ||
		maxDepth > capacity || capacity != cfg.hwm || dropped != "0" {
		t.Errorf("slow mailbox %q: want a backlog within the HWM %d and no drops", mb[0], cfg.hwm)
	}
}

// With a small mailbox the slow consumer's ticks are dropped at the HWM,
// it finds a gap in their numbers and is stopped for it; the drops are
// counted as dead letters.
func TestRunSnailGap(t *testing.T) {
	cfg := testConfig()
	cfg.hwm = 30
	out := runtest.OK(t, run, cfg)
	checkCommon(t, cfg, out)
	ev := eventLine.FindStringSubmatch(out)
	if ev == nil || !regexp.MustCompile(`sequence gap: expected \d+, got \d+`).MatchString(ev[1]) {
		t.Fatalf("want a SlowConsumer event for a sequence gap:\n%s", out)
	}
	if d := deadLine.FindStringSubmatch(out); d == nil || runtest.Atoi(t, d[1]) == 0 {
		t.Errorf("want dropped ticks counted as dead letters:\n%s", out)
	}
}

// checkPolicies checks that each policy did with the same burst what it
// promises, exactly.
func checkPolicies(t *testing.T, cfg config, out string) {
	t.Helper()
	c, n := cfg.policyHWM, cfg.burst
	over := strconv.Itoa(n - c)
	first := "1.." + strconv.Itoa(c)
	last := strconv.Itoa(n-c+1) + ".." + strconv.Itoa(n)
	// policy: send-errors posted dropped evicted rejected received kept dead-letters
	want := map[string][]string{
		"block":       {over, strconv.Itoa(c), "0", "0", over, strconv.Itoa(c), first, "timeout:" + over},
		"drop-newest": {"0", strconv.Itoa(c), over, "0", "0", strconv.Itoa(c), first, "dropped:" + over},
		"drop-oldest": {"0", strconv.Itoa(n), "0", over, "0", strconv.Itoa(c), last, "dropped:" + over},
		"fail":        {over, strconv.Itoa(c), "0", "0", over, strconv.Itoa(c), first, "full:" + over},
	}
	rows := policyLine.FindAllStringSubmatch(out, -1)
	if len(rows) != len(want) {
		t.Fatalf("want %d policy rows:\n%s", len(want), out)
	}
	for _, r := range rows {
		w := want[r[1]]
		for i, v := range w {
			if r[i+2] != v {
				t.Errorf("%s: column %d = %q, want %q (row %q)", r[1], i+2, r[i+2], v, r[0])
			}
		}
	}
}

func TestFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-hwm", "50", "-max-delay", "1s", "-ticks", "100"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.hwm != 50 || cfg.maxDelay != time.Second || cfg.ticks != 100 {
		t.Errorf("parsed %+v", cfg)
	}
	runtest.Refused(t, parseFlags, errConfig, [][]string{
		{"-ticks", "0"}, {"-interval", "0s"}, {"-max-delay", "0s"}, {"-slow-cost", "1ms"},
		{"-hwm", "0"}, {"-policy-hwm", "0"}, {"-burst", "0"}, {"-block-wait", "0s"},
	})
}
