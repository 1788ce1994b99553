package cli_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type config struct {
	n       int
	verbose bool
}

func parse(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := cli.NewFlagSet("test", stderr, &cfg.verbose)
	fs.IntVar(&cfg.n, "n", 1, "a number")
	err := fs.Parse(args)
	return cfg, err
}

var errRun = errors.New("test: run failed")

// Run returns the exit code for each outcome, runs only with good flags,
// and bounds the run by the limit.
func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		runErr     error
		code       int
		out, inErr string
	}{
		{"ok", []string{"-n", "3", "-v"}, nil, cli.ExitOK, "n=3 verbose=true\n", ""},
		{"run fails", nil, errRun, cli.ExitFailed, "n=1 verbose=false\n", "test: run failed\n"},
		{"bad flag", []string{"-n", "x"}, nil, cli.ExitUsage, "", "invalid value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli.Run(tc.args, &stdout, &stderr, time.Hour, parse, func(ctx context.Context, w io.Writer, cfg config) error {
				if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > time.Hour {
					t.Errorf("deadline %v, %v: want one within the limit", dl, ok)
				}
				_, err := fmt.Fprintf(w, "n=%d verbose=%v\n", cfg.n, cfg.verbose)
				return errors.Join(err, tc.runErr)
			})
			if code != tc.code || stdout.String() != tc.out || !strings.Contains(stderr.String(), tc.inErr) {
				t.Errorf("code %d, stdout %q, stderr %q; want %d, %q, one containing %q",
					code, stdout.String(), stderr.String(), tc.code, tc.out, tc.inErr)
			}
		})
	}
}

// The flag set returns errors instead of exiting, and reports to stderr.
func TestNewFlagSet(t *testing.T) {
	var stderr bytes.Buffer
	verbose := false
	fs := cli.NewFlagSet("x", &stderr, &verbose)
	if fs.ErrorHandling() != flag.ContinueOnError || fs.Name() != "x" {
		t.Errorf("handling %v, name %q", fs.ErrorHandling(), fs.Name())
	}
	if err := fs.Parse([]string{"-v"}); err != nil || !verbose {
		t.Errorf("-v: err %v, verbose %v", err, verbose)
	}
	if err := fs.Parse([]string{"-nosuch"}); err == nil || !strings.Contains(stderr.String(), "-nosuch") {
		t.Errorf("unknown flag: err %v, stderr %q", err, stderr.String())
	}
}

func TestLogger(t *testing.T) {
	ctx := t.Context()
	if cli.Logger(false).Enabled(ctx, slog.LevelError) {
		t.Error("quiet logger enabled at error level")
	}
	if !cli.Logger(true).Enabled(ctx, slog.LevelDebug) {
		t.Error("verbose logger not enabled at debug level")
	}
}

func TestShutdown(t *testing.T) {
	sys := actor.NewSystem()
	if _, err := sys.Spawn(t.Context(), actor.Func(func(*actor.Process) error { return nil })); err != nil {
		t.Fatal(err)
	}
	if err := cli.Shutdown(sys, "test"); err != nil {
		t.Errorf("Shutdown = %v", err)
	}
}

func TestWait(t *testing.T) {
	done := make(chan struct{})
	close(done)
	if err := cli.Wait(t.Context(), done, "test", "done"); err != nil {
		t.Errorf("closed channel: %v", err)
	}
	cause := errors.New("gave up")
	ctx, cancel := context.WithCancelCause(t.Context())
	cancel(cause)
	err := cli.Wait(ctx, make(chan struct{}), "test", "nothing")
	if !errors.Is(err, cause) || err.Error() != "test: waiting for nothing: gave up" {
		t.Errorf("ended context: %v", err)
	}
}

// SimulateWork takes its time, or gives up with the context.
func TestSimulateWork(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		if err := cli.SimulateWork(t.Context(), 3*time.Second); err != nil || time.Since(start) != 3*time.Second {
			t.Errorf("err %v after %v, want nil after 3s", err, time.Since(start))
		}
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start = time.Now()
		if err := cli.SimulateWork(ctx, time.Minute); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != time.Second {
			t.Errorf("err %v after %v, want the deadline after 1s", err, time.Since(start))
		}
	})
}
