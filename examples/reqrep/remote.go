package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
	tnet "github.com/troupe-go/troupe/net"
)

// With -remote, the server runs in an OS process of its own: the example
// starts its own binary again with -serve-for ADDR. That process listens
// as a node, spawns the server, and sends its ref to the parent (a
// serverUp message to the actor registered as joinName). The clients then
// make the same requests across the link, and the same deadlines apply.
// The server process lives until its stdin is closed, by the parent at the
// end or by the system when the parent dies.

const (
	childFlag = "-serve-for" // first argument of a server process
	joinName  = "reqrep.join"
)

// serverUp is the server process's hello: the server's ref.
type serverUp struct{ Ref actor.Ref }

// registerTypes registers the messages that cross process boundaries.
// Registering again is a no-op, so both sides just call it.
func registerTypes() {
	tnet.MustRegister[work](tnet.DefaultCodec, "reqrep.work")
	tnet.MustRegister[done](tnet.DefaultCodec, "reqrep.done")
	tnet.MustRegister[drain](tnet.DefaultCodec, "reqrep.drain")
	tnet.MustRegister[drained](tnet.DefaultCodec, "reqrep.drained")
	tnet.MustRegister[serverUp](tnet.DefaultCodec, "reqrep.serverUp")
}

// isServerProcess reports whether args (without the program name) start a
// server process.
func isServerProcess(args []string) bool { return len(args) > 0 && args[0] == childFlag }

// serverProcess is the main function of a server process. It returns the
// exit code.
func serverProcess(args []string, stdin io.Reader, stderr io.Writer) int {
	fs := flag.NewFlagSet("reqrep server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	parent := fs.String(childFlag[1:], "", "address of the parent node")
	slow := fs.Duration("slow-delay", time.Second, "delay of slow replies")
	verbose := fs.Bool("v", false, "log to stderr")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // the lifeline: the parent closes stdin, or dies
		_, _ = io.Copy(io.Discard, stdin)
		cancel()
	}()
	if err := serveRemote(ctx, *parent, *slow, *verbose); err != nil {
		fmt.Fprintf(stderr, "reqrep server: %v\n", err)
		return 1
	}
	return 0
}

// serveRemote runs the server node until ctx ends.
func serveRemote(ctx context.Context, parent string, slow time.Duration, verbose bool) (err error) {
	registerTypes()
	sys := actor.NewSystem(actor.WithLogger(cli.Logger(verbose)))
	defer func() { err = errors.Join(err, cli.Shutdown(sys, "reqrep")) }()
	if _, err := tnet.Listen(ctx, sys, "tcp://127.0.0.1:0"); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	server, err := sys.Spawn(ctx, serverBehavior(slow), actor.WithName("server"))
	if err != nil {
		return fmt.Errorf("spawn server: %w", err)
	}
	if err := sys.Send(ctx, actor.Ref{Node: parent, Name: joinName}, serverUp{Ref: server}); err != nil {
		return fmt.Errorf("announce to %s: %w", parent, err)
	}
	<-ctx.Done()
	return nil
}

// A serverProc is the server process of a remote run.
type serverProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	kill  context.CancelFunc
}

// startServerProc starts the server process and returns the server's ref
// once it has announced itself. The caller must stop the process.
func startServerProc(ctx context.Context, sys *actor.System, node *tnet.Node, cfg config) (actor.Ref, *serverProc, error) {
	up := make(chan actor.Ref, 1)
	if _, err := sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		if m, ok := p.Message().(serverUp); ok {
			select {
			case up <- m.Ref:
			default:
				return fmt.Errorf("reqrep: unexpected second server %v", m.Ref)
			}
		}
		return nil
	}), actor.WithName(joinName)); err != nil {
		return actor.Ref{}, nil, fmt.Errorf("reqrep: spawn %s: %w", joinName, err)
	}
	proc, err := launch(node.Address(), 2*cfg.timeout, cfg.verbose)
	if err != nil {
		return actor.Ref{}, proc, err
	}
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	select {
	case ref := <-up:
		return ref, proc, nil
	case <-wait.Done():
		return actor.Ref{}, proc, fmt.Errorf("reqrep: waiting for the server process: %w", context.Cause(wait))
	}
}

func launch(parent string, slow time.Duration, verbose bool) (*serverProc, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("reqrep: find own binary: %w", err)
	}
	procCtx, kill := context.WithCancel(context.Background())
	args := []string{childFlag, parent, "-slow-delay", slow.String()}
	if verbose {
		args = append(args, "-v")
	}
	cmd := exec.CommandContext(procCtx, exe, args...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		kill()
		return nil, fmt.Errorf("reqrep: server process: %w", err)
	}
	if err := cmd.Start(); err != nil {
		kill()
		return nil, fmt.Errorf("reqrep: start server process: %w", err)
	}
	return &serverProc{cmd: cmd, stdin: stdin, kill: kill}, nil
}

// stop closes the process's stdin, which makes it shut down, and waits for
// it; if it still runs after grace, it is killed.
func (s *serverProc) stop(grace time.Duration) error {
	if s == nil {
		return nil
	}
	_ = s.stdin.Close()
	timer := time.AfterFunc(grace, s.kill)
	defer timer.Stop()
	defer s.kill()
	if err := s.cmd.Wait(); err != nil {
		return fmt.Errorf("reqrep: server process: %w", err)
	}
	return nil
}
