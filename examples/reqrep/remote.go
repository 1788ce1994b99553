package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/child"
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

// serverProcess is the main function of a server process. It returns the
// exit code.
func serverProcess(args []string, stdin io.Reader, stderr io.Writer) int {
	var verbose bool
	fs := cli.NewFlagSet("reqrep server", stderr, &verbose)
	parent := fs.String(childFlag[1:], "", "address of the parent node")
	slow := fs.Duration("slow-delay", time.Second, "delay of slow replies")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	return child.Serve(stdin, stderr, "reqrep server", func(ctx context.Context) error {
		return serveRemote(ctx, *parent, *slow, verbose)
	})
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

// startServerProc starts the server process and returns the server's ref
// once it has announced itself. The caller must stop the process.
func startServerProc(ctx context.Context, sys *actor.System, node *tnet.Node, cfg config) (actor.Ref, *child.Group, error) {
	up := make(chan serverUp, 1)
	if _, err := sys.Spawn(ctx, child.Hellos(up), actor.WithName(joinName)); err != nil {
		return actor.Ref{}, nil, fmt.Errorf("reqrep: spawn %s: %w", joinName, err)
	}
	proc, err := launch(node.Address(), 2*cfg.timeout, cfg.verbose)
	if err != nil {
		return actor.Ref{}, proc, err
	}
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	select {
	case m := <-up:
		return m.Ref, proc, nil
	case <-wait.Done():
		return actor.Ref{}, proc, fmt.Errorf("reqrep: waiting for the server process: %w", context.Cause(wait))
	}
}

// launch starts the server process.
func launch(parent string, slow time.Duration, verbose bool) (*child.Group, error) {
	proc, err := child.NewGroup("reqrep")
	if err != nil {
		return nil, err
	}
	args := []string{childFlag, parent, "-slow-delay", slow.String()}
	if verbose {
		args = append(args, "-v")
	}
	return proc, proc.Start("server process", args...)
}
