package bysize_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/troupe-go/troupe/bench/bysize"
	"go.uber.org/goleak"
)

// peerEnv marks the test binary re-executed as a peer.
const peerEnv = "BYSIZE_TEST_PEER"

// TestMain runs the tests or, started by one of them, a peer.
func TestMain(m *testing.M) {
	bysize.RunPeer(peerEnv, "test", peerMain)
	goleak.VerifyTestMain(m)
}

// peerMain is the test peer: "listen" prints its address and holds on
// until released; anything else fails.
func peerMain(args []string, release io.Reader, stdout, _ io.Writer) error {
	if len(args) == 1 && args[0] == "listen" {
		fmt.Fprintln(stdout, "address tcp://127.0.0.1:1")
		_, err := io.Copy(io.Discard, release)
		return err
	}
	return fmt.Errorf("boom %v", args)
}

// spawn re-executes the test binary as a peer that exits at once when it
// is done (the race detector otherwise waits a second at exit).
func spawn(ctx context.Context, args []string) (*exec.Cmd, error) {
	cmd, err := bysize.SpawnSelf(peerEnv)(ctx, args)
	if err == nil {
		cmd.Env = append(cmd.Env, "GORACE=atexit_sleep_ms=0")
	}
	return cmd, err
}

// A peer that listens gives its address, runs until released, and ends
// cleanly when it is.
func TestPeerListens(t *testing.T) {
	t.Parallel()
	p, err := bysize.StartPeer(t.Context(), spawn, []string{"listen"})
	if err != nil {
		t.Fatal(err)
	}
	addr, err := p.Addr(t.Context())
	if err != nil || addr != "tcp://127.0.0.1:1" {
		t.Errorf("Addr = %q, %v", addr, err)
	}
	if err := p.Exited(); err != nil {
		t.Errorf("Exited before release = %v", err)
	}
	if err := p.Finish(); err != nil {
		t.Errorf("Finish = %v", err)
	}
	<-p.Done()
	if err := p.Exited(); !errors.Is(err, bysize.ErrPeerExited) {
		t.Errorf("Exited after release = %v", err)
	}
}

// A peer that fails is reported with its exit status and its stderr,
// whether the measuring side waits for its address or for its end.
func TestPeerFails(t *testing.T) {
	t.Parallel()
	p, err := bysize.StartPeer(t.Context(), spawn, []string{"fail"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Addr(t.Context())
	if !errors.Is(err, bysize.ErrPeerExited) || !strings.Contains(err.Error(), "exit status 1: test peer: boom [fail]") {
		t.Errorf("Addr = %v, want ErrPeerExited with the exit status and stderr", err)
	}
	if err := p.Finish(); err == nil || !strings.Contains(err.Error(), "peer failed: exit status 1: test peer: boom") {
		t.Errorf("Finish = %v", err)
	}
}

// Kill ends a peer that would wait for ever; Addr gives up with its
// context.
func TestPeerKill(t *testing.T) {
	t.Parallel()
	hold := func(ctx context.Context, _ []string) (*exec.Cmd, error) {
		return exec.CommandContext(ctx, "/bin/cat"), nil
	}
	p, err := bysize.StartPeer(t.Context(), hold, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(t.Context())
	cause := errors.New("given up")
	cancel(cause)
	if _, err := p.Addr(ctx); !errors.Is(err, cause) {
		t.Errorf("Addr with an ended context = %v", err)
	}
	p.Kill()
	if err := p.Exited(); !errors.Is(err, bysize.ErrPeerExited) || !strings.Contains(err.Error(), "killed") {
		t.Errorf("Exited after Kill = %v", err)
	}
}

func TestStartPeerFails(t *testing.T) {
	missing := func(ctx context.Context, _ []string) (*exec.Cmd, error) {
		return exec.CommandContext(ctx, "/nonexistent/peer"), nil
	}
	if _, err := bysize.StartPeer(t.Context(), missing, nil); err == nil || !strings.Contains(err.Error(), "start peer /nonexistent/peer") {
		t.Errorf("StartPeer = %v", err)
	}
}

func TestDeadline(t *testing.T) {
	want := time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)
	ctx, cancel := context.WithDeadline(t.Context(), want)
	defer cancel()
	fs := flag.NewFlagSet("peer", flag.ContinueOnError)
	size := fs.Int("size", 0, "a peer flag")
	got, err := bysize.ParsePeerFlags(fs, []string{"-size", "8", "-deadline", bysize.DeadlineArg(ctx)})
	if err != nil || !got.Equal(want) || *size != 8 {
		t.Errorf("round trip = %v, %v, size %d; want %v, size 8", got, err, *size, want)
	}
	fs = flag.NewFlagSet("peer", flag.ContinueOnError)
	got, err = bysize.ParsePeerFlags(fs, []string{"-deadline", bysize.DeadlineArg(context.Background())})
	if d := time.Until(got); err != nil || d < 59*time.Minute || d > time.Hour {
		t.Errorf("no deadline: %v, %v; want an hour from now", got, err)
	}
	for _, args := range [][]string{nil, {"-deadline", "tomorrow"}, {"-nosuch"}} {
		fs = flag.NewFlagSet("peer", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		if _, err := bysize.ParsePeerFlags(fs, args); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}
