package testenv

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const testWait = 10 * time.Second

var say = Script{Python: NewPython(), Name: "say.py", Timeout: 20 * time.Second, Wait: testWait}

func TestPythonModules(t *testing.T) {
	zmq := NewPython("zmq", "msgpack")
	if got, want := zmq.InstallHint(), "run make test (installs python3-zmq python3-msgpack)"; got != want {
		t.Errorf("InstallHint() = %q, want %q", got, want)
	}
	if got := zmq.Require(t); got != PythonPath {
		t.Errorf("Require() = %q, want %q", got, PythonPath)
	}
	missing := NewPython("troupe_no_such_module")
	msg := missing.failure()
	for _, want := range []string{
		"run make test (installs python3-troupe_no_such_module): " + PythonPath,
		`-c "import troupe_no_such_module" failed: exit status 1`,
		"ModuleNotFoundError",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message %q does not contain %q", msg, want)
		}
	}
	if got := NewPython().InstallHint(); got != "run make test (installs python3)" {
		t.Errorf("InstallHint() with no modules = %q", got)
	}
	if again := missing.failure(); again != msg {
		t.Errorf("second check %q, want the first one's %q", again, msg)
	}
}

func TestScriptRun(t *testing.T) {
	run := say.Run(t, "--exit", "3", "one", "two")
	if !slices.Equal(run.Lines, []string{"one", "two"}) || run.Stderr != "err\n" || run.Code != 3 {
		t.Fatalf("Run = %+v, want lines [one two], stderr \"err\\n\", code 3", run)
	}
}

func TestPeer(t *testing.T) {
	p := say.Start(t, "--stdin", "noise", "READY  here ")
	if got := p.Line(t, "READY"); got != "here" {
		t.Fatalf("Line(READY) = %q, want %q", got, "here")
	}
	if got := p.Stderr(); got != "(still running)" {
		t.Errorf("Stderr() while running = %q", got)
	}
	if err := p.CloseStdin(); err != nil {
		t.Fatal(err)
	}
	p.Exit(t)
	if _, open := <-p.Lines(); open {
		t.Error("Lines() still open after Exit")
	}
	if got := p.Stderr(); got != "err\n" {
		t.Errorf("Stderr() = %q, want %q", got, "err\n")
	}
}

func TestPeerFailure(t *testing.T) {
	p := say.Start(t, "--exit", "2", "bye")
	for l := range p.Lines() {
		if l != "bye" {
			t.Errorf("line %q, want bye", l)
		}
	}
	if p.err == nil || !strings.Contains(p.err.Error(), "exit status 2") {
		t.Fatalf("exit error %v, want exit status 2", p.err)
	}
}

// TestPeerKilled checks that the test's end kills a peer that would wait
// for ever.
func TestPeerKilled(t *testing.T) {
	var p *Peer
	if !t.Run("start", func(t *testing.T) { p = say.Start(t, "--stdin") }) {
		return
	}
	select {
	case <-p.exited:
	default:
		t.Fatal("the peer still runs after its test ended")
	}
	if p.err == nil {
		t.Fatal("a killed peer exited with no error")
	}
}

func TestCommand(t *testing.T) {
	python := Command{Name: "python", Path: PythonPath, Timeout: 20 * time.Second, Wait: testWait}
	p := python.Start(t, "-c", "import sys; print('up', flush=True); sys.stdin.read()")
	if got := p.Line(t, "up"); got != "" {
		t.Fatalf("Line(up) = %q, want \"\"", got)
	}
	if err := p.Err(); err != nil {
		t.Fatalf("Err() of a running process = %v", err)
	}
	if err := p.Process().Kill(); err != nil {
		t.Fatal(err)
	}
	<-p.Exited()
	if err := p.Err(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("Err() after Kill = %v, want \"signal: killed\"", err)
	}
}

func TestIPCAndContext(t *testing.T) {
	var path string
	t.Run("use", func(t *testing.T) {
		path = IPCPath(t, "s.sock")
		if len(path) > 100 {
			t.Errorf("IPCPath is %d bytes long: %s", len(path), path)
		}
		if _, err := os.Stat(filepath.Dir(path)); err != nil {
			t.Fatal(err)
		}
		if ep := IPCEndpoint(t, "x"); !strings.HasPrefix(ep, "ipc:///") || !strings.HasSuffix(ep, "/x") {
			t.Errorf("IPCEndpoint = %q", ep)
		}
		ctx := Context(t, time.Hour)
		if ctx.Err() != nil {
			t.Fatal(ctx.Err())
		}
		t.Cleanup(func() {
			if ctx.Err() != nil {
				t.Error("the context ended before a cleanup registered after it")
			}
		})
	})
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Errorf("the directory of %s is still there: %v", path, err)
	}
}
