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
	clientLine = regexp.MustCompile(`(?m)^client: ok=(\d+) timeouts=(\d+) (all \d+ requests answered|abandoned at request (\d+))$`)
	serverLine = regexp.MustCompile(`(?m)^server: received=(\d+) ok=(\d+) stalls=(\d+) crashes=(\d+); late replies \(dead letters\)=(\d+)$`)
	goneLine   = regexp.MustCompile(`(?m)^server lp/srv/server is (still up|gone for good)$`)
)

// testScale makes the timeout 100 ms: short, and still far above the time
// a healthy server takes to answer.
const testScale = 0.04

type outcome struct {
	ok, timeouts, abandonedAt               int // abandonedAt 0: all answered
	received, served, stalls, crashes, late int
	gone                                    bool
}

func runOutcome(t *testing.T, cfg config) (outcome, string) {
	t.Helper()
	out := runtest.OK(t, run, cfg)
	c, s, g := clientLine.FindStringSubmatch(out), serverLine.FindStringSubmatch(out), goneLine.FindStringSubmatch(out)
	if c == nil || s == nil || g == nil {
		t.Fatalf("missing summary lines:\n%s", out)
	}
	n := func(s string) int {
		if s == "" {
			return 0
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	return outcome{
		ok: n(c[1]), timeouts: n(c[2]), abandonedAt: n(c[4]),
		received: n(s[1]), served: n(s[2]), stalls: n(s[3]), crashes: n(s[4]), late: n(s[5]),
		gone: g[1] == "gone for good",
	}, out
}

func planConfig(plan []action, requests int) config {
	cfg := defaultConfig()
	cfg.scale, cfg.plan, cfg.requests = testScale, plan, requests
	return cfg
}

// The guide's story, scripted: a stall and two crashes are survived by
// retrying; the third crash exceeds the supervisor's intensity, the server
// is gone for good, and the client gives up after its third attempt.
func TestRunServerGoneForGood(t *testing.T) {
	plan := []action{actOK, actOK, actStall, actOK, actCrash, actOK, actCrash, actOK, actCrash}
	got, out := runOutcome(t, planConfig(plan, 20))
	// Requests 1-5 are answered (3 after a stall, 4 and 5 after a crash);
	// request 6 crashes the server for good: 1 timeout + 2 attempts on
	// nobody. The stalled reply came too late: one dead letter.
	want := outcome{ok: 5, timeouts: 6, abandonedAt: 6, received: 9, served: 5, stalls: 1, crashes: 3, late: 1, gone: true}
	if got != want {
		t.Errorf("got  %+v\nwant %+v\n%s", got, want, out)
	}
	for _, line := range []string{
		`(?m)client: request 6: no response from server: nobody is registered as "lp/srv/server"; server seems to be offline, abandoning$`,
		`(?m)supervisor lp/srv: child server exited \(actor: panic: simulated crash on request 6\): escalate$`,
		`(?m)supervisor lp: child srv exited .*: none$`,
	} {
		if !regexp.MustCompile(line).MatchString(out) {
			t.Errorf("timeline lacks %s:\n%s", line, out)
		}
	}
}

// Crashes within the restart intensity cost one timeout each and nothing
// else: every request is answered and the server stays up.
func TestRunCrashesWithinIntensity(t *testing.T) {
	got, out := runOutcome(t, planConfig([]action{actCrash, actOK, actCrash}, 6))
	want := outcome{ok: 6, timeouts: 2, received: 8, served: 6, crashes: 2}
	if got != want {
		t.Errorf("got  %+v\nwant %+v\n%s", got, want, out)
	}
}

// The random server of the default run, at test speed: whatever happens,
// the accounts agree, and the client gives up only if the server is gone.
func TestRunRandom(t *testing.T) {
	cfg := defaultConfig()
	cfg.scale = testScale
	got, out := runOutcome(t, cfg)
	// Every reply, at once or after a stall, reached the client in time
	// or became a dead letter.
	if got.served+got.stalls != got.ok+got.late {
		t.Errorf("server answered %d at once and %d after a stall; client got %d, %d were late:\n%s",
			got.served, got.stalls, got.ok, got.late, out)
	}
	if (got.abandonedAt != 0) != got.gone || got.gone != (got.crashes > cfg.intensity) {
		t.Errorf("abandoned at %d, gone %v, crashes %d (intensity %d):\n%s", got.abandonedAt, got.gone, got.crashes, cfg.intensity, out)
	}
}

func TestFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-scale", "0.01", "-plan", "ok, stall,crash", "-retries", "5"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.scale != 0.01 || cfg.retries != 5 || !slices.Equal(cfg.plan, []action{actOK, actStall, actCrash}) {
		t.Errorf("parsed %+v", cfg)
	}
	if cfg.timeout() != 25*time.Millisecond || cfg.period() != 600*time.Millisecond {
		t.Errorf("scaled timeout %v, period %v", cfg.timeout(), cfg.period())
	}
	runtest.Refused(t, parseFlags, errConfig, [][]string{
		{"-scale", "0"}, {"-scale", "11"}, {"-retries", "0"}, {"-requests", "0"},
		{"-plan", "ok,explode"}, {"-intensity", "-1"}, {"-crash-odds", "-2"},
	})
}
