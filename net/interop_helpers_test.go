package net_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/internal/testenv"
	"github.com/troupe-go/troupe/net"
)

// python is Debian's Python with python3-zmq and python3-msgpack, which
// the interop tests need.
var python = testenv.NewPython("zmq", "msgpack")

// scriptTimeout bounds one run of a test script; the process is killed
// when it runs out.
const scriptTimeout = 20 * time.Second

// runScript runs testdata/script with args under Debian's Python, bounded
// by scriptTimeout (the process is killed then), and returns what it
// printed. Running the script is the test's only wait: it blocks until the
// process has exited.
func runScript(t testing.TB, script string, args ...string) testenv.Result {
	t.Helper()
	return testenv.Script{Python: python, Name: script, Timeout: scriptTimeout}.Run(t, args...)
}

// mustRun is runScript for a run that must exit 0 and print "done" last
// (interop.py) or anything (other scripts, done=false).
func mustRun(t testing.TB, done bool, script string, args ...string) []string {
	t.Helper()
	run := runScript(t, script, args...)
	if run.Code != 0 {
		t.Fatalf("%s %v exited with status %d; stdout:\n%s\nstderr:\n%s",
			script, args, run.Code, strings.Join(run.Lines, "\n"), run.Stderr)
	}
	if done {
		if last := run.Lines[len(run.Lines)-1]; last != "done" {
			t.Fatalf("%s %v: last line %q, want \"done\"; stderr:\n%s", script, args, last, run.Stderr)
		}
		return run.Lines[:len(run.Lines)-1]
	}
	return run.Lines
}

// nodeTimeout bounds the setup and teardown of a test node and each
// request a test makes.
const nodeTimeout = 10 * time.Second

// A testNode is a System made a node in this test process.
type testNode struct {
	sys  *actor.System
	node *net.Node
}

// startNode makes a System and a Node listening on endpoint; both are
// closed when the test ends.
func startNode(t testing.TB, endpoint string, opts ...net.Option) *testNode {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), nodeTimeout)
	defer cancel()
	sys := actor.NewSystem()
	node, err := net.Listen(ctx, sys, endpoint, opts...)
	if err != nil {
		_ = sys.Shutdown(ctx)
		t.Fatalf("listen %s: %v", endpoint, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), nodeTimeout)
		defer cancel()
		if err := node.Close(ctx); err != nil {
			t.Errorf("close node %s: %v", node.Address(), err)
		}
		if err := sys.Shutdown(ctx); err != nil {
			t.Errorf("shut down the system of %s: %v", node.Address(), err)
		}
	})
	return &testNode{sys: sys, node: node}
}

// spawn starts a top-level actor named name (anonymous if name is "").
func (n *testNode) spawn(t testing.TB, name string, b actor.Behavior) actor.Ref {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), nodeTimeout)
	defer cancel()
	var opts []actor.SpawnOption
	if name != "" {
		opts = append(opts, actor.WithName(name))
	}
	ref, err := n.sys.Spawn(ctx, b, opts...)
	if err != nil {
		t.Fatalf("spawn %s: %v", name, err)
	}
	return ref
}

// echo is an actor that answers every message that has a sender with the
// message itself.
func echo(p *actor.Process) error {
	switch p.Message().(type) {
	case actor.Started, actor.Stopping, actor.Stopped, actor.Restarting, actor.Terminated:
		return nil
	}
	if p.Sender().IsZero() {
		return nil
	}
	return p.Reply(p.Message())
}

// ipcEndpoint returns an ipc endpoint in a fresh short-named directory,
// removed when the test ends.
func ipcEndpoint(t testing.TB, name string) string { return testenv.IPCEndpoint(t, name) }
