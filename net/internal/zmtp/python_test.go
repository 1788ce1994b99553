package zmtp

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// pythonPath is Debian's Python, which has the python3-zmq package; the
// python3 on PATH may be another installation without it.
const pythonPath = "/usr/bin/python3"

var pythonCheck struct {
	once sync.Once
	err  string
}

// requirePython fails the test unless pythonPath can import zmq.
func requirePython(t testing.TB) string {
	t.Helper()
	pythonCheck.once.Do(func() {
		out, err := exec.Command(pythonPath, "-c", "import zmq; print(zmq.zmq_version())").CombinedOutput()
		if err != nil {
			pythonCheck.err = "install python3-zmq (make test does it): " + pythonPath +
				` -c "import zmq" failed: ` + err.Error() + ": " + strings.TrimSpace(string(out))
		}
	})
	if pythonCheck.err != "" {
		t.Fatal(pythonCheck.err)
	}
	return pythonPath
}

// A pyPeer is a running testdata/peer.py. The process is killed when the
// test ends or after its time bound.
type pyPeer struct {
	cmd    *exec.Cmd
	lines  chan string // lines printed on stdout
	stderr *bytes.Buffer
	done   chan error
}

// startPeer runs testdata/peer.py with args, bounded by timeout.
func startPeer(t testing.TB, timeout time.Duration, args ...string) *pyPeer {
	t.Helper()
	py := requirePython(t)
	script, err := filepath.Abs(filepath.Join("testdata", "peer.py"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	cmd := exec.CommandContext(ctx, py, append([]string{script}, args...)...)
	cmd.WaitDelay = time.Second
	p := &pyPeer{cmd: cmd, lines: make(chan string, 16), stderr: new(bytes.Buffer), done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start %s: %v", py, err)
	}
	go p.wait(stdout, cancel)
	t.Cleanup(func() {
		cancel()
		<-p.done
		if t.Failed() {
			t.Logf("peer.py %v stderr:\n%s", args, p.stderr)
		}
	})
	return p
}

// wait forwards stdout lines, then waits for the process.
func (p *pyPeer) wait(stdout io.Reader, cancel context.CancelFunc) {
	defer cancel()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		select {
		case p.lines <- sc.Text():
		default: // nobody asked for more lines; the exit status decides
		}
	}
	close(p.lines)
	p.done <- p.cmd.Wait()
	close(p.done)
}

// line returns the next stdout line that starts with prefix.
func (p *pyPeer) line(t testing.TB, prefix string) string {
	t.Helper()
	timer := time.NewTimer(testTimeout)
	defer timer.Stop()
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				t.Fatalf("peer.py exited before printing %q (its stderr is logged below)", prefix)
			}
			if strings.HasPrefix(l, prefix) {
				return strings.TrimSpace(strings.TrimPrefix(l, prefix))
			}
		case <-timer.C:
			t.Fatalf("peer.py printed no %q line in %v", prefix, testTimeout)
		}
	}
}

// exit waits for the process and fails the test unless it exited 0.
func (p *pyPeer) exit(t testing.TB) {
	t.Helper()
	select {
	case err, ok := <-p.done:
		if ok && err != nil {
			t.Fatalf("peer.py failed: %v; stderr:\n%s", err, p.stderr)
		}
	case <-time.After(testTimeout):
		t.Fatalf("peer.py did not exit within %v", testTimeout)
	}
}
