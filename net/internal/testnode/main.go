// Command testnode is a Troupe node in a process of its own, for the
// multi-process tests of package net (net/process_*_test.go), which build
// it with go build into a temporary directory.
//
// It makes an actor.System and a net.Node listening on -endpoint,
// registers three things, prints "address ADDR" (the node's address) and
// then "ready" on stdout, and runs until its stdin reaches end of file or
// it gets SIGINT or SIGTERM; then it closes the node, shuts the system
// down and exits 0. Errors go to stderr with exit status 1.
//
//   - "echo": replies to every message with the message itself;
//   - "counter": counts testmsg.Tick messages and answers testmsg.Count
//     with testmsg.Counted;
//   - kind "worker" (for remote spawn): an echo actor.
//
// Flags: -endpoint (required: tcp://127.0.0.1:0, ipc:///path…),
// -heartbeat and -liveness (default 200ms × 3), -reconnect (initial
// backoff, default 100ms; the maximum is four times it), -v (log to
// stderr at debug level).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net"
	"github.com/troupe-go/troupe/net/internal/testnode/testmsg"
)

// closeTimeout bounds Close and Shutdown at exit.
const closeTimeout = 5 * time.Second

type config struct {
	endpoint  string
	heartbeat time.Duration
	liveness  int
	reconnect time.Duration
	verbose   bool
}

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "testnode:", err)
		os.Exit(1)
	}
}

func parse(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("testnode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.endpoint, "endpoint", "", "endpoint to listen on (required)")
	fs.DurationVar(&c.heartbeat, "heartbeat", 200*time.Millisecond, "heartbeat interval")
	fs.IntVar(&c.liveness, "liveness", 3, "heartbeat intervals of silence before a peer is down")
	fs.DurationVar(&c.reconnect, "reconnect", 100*time.Millisecond, "first reconnect wait (the maximum is 4×)")
	fs.BoolVar(&c.verbose, "v", false, "log to stderr at debug level")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.endpoint == "" || fs.NArg() > 0 {
		return c, errors.New("usage: testnode -endpoint ENDPOINT [-heartbeat D] [-liveness N] [-reconnect D] [-v]")
	}
	return c, nil
}

// run serves until stdin ends or a signal comes.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	c, err := parse(args, stderr)
	if err != nil {
		return err
	}
	if err := testmsg.Register(nil); err != nil {
		return err
	}
	level := slog.LevelWarn + 100 // quiet by default
	if c.verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	sys := actor.NewSystem(actor.WithLogger(log))
	node, err := start(ctx, sys, c)
	if err == nil {
		fmt.Fprintln(stdout, "address", node.Address())
		fmt.Fprintln(stdout, "ready")
		waitForEnd(ctx, stdin)
	}
	return errors.Join(err, shutdown(sys, node))
}

// start makes the node and its actors.
func start(ctx context.Context, sys *actor.System, c config) (*net.Node, error) {
	node, err := net.Listen(ctx, sys, c.endpoint,
		net.WithHeartbeat(c.heartbeat, c.liveness),
		net.WithReconnect(c.reconnect, 4*c.reconnect))
	if err != nil {
		return nil, err
	}
	if _, err := sys.Spawn(ctx, actor.Func(echo), actor.WithName("echo")); err != nil {
		return node, fmt.Errorf("spawn echo: %w", err)
	}
	if _, err := sys.Spawn(ctx, actor.New(newCounter), actor.WithName("counter")); err != nil {
		return node, fmt.Errorf("spawn counter: %w", err)
	}
	if err := node.RegisterKind("worker", actor.Func(echo)); err != nil {
		return node, fmt.Errorf("register kind worker: %w", err)
	}
	return node, nil
}

// waitForEnd returns when stdin reaches end of file (or fails) or ctx
// ends. The goroutine reading stdin may outlive it by the time the
// process takes to exit.
func waitForEnd(ctx context.Context, stdin io.Reader) {
	eof := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, stdin)
		close(eof)
	}()
	select {
	case <-eof:
	case <-ctx.Done():
	}
}

func shutdown(sys *actor.System, node *net.Node) error {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	var err error
	if node != nil {
		err = node.Close(ctx)
	}
	return errors.Join(err, sys.Shutdown(ctx))
}
