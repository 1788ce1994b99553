package net_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/internal/testenv"
)

// procTimeout bounds the life of one testnode process: it is killed when
// it runs out, and every wait on it gives up then.
const procTimeout = 60 * time.Second

// buildTestnode builds net/internal/testnode into a temporary directory of
// t and returns the binary's path.
func buildTestnode(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "testnode")
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command builds the testnode helper, but it is not on PATH: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", bin, "./internal/testnode")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./internal/testnode: %v\n%s", err, out)
	}
	return bin
}

// A procNode is a running testnode process: a node in another OS process
// with an "echo" and a "counter" actor and the spawnable kind "worker".
type procNode struct {
	addr   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser // closing it makes the node exit
	stderr *bytes.Buffer
	done   chan struct{} // closed once the process has exited; err is set then
	err    error
	cancel context.CancelFunc
}

// startProc starts bin listening on endpoint, waits for its "ready" line
// and returns it. The process is stopped (stdin closed, then killed if it
// lingers) when the test ends.
func startProc(t *testing.T, bin, endpoint string) *procNode {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), procTimeout)
	cmd := exec.CommandContext(ctx, bin, "-endpoint", endpoint, "-heartbeat", "200ms", "-liveness", "3", "-reconnect", "100ms")
	cmd.WaitDelay = time.Second
	p := &procNode{cmd: cmd, stderr: new(bytes.Buffer), done: make(chan struct{}), cancel: cancel}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start testnode: %v", err)
	}
	lines := make(chan string, 2)
	go p.wait(stdout, lines)
	t.Cleanup(p.stop)
	p.addr = p.awaitReady(t, lines)
	return p
}

// wait copies the "address" and "ready" lines, then waits for the process.
func (p *procNode) wait(stdout io.Reader, lines chan<- string) {
	sc := bufio.NewScanner(stdout)
	for n := 0; sc.Scan(); n++ {
		if n < cap(lines) {
			lines <- sc.Text()
		}
	}
	close(lines)
	p.err = p.cmd.Wait()
	close(p.done)
}

func (p *procNode) awaitReady(t *testing.T, lines <-chan string) string {
	t.Helper()
	timer := time.NewTimer(nodeTimeout)
	defer timer.Stop()
	var addr string
	for {
		select {
		case l, ok := <-lines:
			switch {
			case !ok:
				<-p.done
				t.Fatalf("testnode exited before it was ready: %v; stderr:\n%s", p.err, p.stderr)
			case strings.HasPrefix(l, "address "):
				addr = strings.TrimPrefix(l, "address ")
			case l == "ready" && addr != "":
				return addr
			default:
				t.Fatalf("testnode printed %q, want \"address ADDR\" then \"ready\"", l)
			}
		case <-timer.C:
			t.Fatalf("testnode was not ready within %v", nodeTimeout)
		}
	}
}

// stop ends the process: stdin closed (a clean exit), killed after
// nodeTimeout.
func (p *procNode) stop() {
	_ = p.stdin.Close()
	select {
	case <-p.done:
	case <-time.After(nodeTimeout):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	p.cancel()
}

// kill9 kills the process with SIGKILL and waits until it is gone.
func (p *procNode) kill9(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 testnode: %v", err)
	}
	<-p.done
	var exit *exec.ExitError
	if !errors.As(p.err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("testnode ended with %v, want death by SIGKILL", p.err)
	}
}

// exitedCleanly fails the test unless the process has exited with status 0
// once its stdin closed.
func (p *procNode) exitedCleanly(t *testing.T) {
	t.Helper()
	p.stop()
	if p.err != nil {
		t.Errorf("testnode %s exited with %v; stderr:\n%s", p.addr, p.err, p.stderr)
	}
}

// watcher spawns an actor on n that watches target and hands each
// Terminated notice it receives to the returned channel.
func (n *testNode) watcher(t *testing.T, target actor.Ref) <-chan actor.Terminated {
	t.Helper()
	notices := make(chan actor.Terminated, 4)
	ref := n.spawn(t, "", actor.Func(func(p *actor.Process) error {
		if tm, ok := p.Message().(actor.Terminated); ok {
			notices <- tm
		}
		return nil
	}))
	if err := n.sys.Watch(ref, target); err != nil {
		t.Fatalf("watch %v: %v", target, err)
	}
	return notices
}

// awaitTerminated waits up to limit for a notice about target.
func awaitTerminated(t *testing.T, notices <-chan actor.Terminated, target actor.Ref, limit time.Duration) actor.Terminated {
	t.Helper()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case tm := <-notices:
		if tm.Ref != target {
			t.Fatalf("Terminated for %v, want %v", tm.Ref, target)
		}
		return tm
	case <-timer.C:
		t.Fatalf("no Terminated for %v within %v", target, limit)
	}
	return actor.Terminated{}
}

// ctxFor returns a context bounded by nodeTimeout, cancelled when the test
// ends.
func ctxFor(t *testing.T) context.Context { return testenv.Context(t, nodeTimeout) }
