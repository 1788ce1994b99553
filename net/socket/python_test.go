package socket_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/troupe-go/troupe/net/socket"
)

// pythonPath is Debian's Python, which has the python3-zmq package; the
// python3 on PATH may be another installation without it.
const pythonPath = "/usr/bin/python3"

var pythonCheck struct {
	once sync.Once
	err  string
}

// requirePython fails the test unless pythonPath can import zmq.
func requirePython(t testing.TB) {
	t.Helper()
	pythonCheck.once.Do(func() {
		out, err := exec.Command(pythonPath, "-c", "import zmq").CombinedOutput()
		if err != nil {
			pythonCheck.err = "run make test (installs python3-zmq): " + pythonPath +
				` -c "import zmq" failed: ` + err.Error() + ": " + strings.TrimSpace(string(out))
		}
	})
	if pythonCheck.err != "" {
		t.Fatal(pythonCheck.err)
	}
}

// A pyPeer is a running testdata/peer.py, killed when the test ends or
// after testTimeout.
type pyPeer struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string
	stderr *bytes.Buffer
	done   chan error
}

// startPeer runs testdata/peer.py with args.
func startPeer(t testing.TB, args ...string) *pyPeer {
	t.Helper()
	requirePython(t)
	script, err := filepath.Abs(filepath.Join("testdata", "peer.py"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	cmd := exec.CommandContext(ctx, pythonPath, append([]string{script}, args...)...)
	cmd.WaitDelay = time.Second
	p := &pyPeer{cmd: cmd, lines: make(chan string, 100_000), stderr: new(bytes.Buffer), done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		cancel()
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start %s: %v", pythonPath, err)
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
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		p.lines <- sc.Text() // buffered far beyond what a test prints
	}
	err := p.cmd.Wait() // stderr is complete once Wait returns
	close(p.lines)
	p.done <- err
	close(p.done)
}

// line returns the rest of the next stdout line that starts with prefix,
// skipping others.
func (p *pyPeer) line(t testing.TB, prefix string) string {
	t.Helper()
	timer := time.NewTimer(testTimeout)
	defer timer.Stop()
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				t.Fatalf("peer.py exited before printing %q; stderr:\n%s", prefix, p.stderr)
			}
			if rest, found := strings.CutPrefix(l, prefix); found {
				return strings.TrimSpace(rest)
			}
		case <-timer.C:
			t.Fatalf("peer.py printed no %q line within %v", prefix, testTimeout)
		}
	}
}

// messages reads "MSG" lines until "COUNT" and returns them.
func (p *pyPeer) messages(t testing.TB) []socket.Message {
	t.Helper()
	var msgs []socket.Message
	timer := time.NewTimer(testTimeout)
	defer timer.Stop()
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				t.Fatalf("peer.py exited before COUNT; stderr:\n%s", p.stderr)
			}
			if rest, found := strings.CutPrefix(l, "MSG "); found {
				msgs = append(msgs, decodeFrames(t, rest))
			} else if strings.HasPrefix(l, "MSG") {
				msgs = append(msgs, decodeFrames(t, ""))
			} else if strings.HasPrefix(l, "COUNT") {
				return msgs
			}
		case <-timer.C:
			t.Fatalf("peer.py printed no COUNT within %v", testTimeout)
		}
	}
}

func decodeFrames(t testing.TB, s string) socket.Message {
	t.Helper()
	var m socket.Message
	for _, h := range strings.Split(s, ",") {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatalf("bad MSG line %q: %v", s, err)
		}
		m.Frames = append(m.Frames, b)
	}
	return m
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
