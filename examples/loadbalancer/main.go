// Command loadbalancer is the ZeroMQ guide's load-balancing broker
// (router-dealer, chapter 3) as Troupe actors. Workers of different speeds
// announce READY; the broker keeps a least-recently-used queue of ready
// workers and takes a client request from the frontend only while one of
// them is free, so each worker gets work as fast as it can do it, and the
// fast ones do more.
//
//	go run ./examples/loadbalancer -clients 10 -speeds 1,2,4 -cost 2ms
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
	"github.com/troupe-go/troupe/mailbox"
)

// config is what the flags set.
type config struct {
	clients  int
	requests int           // per client
	speeds   []int         // one worker per entry: its job takes cost × speed
	cost     time.Duration // job cost of the fastest possible worker
	hwm      int           // frontend mailbox capacity
	verbose  bool
}

func defaultConfig() config {
	return config{clients: 10, requests: 30, speeds: []int{1, 2, 4}, cost: 2 * time.Millisecond, hwm: mailbox.DefaultCapacity}
}

// errConfig is wrapped by every configuration error.
var errConfig = errors.New("loadbalancer: bad configuration")

func (c config) validate() error {
	switch {
	case c.clients < 1 || c.requests < 1:
		return fmt.Errorf("%w: -clients %d, -requests %d: need at least 1", errConfig, c.clients, c.requests)
	case len(c.speeds) == 0:
		return fmt.Errorf("%w: -speeds: need at least one worker", errConfig)
	case c.cost <= 0:
		return fmt.Errorf("%w: -cost %v: need a positive cost", errConfig, c.cost)
	case c.hwm < 1:
		return fmt.Errorf("%w: -hwm %d: need at least 1", errConfig, c.hwm)
	}
	for _, s := range c.speeds {
		if s < 1 {
			return fmt.Errorf("%w: -speeds: %d: each must be at least 1", errConfig, s)
		}
	}
	return nil
}

// parseSpeeds reads a comma-separated list of cost multipliers.
func parseSpeeds(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("%w: -speeds %q: %v", errConfig, s, err)
		}
		out = append(out, n)
	}
	return out, nil
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := defaultConfig()
	fs := cli.NewFlagSet("loadbalancer", stderr, &cfg.verbose)
	speeds := "1,2,4"
	fs.IntVar(&cfg.clients, "clients", cfg.clients, "client actors, each with one request outstanding")
	fs.IntVar(&cfg.requests, "requests", cfg.requests, "requests per client")
	fs.StringVar(&speeds, "speeds", speeds, "one worker per entry; a worker with speed k takes k × cost per job")
	fs.DurationVar(&cfg.cost, "cost", cfg.cost, "job cost for a speed-1 worker")
	fs.IntVar(&cfg.hwm, "hwm", cfg.hwm, "frontend mailbox capacity (high-water mark)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	var err error
	if cfg.speeds, err = parseSpeeds(speeds); err != nil {
		return cfg, err
	}
	return cfg, cfg.validate()
}

func main() {
	cli.Main(time.Minute, parseFlags, run)
}

// run starts the broker, its frontend, the workers and the clients, waits
// for the clients and reports.
func run(ctx context.Context, w io.Writer, cfg config) (err error) {
	if err := cfg.validate(); err != nil {
		return err
	}
	sys := actor.NewSystem(actor.WithLogger(cli.Logger(cfg.verbose)))
	defer func() { err = errors.Join(err, cli.Shutdown(sys, "loadbalancer")) }()

	jobs := make(chan job) // frontend → broker; unbuffered: a handoff, not a queue
	broker, err := sys.Spawn(ctx, brokerBehavior(jobs), actor.WithName("broker"))
	if err != nil {
		return fmt.Errorf("loadbalancer: spawn broker: %w", err)
	}
	front, err := sys.Spawn(ctx, frontend(jobs), actor.WithName("frontend"),
		actor.WithMailbox(mailbox.WithCapacity(cfg.hwm)))
	if err != nil {
		return fmt.Errorf("loadbalancer: spawn frontend: %w", err)
	}
	for i, speed := range cfg.speeds {
		name := workerName(i)
		if _, err := sys.Spawn(ctx, worker(name, broker, time.Duration(speed)*cfg.cost), actor.WithName(name)); err != nil {
			return fmt.Errorf("loadbalancer: spawn %s: %w", name, err)
		}
	}
	start := time.Now()
	tallies, err := runClients(ctx, sys, cfg, front)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	v, err := sys.Request(ctx, broker, getStats{})
	if err != nil {
		return fmt.Errorf("loadbalancer: broker stats: %w", err)
	}
	st, _ := v.(brokerStats)
	fs, _ := sys.MailboxStats(front)
	return report(w, cfg, tallies, st, fs, elapsed)
}

func workerName(i int) string { return fmt.Sprintf("worker-%d", i+1) }

// runClients starts the clients and collects their tallies.
func runClients(ctx context.Context, sys *actor.System, cfg config, front actor.Ref) ([]clientTally, error) {
	results := make(chan clientTally, cfg.clients)
	for i := 1; i <= cfg.clients; i++ {
		name := fmt.Sprintf("client-%d", i)
		if _, err := sys.Spawn(ctx, client(name, front, cfg.requests, time.Minute, results), actor.WithName(name)); err != nil {
			return nil, fmt.Errorf("loadbalancer: spawn %s: %w", name, err)
		}
	}
	var tallies []clientTally
	for range cfg.clients {
		select {
		case t := <-results:
			tallies = append(tallies, t)
		case <-ctx.Done():
			return nil, fmt.Errorf("loadbalancer: waiting for clients: %w", context.Cause(ctx))
		}
	}
	return tallies, nil
}
