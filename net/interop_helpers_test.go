package net_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net"
)

// pythonPath is Debian's Python, which has the python3-zmq and
// python3-msgpack packages; the python3 on PATH may be another
// installation without them.
const pythonPath = "/usr/bin/python3"

// installHint is how to get what the interop tests need.
const installHint = "run make test (installs python3-zmq python3-msgpack)"

// scriptTimeout bounds one run of a test script; the process is killed
// when it runs out.
const scriptTimeout = 20 * time.Second

var pythonCheck struct {
	once sync.Once
	err  string
}

// requirePython fails the test, saying how to install them, unless
// pythonPath can import zmq and msgpack.
func requirePython(t testing.TB) {
	t.Helper()
	pythonCheck.once.Do(func() {
		out, err := exec.Command(pythonPath, "-c", "import zmq, msgpack").CombinedOutput()
		if err != nil {
			pythonCheck.err = installHint + `: ` + pythonPath + ` -c "import zmq, msgpack" failed: ` +
				err.Error() + ": " + strings.TrimSpace(string(out))
		}
	})
	if pythonCheck.err != "" {
		t.Fatal(pythonCheck.err)
	}
}

// A scriptRun is the outcome of one run of a script under testdata.
type scriptRun struct {
	lines  []string // stdout, line by line
	stderr string
	code   int // exit status; -1 if killed
}

// runScript runs testdata/script with args under pythonPath, bounded by
// scriptTimeout (the process is killed then), and returns what it printed.
// Running the script is the test's only wait: it blocks until the process
// has exited.
func runScript(t testing.TB, script string, args ...string) scriptRun {
	t.Helper()
	requirePython(t)
	path, err := filepath.Abs(filepath.Join("testdata", script))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), scriptTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, pythonPath, append([]string{path}, args...)...)
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	run := scriptRun{lines: strings.Split(strings.TrimSpace(stdout.String()), "\n"), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		run.code = exit.ExitCode()
	default:
		t.Fatalf("run %s %v: %v", script, args, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("%s %v did not finish within %v (killed); stdout:\n%s\nstderr:\n%s",
			script, args, scriptTimeout, stdout.String(), stderr.String())
	}
	return run
}

// mustRun is runScript for a run that must exit 0 and print "done" last
// (interop.py) or anything (other scripts, done=false).
func mustRun(t testing.TB, done bool, script string, args ...string) []string {
	t.Helper()
	run := runScript(t, script, args...)
	if run.code != 0 {
		t.Fatalf("%s %v exited with status %d; stdout:\n%s\nstderr:\n%s",
			script, args, run.code, strings.Join(run.lines, "\n"), run.stderr)
	}
	if done {
		if last := run.lines[len(run.lines)-1]; last != "done" {
			t.Fatalf("%s %v: last line %q, want \"done\"; stderr:\n%s", script, args, last, run.stderr)
		}
		return run.lines[:len(run.lines)-1]
	}
	return run.lines
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

// ipcEndpoint returns an ipc endpoint in a fresh directory, removed when
// the test ends. The directory has a short name of its own: t.TempDir's
// paths, which hold the test's name, can break the 107-byte limit of a
// socket path.
func ipcEndpoint(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "troupe")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return "ipc://" + filepath.Join(dir, name)
}
