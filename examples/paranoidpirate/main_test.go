package main

import (
	"io"
	"regexp"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/runtest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	answeredLine = regexp.MustCompile(`(?m)^answered=(\d+) of (\d+) wrong=(\d+) twice=(\d+) exactly-once=(?:yes|no)$`)
	queueLine    = regexp.MustCompile(`(?m)^queue: dispatched=(\d+) requeued=(\d+) expired=(\d+) joined=(\d+) stray=(\d+) duplicates=(\d+) `)
	hangLine     = regexp.MustCompile(`(?m): hangs on request (\d+)$`)
)

// Killing a worker that holds a task loses nothing: the queue expires it
// and hands the task to another worker; every request is answered once.
func TestRunKilledWorkerLosesNothing(t *testing.T) {
	cfg := config{clients: 3, requests: 10, workers: 3, cost: time.Millisecond,
		interval: 20 * time.Millisecond, liveness: 3, killAt: 3}
	out := runtest.OK(t, run, cfg)
	a := runtest.Ints(t, answeredLine, out)
	total := cfg.clients * cfg.requests
	if a[0] != total || a[1] != total || a[2] != 0 || a[3] != 0 || !regexp.MustCompile(`exactly-once=yes`).MatchString(out) {
		t.Errorf("answered %v, want all %d exactly once:\n%s", a, total, out)
	}
	q := runtest.Ints(t, queueLine, out)
	dispatched, requeued, expired, joined, duplicates := q[0], q[1], q[2], q[3], q[5]
	if requeued < 1 || expired < 1 || duplicates != 0 || dispatched != total+requeued {
		t.Errorf("dispatched=%d requeued=%d expired=%d duplicates=%d; want the hung task requeued once at least:\n%s",
			dispatched, requeued, expired, duplicates, out)
	}
	if joined < cfg.workers+1 {
		t.Errorf("joined=%d, want the %d workers and the replacement", joined, cfg.workers)
	}
	hung := runtest.Ints(t, hangLine, out)[0]
	if !regexp.MustCompile(`(?m)queue: expired \S+, requeued request ` + strconv.Itoa(hung) + `$`).MatchString(out) {
		t.Errorf("request %d, held by the killed worker, was not requeued:\n%s", hung, out)
	}
}

// Without a kill the queue still answers everything exactly once.
func TestRunNoKill(t *testing.T) {
	cfg := config{clients: 2, requests: 10, workers: 2, cost: time.Millisecond,
		interval: 50 * time.Millisecond, liveness: 3}
	out := runtest.OK(t, run, cfg)
	if !regexp.MustCompile(`exactly-once=yes`).MatchString(out) || hangLine.MatchString(out) {
		t.Errorf("want every request answered once and no hang:\n%s", out)
	}
}

// A worker that hears nothing from its queue for liveness intervals
// reconnects (sends READY again) after a delay that doubles each time, up
// to its cap: 1 s, 2 s, 4 s, 4 s with these settings.
func TestWorkerReconnectBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := actor.NewSystem()
		readies := make(chan time.Duration, 16)
		start := time.Now()
		silent, err := sys.Spawn(t.Context(), actor.Func(func(p *actor.Process) error {
			if _, ok := p.Message().(ready); ok {
				readies <- time.Since(start)
			}
			return nil
		}), actor.WithName("silent-queue"))
		if err != nil {
			t.Fatal(err)
		}
		spec := workerSpec{name: "w", queue: silent, interval: time.Second, liveness: 3,
			maxReconnect: 4 * time.Second, log: func(string, ...any) {}}
		if _, err := sys.Spawn(t.Context(), spec.behavior()); err != nil {
			t.Fatal(err)
		}
		var at []time.Duration
		for len(at) < 5 {
			at = append(at, <-readies)
		}
		// READY at 0; silence is noticed after 3 ticks, then the delay.
		want := []time.Duration{0, 4 * time.Second, 9 * time.Second, 16 * time.Second, 23 * time.Second}
		for i := range want {
			if at[i] != want[i] {
				t.Errorf("READY %d at %v, want %v (all: %v)", i, at[i], want[i], at)
			}
		}
		if err := sys.Shutdown(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-workers", "5", "-interval", "1s", "-kill-at", "0"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.workers != 5 || cfg.interval != time.Second || cfg.killAt != 0 {
		t.Errorf("parsed %+v", cfg)
	}
	runtest.Refused(t, parseFlags, errConfig, [][]string{
		{"-workers", "0"}, {"-workers", "1"}, {"-interval", "0s"}, {"-liveness", "0"},
		{"-kill-at", "-1"}, {"-cost", "-1ms"}, {"-clients", "0"},
	})
}
