package main

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/child"
	"github.com/troupe-go/troupe/examples/internal/runtest"

	"go.uber.org/goleak"
)

// TestMain runs the tests, or, when the distributed test starts this
// binary again as a worker process, that worker.
func TestMain(m *testing.M) {
	child.Run(childFlag, workerProcess)
	goleak.VerifyTestMain(m)
}

var (
	workerLine = regexp.MustCompile(`(?m)^\s+(worker-\d+)\s+(loop|handler)\s+tasks=(\d+)`)
	totalsLine = regexp.MustCompile(`(?m)^results=(\d+) distinct=(\d+) duplicates=(\d+) unknown=(\d+)$`)
)

func testConfig() config {
	cfg := defaultConfig()
	cfg.tasks, cfg.workers, cfg.min, cfg.max = 40, 3, 0, 2*time.Millisecond
	return cfg
}

// Every task is done exactly once, and round robin gives each worker its
// share to within one task.
func TestRunEveryTaskOnce(t *testing.T) {
	for _, form := range []string{"loop", "handler", "mixed"} {
		t.Run(form, func(t *testing.T) {
			cfg := testConfig()
			cfg.form = form
			out := runtest.OK(t, run, cfg)
			lines := workerLine.FindAllStringSubmatch(out, -1)
			if len(lines) != cfg.workers {
				t.Fatalf("want %d worker lines, got %d:\n%s", cfg.workers, len(lines), out)
			}
			sum := 0
			for i, l := range lines {
				n := runtest.Atoi(t, l[3])
				sum += n
				if share := cfg.tasks / cfg.workers; n < share || n > share+1 {
					t.Errorf("%s did %d tasks, round robin gives %d or %d", l[1], n, share, share+1)
				}
				if want := map[bool]string{true: "loop", false: "handler"}[i%2 == 0]; form == "mixed" && l[2] != want {
					t.Errorf("%s is %s, want %s", l[1], l[2], want)
				} else if form != "mixed" && l[2] != form {
					t.Errorf("%s is %s, want %s", l[1], l[2], form)
				}
			}
			if sum != cfg.tasks {
				t.Errorf("workers did %d tasks in all, want %d", sum, cfg.tasks)
			}
			m := totalsLine.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("no totals line:\n%s", out)
			}
			if runtest.Atoi(t, m[1]) != cfg.tasks || runtest.Atoi(t, m[2]) != cfg.tasks || m[3] != "0" || m[4] != "0" {
				t.Errorf("totals %q, want %d results, all distinct", m[0], cfg.tasks)
			}
		})
	}
}

// With -distributed each worker runs in a process of its own, spawned
// there remotely, and the batch adds up just the same.
func TestRunDistributed(t *testing.T) {
	cfg := testConfig()
	cfg.distributed = true
	out := runtest.OK(t, run, cfg)
	if !regexp.MustCompile(`(?m)^pipeline: .* 3 workers each in its own process, sink at tcp://127\.0\.0\.1:\d+,`).MatchString(out) {
		t.Errorf("no distributed header:\n%s", out)
	}
	nodes := regexp.MustCompile(`(?m)^\s+worker-\d+ .* node=(tcp://127\.0\.0\.1:\d+)$`).FindAllStringSubmatch(out, -1)
	seen := map[string]bool{}
	for _, n := range nodes {
		seen[n[1]] = true
	}
	if len(nodes) != cfg.workers || len(seen) != cfg.workers {
		t.Errorf("want %d workers on %d distinct nodes, got %v:\n%s", cfg.workers, cfg.workers, nodes, out)
	}
	m := totalsLine.FindStringSubmatch(out)
	if m == nil || runtest.Atoi(t, m[1]) != cfg.tasks || runtest.Atoi(t, m[2]) != cfg.tasks || m[3] != "0" || m[4] != "0" {
		t.Errorf("totals %v, want %d results, all distinct:\n%s", m, cfg.tasks, out)
	}
}

// A worker that stops before the batch is done fails it at once: the sink
// does not wait for results that cannot come.
func TestSinkWorkerStops(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	sys := actor.NewSystem()
	defer func() {
		if err := sys.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	}()
	sink, err := sys.Spawn(ctx, sinkBehavior())
	if err != nil {
		t.Fatal(err)
	}
	worker, err := sys.Spawn(ctx, actor.Func(func(*actor.Process) error { return nil }), actor.WithName("worker-1"))
	if err != nil {
		t.Fatal(err)
	}
	tasks := []task{{ID: 1, Cost: time.Millisecond}, {ID: 2, Cost: time.Millisecond}}
	for _, msg := range []any{watchWorkers{Refs: []actor.Ref{worker}}, batch{Tasks: 2, Cost: 2 * time.Millisecond},
		result{TaskID: 1, Worker: "worker-1", Cost: time.Millisecond}} {
		if err := sys.Send(ctx, sink, msg); err != nil {
			t.Fatal(err)
		}
	}
	if err := sys.Stop(ctx, worker); err != nil {
		t.Fatal(err)
	}
	v, err := sys.Request(ctx, sink, awaitReport{})
	if err != nil {
		t.Fatal(err)
	}
	rep := v.(report)
	if err := rep.check(tasks); !errors.Is(err, errIncomplete) || !strings.Contains(err.Error(), "worker-1") {
		t.Errorf("check = %v, want errIncomplete naming worker-1", err)
	}
}

// The sink's check fails a batch with a duplicate or a missing task.
func TestReportCheck(t *testing.T) {
	tasks := []task{{ID: 1, Cost: time.Millisecond}, {ID: 2, Cost: 2 * time.Millisecond}}
	good := report{Results: 2, CostSum: 3 * time.Millisecond}
	if err := good.check(tasks); err != nil {
		t.Fatalf("good report: %v", err)
	}
	for name, r := range map[string]report{
		"missing":   {Results: 1, CostSum: time.Millisecond},
		"duplicate": {Results: 2, Duplicates: 1, CostSum: 2 * time.Millisecond},
		"unknown":   {Results: 2, Unknown: 1, CostSum: 3 * time.Millisecond},
	} {
		if err := r.check(tasks); !errors.Is(err, errIncomplete) {
			t.Errorf("%s: check = %v, want errIncomplete", name, err)
		}
	}
}

func TestFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-tasks", "7", "-workers", "2", "-dist", "exp", "-form", "loop"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.tasks != 7 || cfg.workers != 2 || cfg.dist != "exp" || cfg.form != "loop" {
		t.Errorf("parsed %+v", cfg)
	}
	runtest.Refused(t, parseFlags, errConfig, [][]string{
		{"-workers", "0"}, {"-tasks", "0"}, {"-dist", "normal"}, {"-form", "actor"},
		{"-min", "5ms", "-max", "1ms"}, {"-hwm", "0"}, {"-distributed", "-workers", "0"},
	})
}

// Exponential costs stay within their cap and the batch still adds up.
func TestExpCosts(t *testing.T) {
	cfg := testConfig()
	cfg.dist = "exp"
	for _, tk := range makeTasks(cfg) {
		if tk.Cost < cfg.min || tk.Cost > 10*cfg.max {
			t.Fatalf("task %d cost %v outside [%v, %v]", tk.ID, tk.Cost, cfg.min, 10*cfg.max)
		}
	}
	runtest.OK(t, run, cfg)
}
