package main

import (
	"errors"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/troupe-go/troupe/examples/internal/runtest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	sinkTotals  = regexp.MustCompile(`(?m)^sink: received=(\d+) distinct=(\d+)$`)
	sinkWorker  = regexp.MustCompile(`(?m)^sink: (worker-\d+)=(\d+)$`)
	goWorker    = regexp.MustCompile(`(?m)^\s+(worker-\d+)\s+tasks=(\d+) bad=(\d+)$`)
	socketsLine = regexp.MustCompile(`(?m)^\s+sockets: pulled=(\d+) pushed=(\d+) dropped=(\d+)$`)
	ventLine    = regexp.MustCompile(`(?m)^ventilator: sent (\d+) tasks`)
)

// requirePyzmq fails (never skips) when pyzmq is missing, saying how to
// install it.
func requirePyzmq(t *testing.T) {
	t.Helper()
	if out, err := exec.Command(DefaultPython, "-c", "import zmq").CombinedOutput(); err != nil {
		t.Fatalf("run make test (installs python3-zmq): %s -c 'import zmq': %v %s", DefaultPython, err, out)
	}
}

// Every task goes from the Python ventilator through a Go worker to the
// Python sink exactly once, and libzmq's round robin gives each worker
// its share to within one.
func TestPolyglot(t *testing.T) {
	requirePyzmq(t)
	cfg := defaultConfig()
	cfg.tasks, cfg.workers = 61, 3
	out := runtest.OK(t, run, cfg)
	if n := runtest.Ints(t, ventLine, out)[0]; n != cfg.tasks {
		t.Errorf("ventilator sent %d tasks", n)
	}
	totals := runtest.Ints(t, sinkTotals, out)
	if totals[0] != cfg.tasks || totals[1] != cfg.tasks {
		t.Errorf("sink received %d results for %d distinct tasks, want %d", totals[0], totals[1], cfg.tasks)
	}
	bySink := map[string]int{}
	for _, m := range sinkWorker.FindAllStringSubmatch(out, -1) {
		bySink[m[1]] = runtest.Atoi(t, m[2])
	}
	goLines := goWorker.FindAllStringSubmatch(out, -1)
	if len(goLines) != cfg.workers || len(bySink) != cfg.workers {
		t.Fatalf("want %d workers on both sides, got %d (Go) and %d (sink):\n%s", cfg.workers, len(goLines), len(bySink), out)
	}
	for _, m := range goLines {
		done, bad := runtest.Atoi(t, m[2]), runtest.Atoi(t, m[3])
		if share := cfg.tasks / cfg.workers; done < share || done > share+1 {
			t.Errorf("%s did %d tasks, round robin gives %d or %d", m[1], done, share, share+1)
		}
		if bySink[m[1]] != done || bad != 0 {
			t.Errorf("%s: did %d tasks (%d bad), the sink got %d of its results", m[1], done, bad, bySink[m[1]])
		}
	}
	s := runtest.Ints(t, socketsLine, out)
	if s[0] != cfg.tasks || s[1] != cfg.tasks || s[2] != 0 {
		t.Errorf("sockets: pulled %d, pushed %d, dropped %d; want %d, %d, 0", s[0], s[1], s[2], cfg.tasks, cfg.tasks)
	}
}

// Without pyzmq the example fails with instructions, not a stack trace.
func TestMissingPyzmq(t *testing.T) {
	cfg := defaultConfig()
	cfg.python = "/nonexistent/python3"
	_, err := runtest.Output(t, run, cfg)
	if !errors.Is(err, errNoPyzmq) || !strings.Contains(err.Error(), "apt-get install python3-zmq") {
		t.Fatalf("error %v: want errNoPyzmq with install instructions", err)
	}
}

func TestBadFlags(t *testing.T) {
	runtest.Refused(t, parseFlags, errConfig, [][]string{{"-tasks", "0"}, {"-workers", "0"}})
}
