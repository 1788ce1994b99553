package testenv

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// peerLines is how many stdout lines of a Peer wait to be read: far beyond
// what a test's script prints, so that the script never blocks on them.
const peerLines = 100_000

// A Peer is a running program or script, started by Command.Start or
// Script.Start: it runs beside the test, which reads its stdout line by
// line. The process is killed when the test ends or when its Timeout runs
// out. Line and Exit are for the test goroutine that started it; the other
// methods are safe for concurrent use.
type Peer struct {
	name   string
	args   []string
	wait   time.Duration
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string // stdout lines; closed after the process has exited
	stderr *bytes.Buffer
	exited chan struct{} // closed once the process has exited; err is set then
	err    error
}

// A Command is a program that a test runs beside itself as a Peer.
type Command struct {
	// Name is what failure messages call the program, as in "testnode".
	Name string
	// Path is the program's path.
	Path string
	// Timeout bounds the process's life: it is killed when it runs out.
	Timeout time.Duration
	// Wait bounds each wait of the Peer's Line and Exit.
	Wait time.Duration
}

// Start runs the program with args and returns at once. The process is
// killed when the test ends or after c.Timeout, and the test's cleanup
// waits until it has exited, logging its stderr if the test failed.
func (c Command) Start(t testing.TB, args ...string) *Peer {
	t.Helper()
	return c.start(t, args, args)
}

// Start runs the script with args under PythonPath as Command.Start runs
// a program.
func (s Script) Start(t testing.TB, args ...string) *Peer {
	t.Helper()
	c := Command{Name: s.Name, Path: s.Python.Require(t), Timeout: s.Timeout, Wait: s.Wait}
	return c.start(t, append([]string{s.path(t)}, args...), args)
}

// start runs the program with args; failure messages show shown.
func (c Command) start(t testing.TB, args, shown []string) *Peer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
	t.Cleanup(cancel) // also when the start fails
	cmd := exec.CommandContext(ctx, c.Path, args...)
	cmd.WaitDelay = time.Second
	p := &Peer{name: c.Name, args: shown, wait: c.Wait, cmd: cmd, lines: make(chan string, peerLines),
		stderr: new(bytes.Buffer), exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", c.Path, err)
	}
	go p.run(ctx, cancel, stdout)
	t.Cleanup(func() {
		cancel()
		<-p.exited
		if t.Failed() {
			t.Logf("%s %v stderr:\n%s", p.name, p.args, p.stderr)
		}
	})
	return p
}

// run forwards stdout lines, then waits for the process. Once ctx has
// ended nobody reads the lines any more: they are dropped.
func (p *Peer) run(ctx context.Context, cancel context.CancelFunc, stdout io.Reader) {
	defer cancel()
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		select {
		case p.lines <- sc.Text():
		case <-ctx.Done():
		}
	}
	p.err = p.cmd.Wait() // stderr is complete once Wait returns
	close(p.exited)
	close(p.lines)
}

// Lines returns the channel of the script's stdout lines, closed once the
// process has exited (Stderr is complete then).
func (p *Peer) Lines() <-chan string { return p.lines }

// Stderr returns what the script wrote on stderr if it has exited, or a
// note that it is still running.
func (p *Peer) Stderr() string {
	select {
	case <-p.exited:
		return p.stderr.String()
	default:
		return "(still running)"
	}
}

// Process returns the running process, for signals.
func (p *Peer) Process() *os.Process { return p.cmd.Process }

// Exited returns a channel closed once the process has exited.
func (p *Peer) Exited() <-chan struct{} { return p.exited }

// Err returns how the process ended (nil for exit status 0) once Exited is
// closed, and nil before.
func (p *Peer) Err() error {
	select {
	case <-p.exited:
		return p.err
	default:
		return nil
	}
}

// CloseStdin closes the script's stdin, which it reads as end of file.
func (p *Peer) CloseStdin() error { return p.stdin.Close() }

// Line returns the rest of the next stdout line that starts with prefix,
// skipping others. It fails the test if the script exits first or prints
// no such line within the script's Wait.
func (p *Peer) Line(t testing.TB, prefix string) string {
	t.Helper()
	timer := time.NewTimer(p.wait)
	defer timer.Stop()
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				t.Fatalf("%s exited before printing %q; stderr:\n%s", p.name, prefix, p.stderr)
			}
			if rest, found := strings.CutPrefix(l, prefix); found {
				return strings.TrimSpace(rest)
			}
		case <-timer.C:
			t.Fatalf("%s printed no %q line within %v", p.name, prefix, p.wait)
		}
	}
}

// Exit waits up to the script's Wait for the process to exit and fails the
// test unless it exited with status 0.
func (p *Peer) Exit(t testing.TB) {
	t.Helper()
	timer := time.NewTimer(p.wait)
	defer timer.Stop()
	select {
	case <-p.exited:
		if p.err != nil {
			t.Fatalf("%s failed: %v; stderr:\n%s", p.name, p.err, p.stderr)
		}
	case <-timer.C:
		t.Fatalf("%s did not exit within %v", p.name, p.wait)
	}
}
