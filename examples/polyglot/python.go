package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// DefaultPython is Debian's Python, the one python3-zmq installs pyzmq
// for (a python3 found first on PATH may be another one, without it).
const DefaultPython = "/usr/bin/python3"

// installHint says how to get pyzmq when it is missing.
const installHint = "the polyglot example needs pyzmq for " + DefaultPython + ":\n" +
	"    sudo apt-get install python3-zmq      (Debian, Ubuntu)\n" +
	"or run `make test`, which installs it; -python selects another interpreter that has it"

// errNoPyzmq is returned when the Python interpreter cannot import zmq.
var errNoPyzmq = errors.New("polyglot: python cannot import zmq")

// checkPython makes sure python can import zmq, and says how to install it
// if not.
func checkPython(ctx context.Context, python string) error {
	out, err := exec.CommandContext(ctx, python, "-c", "import zmq").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: %s -c 'import zmq': %v %s\n%s", errNoPyzmq, python, err,
			strings.TrimSpace(string(out)), installHint)
	}
	return nil
}

// A script is a running Python program. Its stdout lines arrive on lines;
// kill ends it and waits for it.
type script struct {
	name   string
	cmd    *exec.Cmd
	cancel context.CancelFunc
	stdin  io.WriteCloser
	lines  chan string   // closed when the process has exited
	stderr bytes.Buffer  // read only after lines is closed
	err    error         // exit status; read only after lines is closed
	done   chan struct{} // closed with lines
}

// startScript runs src (Python source) with args, bounded by ctx.
func startScript(ctx context.Context, python, name, src string, args ...string) (*script, error) {
	ctx, cancel := context.WithCancel(ctx)
	s := &script{name: name, cancel: cancel, lines: make(chan string, 64), done: make(chan struct{})}
	s.cmd = exec.CommandContext(ctx, python, append([]string{"-c", src}, args...)...)
	s.cmd.WaitDelay = time.Second
	s.cmd.Stderr = &s.stderr
	stdout, err := s.cmd.StdoutPipe()
	if err == nil {
		s.stdin, err = s.cmd.StdinPipe()
	}
	if err == nil {
		err = s.cmd.Start()
	}
	if err != nil {
		cancel()
		return nil, fmt.Errorf("polyglot: start %s: %w", name, err)
	}
	go s.read(stdout)
	return s, nil
}

// read forwards stdout lines until the process ends, then waits for it.
func (s *script) read(stdout io.Reader) {
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		s.lines <- sc.Text()
	}
	s.err = s.cmd.Wait()
	close(s.lines)
	close(s.done)
}

// next returns the next stdout line, or an error if the script ended or
// ctx did.
func (s *script) next(ctx context.Context) (string, error) {
	select {
	case l, ok := <-s.lines:
		if !ok {
			return "", fmt.Errorf("polyglot: %s exited (%v): %s", s.name, s.err, strings.TrimSpace(s.stderr.String()))
		}
		return l, nil
	case <-ctx.Done():
		return "", fmt.Errorf("polyglot: waiting for %s: %w", s.name, context.Cause(ctx))
	}
}

// field returns the rest of the next line that starts with prefix,
// skipping others.
func (s *script) field(ctx context.Context, prefix string) (string, error) {
	for {
		l, err := s.next(ctx)
		if err != nil {
			return "", err
		}
		if rest, ok := strings.CutPrefix(l, prefix); ok {
			return strings.TrimSpace(rest), nil
		}
	}
}

// say writes a line to the script's stdin.
func (s *script) say(line string) error {
	if _, err := io.WriteString(s.stdin, line+"\n"); err != nil {
		return fmt.Errorf("polyglot: telling %s %q: %w", s.name, line, err)
	}
	return nil
}

// wait waits for the script to exit by itself and returns its failure.
func (s *script) wait(ctx context.Context) error {
	for {
		if _, err := s.next(ctx); err != nil {
			if s.err != nil || ctx.Err() != nil {
				return err
			}
			return nil
		}
	}
}

// kill ends the script if it still runs and waits until it has exited.
func (s *script) kill() {
	s.cancel()
	_ = s.stdin.Close()
	for range s.lines { // drain, so that read can finish
	}
	<-s.done
}
