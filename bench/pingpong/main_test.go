package main

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"testing"

	"go.uber.org/goleak"

	"github.com/troupe-go/troupe/bench/bysize"
)

// TestMain lets the test binary serve as its own echoing peer.
func TestMain(m *testing.M) {
	bysize.RunPeer(peerEnv, "pingpong", runPeer)
	goleak.VerifyTestMain(m)
}

var line = regexp.MustCompile(`^plain Go ping-pong: 300 round trips of (8|4096) B, (tcp|ipc) loopback, two processes \(GOMAXPROCS=[0-9]+ each\): p50 [0-9.]+ µs, p99 [0-9.]+ µs\n$`)

// TestRun runs the measurement for real, over tcp and ipc, and checks the
// line it prints.
func TestRun(t *testing.T) {
	for _, args := range [][]string{
		{"-n", "300"},
		{"-n", "300", "-transport", "ipc", "-size", "4096", "-procs", "1"},
	} {
		var out bytes.Buffer
		if err := run(t.Context(), args, &out, io.Discard); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if !line.MatchString(out.String()) {
			t.Errorf("%v printed %q", args, out.String())
		}
	}
}

func TestFlagsRejected(t *testing.T) {
	for _, args := range [][]string{{"-n", "0"}, {"-size", "0"}, {"-transport", "udp"}, {"-procs", "-1"}, {"extra"}} {
		if _, err := parseFlags(args, io.Discard); !errors.Is(err, ErrBadFlag) {
			t.Errorf("%v: %v, want ErrBadFlag", args, err)
		}
	}
}
