package net_test

import (
	"context"
	"errors"
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
	*testenv.Peer // stdin closed makes the node exit
	addr          string
}

// startProc starts bin listening on endpoint, waits for its "ready" line
// and returns it. The process is stopped (stdin closed, then killed if it
// lingers) when the test ends.
func startProc(t *testing.T, bin, endpoint string) *procNode {
	t.Helper()
	testnode := testenv.Command{Name: "testnode", Path: bin, Timeout: procTimeout, Wait: nodeTimeout}
	p := &procNode{Peer: testnode.Start(t,
		"-endpoint", endpoint, "-heartbeat", "200ms", "-liveness", "3", "-reconnect", "100ms")}
	t.Cleanup(p.stop)
	p.addr = p.awaitReady(t)
	return p
}

func (p *procNode) awaitReady(t *testing.T) string {
	t.Helper()
	timer := time.NewTimer(nodeTimeout)
	defer timer.Stop()
	var addr string
	for {
		select {
		case l, ok := <-p.Lines():
			switch {
			case !ok:
				t.Fatalf("testnode exited before it was ready: %v; stderr:\n%s", p.Err(), p.Stderr())
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
	_ = p.CloseStdin()
	select {
	case <-p.Exited():
	case <-time.After(nodeTimeout):
		_ = p.Process().Kill()
		<-p.Exited()
	}
}

// kill9 kills the process with SIGKILL and waits until it is gone.
func (p *procNode) kill9(t *testing.T) {
	t.Helper()
	if err := p.Process().Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 testnode: %v", err)
	}
	<-p.Exited()
	var exit *exec.ExitError
	if !errors.As(p.Err(), &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("testnode ended with %v, want death by SIGKILL", p.Err())
	}
}

// exitedCleanly fails the test unless the process has exited with status 0
// once its stdin closed.
func (p *procNode) exitedCleanly(t *testing.T) {
	t.Helper()
	p.stop()
	if p.Err() != nil {
		t.Errorf("testnode %s exited with %v; stderr:\n%s", p.addr, p.Err(), p.Stderr())
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
