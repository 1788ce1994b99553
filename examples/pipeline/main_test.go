package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strconv"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	workerLine = regexp.MustCompile(`(?m)^\s+(worker-\d+)\s+(loop|handler)\s+tasks=(\d+)`)
	totalsLine = regexp.MustCompile(`(?m)^results=(\d+) distinct=(\d+) duplicates=(\d+) unknown=(\d+)$`)
)

func testConfig() config {
	cfg := defaultConfig()
	cfg.tasks, cfg.workers, cfg.min, cfg.max = 40, 3, 0, 2*time.Millisecond
	return cfg
}

func runOK(t *testing.T, cfg config) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, cfg); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	return out.String()
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Every task is done exactly once, and round robin gives each worker its
// share to within one task.
func TestRunEveryTaskOnce(t *testing.T) {
	for _, form := range []string{"loop", "handler", "mixed"} {
		t.Run(form, func(t *testing.T) {
			cfg := testConfig()
			cfg.form = form
			out := runOK(t, cfg)
			lines := workerLine.FindAllStringSubmatch(out, -1)
			if len(lines) != cfg.workers {
				t.Fatalf("want %d worker lines, got %d:\n%s", cfg.workers, len(lines), out)
			}
			sum := 0
			for i, l := range lines {
				n := atoi(t, l[3])
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
			if atoi(t, m[1]) != cfg.tasks || atoi(t, m[2]) != cfg.tasks || m[3] != "0" || m[4] != "0" {
				t.Errorf("totals %q, want %d results, all distinct", m[0], cfg.tasks)
			}
		})
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
	for _, args := range [][]string{
		{"-workers", "0"}, {"-tasks", "0"}, {"-dist", "normal"}, {"-form", "actor"},
		{"-min", "5ms", "-max", "1ms"}, {"-hwm", "0"},
	} {
		if _, err := parseFlags(args, io.Discard); !errors.Is(err, errConfig) {
			t.Errorf("%v: err = %v, want errConfig", args, err)
		}
	}
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
	runOK(t, cfg)
}
