package testenv

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A Script is a Python script under the testdata directory of the package
// whose tests run it.
type Script struct {
	// Python runs the script; Run and Start fail the test unless it has
	// its modules.
	Python *Python
	// Name is the script's file name under testdata, as in "peer.py".
	Name string
	// Timeout bounds one run: the process is killed when it runs out.
	Timeout time.Duration
	// Wait bounds each wait of a Peer's Line and Exit (Run does not use
	// it).
	Wait time.Duration
}

// A Result is the outcome of one run of a script.
type Result struct {
	Lines  []string // stdout, line by line
	Stderr string
	Code   int // exit status; -1 if killed
}

// Run runs the script with args under PythonPath, bounded by s.Timeout
// (the process is killed then), and returns what it printed. It blocks
// until the process has exited. It fails the test if the script cannot be
// started or does not finish in time; a nonzero exit status is the
// caller's to judge.
func (s Script) Run(t testing.TB, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), s.Timeout)
	defer cancel()
	py := s.Python.Require(t)
	cmd := exec.CommandContext(ctx, py, append([]string{s.path(t)}, args...)...)
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	run := Result{Lines: strings.Split(strings.TrimSpace(stdout.String()), "\n"), Stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		run.Code = exit.ExitCode()
	default:
		t.Fatalf("run %s %v: %v", s.Name, args, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("%s %v did not finish within %v (killed); stdout:\n%s\nstderr:\n%s",
			s.Name, args, s.Timeout, stdout.String(), stderr.String())
	}
	return run
}

// path returns the script's absolute path.
func (s Script) path(t testing.TB) string {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("testdata", s.Name))
	if err != nil {
		t.Fatal(err)
	}
	return path
}
