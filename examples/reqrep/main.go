// Command reqrep is request-reply between actors, with deadlines: clients
// call a server with System.Request (here Process.Request) bounded by a
// context; some requests are slow on purpose, so their callers get a
// *actor.TimeoutError that names the target and the message type, and the
// reply that comes later becomes a dead letter (ReasonLateReply) instead
// of reaching anyone by mistake.
//
//	go run ./examples/reqrep -clients 3 -requests 20 -timeout 100ms
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

// config is what the flags set.
type config struct {
	clients   int
	requests  int           // per client
	slowEvery int           // every slowEvery-th request is slow; 0: none
	timeout   time.Duration // deadline of each request
	remote    bool          // run the server in a process of its own, over tcp
	verbose   bool
}

func defaultConfig() config {
	return config{clients: 3, requests: 20, slowEvery: 10, timeout: 100 * time.Millisecond}
}

// errConfig is wrapped by every configuration error.
var errConfig = errors.New("reqrep: bad configuration")

func (c config) validate() error {
	switch {
	case c.clients < 1 || c.requests < 1:
		return fmt.Errorf("%w: -clients %d, -requests %d: need at least 1", errConfig, c.clients, c.requests)
	case c.slowEvery < 0:
		return fmt.Errorf("%w: -slow-every %d: need 0 (none) or more", errConfig, c.slowEvery)
	case c.timeout <= 0:
		return fmt.Errorf("%w: -timeout %v: need a positive deadline", errConfig, c.timeout)
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := defaultConfig()
	fs := cli.NewFlagSet("reqrep", stderr, &cfg.verbose)
	fs.IntVar(&cfg.clients, "clients", cfg.clients, "client actors")
	fs.IntVar(&cfg.requests, "requests", cfg.requests, "requests per client, one after the other")
	fs.IntVar(&cfg.slowEvery, "slow-every", cfg.slowEvery, "every n-th request is answered after twice the timeout (0: none)")
	fs.DurationVar(&cfg.timeout, "timeout", cfg.timeout, "deadline of each request")
	fs.BoolVar(&cfg.remote, "remote", false, "run the server in an OS process of its own, over tcp")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, cfg.validate()
}

func main() {
	child.Run(childFlag, serverProcess)
	cli.Main(time.Minute, parseFlags, run)
}

// run starts the server and the clients, waits for the clients' tallies
// and for the server's late replies, and reports.
func run(ctx context.Context, w io.Writer, cfg config) (err error) {
	if err := cfg.validate(); err != nil {
		return err
	}
	sys := actor.NewSystem(actor.WithLogger(cli.Logger(cfg.verbose)))
	defer func() { err = errors.Join(err, cli.Shutdown(sys, "reqrep")) }()

	server, stopServer, err := startServer(ctx, sys, cfg)
	// The server process, if any, stops before the system shuts down.
	defer func() { err = errors.Join(err, stopServer()) }()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "reqrep: %d clients x %d requests to %v, deadline %v, every %d-th request slow (%v)\n",
		cfg.clients, cfg.requests, server, cfg.timeout, cfg.slowEvery, 2*cfg.timeout)
	tallies, err := runClients(ctx, sys, cfg, server)
	if err != nil {
		return err
	}
	v, err := sys.Request(ctx, server, drain{})
	if err != nil {
		return fmt.Errorf("reqrep: drain server: %w", err)
	}
	srv, _ := v.(drained)
	if err := report(w, cfg, tallies, srv, sys.DeadLetters()); err != nil {
		return err
	}
	return afterStop(ctx, w, sys, server)
}

// startServer spawns the server here, or with cfg.remote in a process of
// its own. It returns the function that stops that process (a no-op for a
// local server), to call even when it returns an error.
func startServer(ctx context.Context, sys *actor.System, cfg config) (actor.Ref, func() error, error) {
	noop := func() error { return nil }
	if !cfg.remote {
		server, err := sys.Spawn(ctx, serverBehavior(2*cfg.timeout), actor.WithName("server"))
		if err != nil {
			return server, noop, fmt.Errorf("reqrep: spawn server: %w", err)
		}
		return server, noop, nil
	}
	registerTypes()
	node, err := tnet.Listen(ctx, sys, "tcp://127.0.0.1:0")
	if err != nil {
		return actor.Ref{}, noop, fmt.Errorf("reqrep: listen: %w", err)
	}
	server, proc, err := startServerProc(ctx, sys, node, cfg)
	return server, func() error { return proc.Stop(5 * time.Second) }, err
}

// runClients starts the clients and collects their tallies.
func runClients(ctx context.Context, sys *actor.System, cfg config, server actor.Ref) ([]clientTally, error) {
	results := make(chan clientTally, cfg.clients)
	for i := 1; i <= cfg.clients; i++ {
		name := fmt.Sprintf("client-%d", i)
		b := client(name, server, cfg.requests, cfg.slowEvery, cfg.timeout, results)
		if _, err := sys.Spawn(ctx, b, actor.WithName(name)); err != nil {
			return nil, fmt.Errorf("reqrep: spawn %s: %w", name, err)
		}
	}
	tallies := make([]clientTally, 0, cfg.clients)
	for range cfg.clients {
		select {
		case t := <-results:
			tallies = append(tallies, t)
		case <-ctx.Done():
			return nil, fmt.Errorf("reqrep: waiting for clients: %w", context.Cause(ctx))
		}
	}
	return tallies, nil
}

// afterStop shows what a request to a stopped server gets: an error at
// once, by ref or by name, not a wait for the deadline.
func afterStop(ctx context.Context, w io.Writer, sys *actor.System, server actor.Ref) error {
	if err := sys.Stop(ctx, server); err != nil {
		return fmt.Errorf("reqrep: stop server: %w", err)
	}
	for _, to := range []actor.Ref{server, {Node: server.Node, Name: "server"}} {
		start := time.Now()
		_, err := sys.Request(ctx, to, work{Client: "main", ID: 0})
		if !errors.Is(err, actor.ErrNotFound) {
			return fmt.Errorf("reqrep: request to the stopped server %v: got %v, want ErrNotFound", to, err)
		}
		fmt.Fprintf(w, "after stop, request to %v failed in %v: %v\n", to, time.Since(start).Round(time.Microsecond), err)
	}
	return nil
}
