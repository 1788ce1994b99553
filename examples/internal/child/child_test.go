package child_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/troupe-go/troupe/examples/internal/child"
	"go.uber.org/goleak"
)

// modeFlag starts the test binary as a child in one of the modes below.
const modeFlag = "-child-mode"

// TestMain runs the tests, or, started again by a test, a child.
func TestMain(m *testing.M) {
	child.Run(modeFlag, childMain)
	goleak.VerifyTestMain(m)
}

// childMain is a child started with modeFlag MODE: it serves until its
// lifeline ends, then exits with success ("ok") or failure ("fail"); a
// "hung" child never notices the lifeline.
func childMain(args []string, stdin io.Reader, stderr io.Writer) int {
	mode := args[len(args)-1]
	if mode == "hung" {
		time.Sleep(time.Hour) // a child that hangs: only a kill ends it
	}
	return child.Serve(stdin, stderr, "test child", func(ctx context.Context) error {
		<-ctx.Done()
		if mode == "fail" {
			return errors.New("failed")
		}
		return nil
	})
}

func start(t *testing.T, modes ...string) *child.Group {
	t.Helper()
	g, err := child.NewGroup("test")
	if err != nil {
		t.Fatal(err)
	}
	for i, mode := range modes {
		if err := g.Start("child "+string(rune('a'+i)), modeFlag, mode); err != nil {
			t.Fatal(errors.Join(err, g.Stop(time.Second)))
		}
	}
	return g
}

// Children that watch their lifeline end when Stop closes it, well within
// the grace.
func TestStopEndsChildren(t *testing.T) {
	t.Parallel()
	g := start(t, "ok", "ok")
	if err := g.Stop(time.Minute); err != nil {
		t.Errorf("Stop = %v, want nil", err)
	}
}

// Stop reports each child that failed, by name.
func TestStopReportsFailures(t *testing.T) {
	t.Parallel()
	g := start(t, "ok", "fail")
	err := g.Stop(time.Minute)
	if err == nil || !strings.Contains(err.Error(), "test: child b: exit status 1") || strings.Contains(err.Error(), "child a") {
		t.Errorf("Stop = %v, want child b's exit status 1 only", err)
	}
}

// A child that ignores its lifeline is killed after the grace.
func TestStopKillsHungChild(t *testing.T) {
	t.Parallel()
	g := start(t, "hung")
	if err := g.Stop(100 * time.Millisecond); err == nil || !strings.Contains(err.Error(), "test: child a: signal: killed") {
		t.Errorf("Stop = %v, want child a killed", err)
	}
}

func TestStopNilGroup(t *testing.T) {
	var g *child.Group
	if err := g.Stop(time.Second); err != nil {
		t.Errorf("nil group: Stop = %v", err)
	}
}
