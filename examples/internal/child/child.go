// Package child lets an example start its own binary again as child
// processes (the -distributed pipeline's workers, the -remote reqrep's
// server) and ties each child's life to its parent's.
//
// The tie is the child's stdin, its lifeline: the parent holds the write
// end and closes it to ask the child to stop ([Group.Stop]); the system
// closes it when the parent dies. The child watches it with [Lifeline] and
// shuts down when it ends, so no child outlives its parent; [Serve] is a
// child's main function built on it, and [Run] the switch at the top of
// the example's main that makes the process a child. A child says it is up
// by sending a greeting to an actor of the parent's, a [Hellos] actor.
package child

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/troupe-go/troupe/examples/internal/cli"
)

// Lifeline returns a context that ends when stdin reaches end of file or
// fails: when the parent closes the child's stdin, or dies. The returned
// function ends it early and must be called. A goroutine reads (and
// discards) stdin until then; in a child process, stdin ends with the
// process at the latest.
func Lifeline(stdin io.Reader) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = io.Copy(io.Discard, stdin)
		cancel()
	}()
	return ctx, cancel
}

// Run makes this process a child if it was started as one: when its first
// argument is flag, Run calls main with the arguments, stdin and stderr
// and exits with main's code. Otherwise it returns at once. An example
// calls it first in main, and in TestMain when its tests start the test
// binary as the child.
func Run(flag string, main func(args []string, stdin io.Reader, stderr io.Writer) int) {
	if len(os.Args) > 1 && os.Args[1] == flag {
		os.Exit(main(os.Args[1:], os.Stdin, os.Stderr))
	}
}

// Serve is the main function of a child process once its flags are
// parsed: it calls serve with a context that ends with the lifeline (see
// Lifeline), and returns the exit code. serve's error goes to stderr after
// prefix ("pipeline worker 2: …").
func Serve(stdin io.Reader, stderr io.Writer, prefix string, serve func(ctx context.Context) error) int {
	ctx, cancel := Lifeline(stdin)
	defer cancel()
	if err := serve(ctx); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prefix, err)
		return cli.ExitFailed
	}
	return cli.ExitOK
}

// A Group is a set of child processes that run the same binary as this
// process, started one by one and stopped together. It is not safe for
// concurrent use.
type Group struct {
	prefix string // the example's name, first in every error
	exe    string
	kill   context.CancelFunc // kills the processes still running
	life   context.Context    // ended by kill
	procs  []proc
}

// A proc is one started child process.
type proc struct {
	what  string
	cmd   *exec.Cmd
	stdin io.WriteCloser // the lifeline's write end
}

// NewGroup returns an empty group whose errors begin with prefix (the
// example's name). Its Stop must be called once it is no longer needed.
func NewGroup(prefix string) (*Group, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("%s: find own binary: %w", prefix, err)
	}
	life, kill := context.WithCancel(context.Background())
	return &Group{prefix: prefix, exe: exe, kill: kill, life: life}, nil
}

// Start starts this program again with args. The child writes to this
// process's stderr; its stdin is its lifeline. what names it in errors
// ("worker process 2").
func (g *Group) Start(what string, args ...string) error {
	cmd := exec.CommandContext(g.life, g.exe, args...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("%s: %s: %w", g.prefix, what, err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s: start %s: %w", g.prefix, what, err)
	}
	g.procs = append(g.procs, proc{what: what, cmd: cmd, stdin: stdin})
	return nil
}

// Stop closes every child's stdin, which makes it shut down, and waits for
// them all; those still running after grace are killed. It returns how
// each child that failed ended, joined. Stop on a nil group does nothing.
func (g *Group) Stop(grace time.Duration) error {
	if g == nil {
		return nil
	}
	for _, p := range g.procs {
		_ = p.stdin.Close()
	}
	timer := time.AfterFunc(grace, g.kill)
	defer timer.Stop()
	defer g.kill()
	var errs []error
	for _, p := range g.procs {
		if err := p.cmd.Wait(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %w", g.prefix, p.what, err))
		}
	}
	return errors.Join(errs...)
}
