// Command paranoidpirate is the ZeroMQ guide's Paranoid Pirate (chapter
// 4): a queue with an LRU list of workers, heartbeats both ways, and
// expiry of workers that fall silent. Here one worker hangs on a task and
// is killed while it holds it; the queue stops hearing from it, expires it
// after interval × liveness and hands its task to another worker, so no
// request is lost; every one is answered exactly once.
//
//	go run ./examples/paranoidpirate -workers 3 -interval 100ms -liveness 3
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
	"github.com/troupe-go/troupe/examples/internal/timeline"
)

// config is what the flags set.
type config struct {
	clients, requests int // clients, and requests per client
	workers           int
	cost              time.Duration // per task
	interval          time.Duration // HEARTBEAT_INTERVAL
	liveness          int           // HEARTBEAT_LIVENESS
	killAt            int           // worker-1 hangs on its killAt-th task and is killed; 0: never
	verbose           bool
}

func defaultConfig() config {
	return config{clients: 4, requests: 25, workers: 3, cost: 5 * time.Millisecond,
		interval: 100 * time.Millisecond, liveness: 3, killAt: 5}
}

// errConfig is wrapped by every configuration error.
var errConfig = errors.New("paranoidpirate: bad configuration")

// errLost is returned when a request was not answered exactly once.
var errLost = errors.New("paranoidpirate: a request was not answered exactly once")

func (c config) validate() error {
	switch {
	case c.clients < 1 || c.requests < 1 || c.workers < 1:
		return fmt.Errorf("%w: -clients %d, -requests %d, -workers %d: need at least 1", errConfig, c.clients, c.requests, c.workers)
	case c.workers < 2 && c.killAt > 0:
		return fmt.Errorf("%w: killing the only worker: use -workers 2 or more, or -kill-at 0", errConfig)
	case c.cost < 0 || c.interval <= 0 || c.liveness < 1:
		return fmt.Errorf("%w: -cost %v, -interval %v, -liveness %d: need cost >= 0, a positive interval, liveness >= 1",
			errConfig, c.cost, c.interval, c.liveness)
	case c.killAt < 0:
		return fmt.Errorf("%w: -kill-at %d: need 0 (never) or more", errConfig, c.killAt)
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := defaultConfig()
	fs := cli.NewFlagSet("paranoidpirate", stderr, &cfg.verbose)
	fs.IntVar(&cfg.clients, "clients", cfg.clients, "client actors, one request outstanding each")
	fs.IntVar(&cfg.requests, "requests", cfg.requests, "requests per client")
	fs.IntVar(&cfg.workers, "workers", cfg.workers, "worker actors")
	fs.DurationVar(&cfg.cost, "cost", cfg.cost, "time a worker spends on a task")
	fs.DurationVar(&cfg.interval, "interval", cfg.interval, "heartbeat interval (the guide's is 1s)")
	fs.IntVar(&cfg.liveness, "liveness", cfg.liveness, "heartbeats missed before a peer is declared dead")
	fs.IntVar(&cfg.killAt, "kill-at", cfg.killAt, "worker-1 hangs on this task and is killed (0: never)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, cfg.validate()
}

func main() {
	cli.Main(time.Minute, parseFlags, run)
}

// run starts the queue, the workers and the clients; kills worker-1 when
// it hangs; and reports once every client is done.
func run(ctx context.Context, w io.Writer, cfg config) (err error) {
	if err := cfg.validate(); err != nil {
		return err
	}
	sys := actor.NewSystem(actor.WithLogger(cli.Logger(cfg.verbose)))
	defer func() { err = errors.Join(err, cli.Shutdown(sys, "paranoidpirate")) }()

	log := timeline.New(1024)
	queue, err := sys.Spawn(ctx, queueBehavior(cfg.interval, cfg.liveness, log.Add), actor.WithName("queue"))
	if err != nil {
		return fmt.Errorf("paranoidpirate: spawn queue: %w", err)
	}
	victims := make(chan actor.Ref, 1)
	specs := workerSpecs(cfg, queue, log, victims)
	for _, spec := range specs {
		if _, err := sys.Spawn(ctx, spec.behavior(), actor.WithName(spec.name)); err != nil {
			return fmt.Errorf("paranoidpirate: spawn %s: %w", spec.name, err)
		}
	}
	fmt.Fprintf(w, "paranoidpirate: %d clients x %d requests, %d workers, heartbeat %v x liveness %d (expiry %v)\n",
		cfg.clients, cfg.requests, cfg.workers, cfg.interval, cfg.liveness, time.Duration(cfg.liveness)*cfg.interval)
	tallies, err := runClients(ctx, sys, cfg, queue, victims, func(ref actor.Ref) error {
		return killAndReplace(ctx, sys, ref, specs[0], log)
	})
	if err != nil {
		return err
	}
	v, err := sys.Request(ctx, queue, getStats{})
	if err != nil {
		return fmt.Errorf("paranoidpirate: queue stats: %w", err)
	}
	st, _ := v.(queueStats)
	log.Print(w)
	return report(w, cfg, tallies, st)
}

// workerSpecs describes worker-1 … worker-N. worker-1 hangs on its
// cfg.killAt-th task, once, and sends its ref to victims.
func workerSpecs(cfg config, queue actor.Ref, log *timeline.Timeline, victims chan<- actor.Ref) []workerSpec {
	var tasks atomic.Int64 // worker-1's tasks, across incarnations
	specs := make([]workerSpec, cfg.workers)
	for i := range specs {
		spec := workerSpec{name: fmt.Sprintf("worker-%d", i+1), queue: queue, interval: cfg.interval,
			liveness: cfg.liveness, maxReconnect: 32 * cfg.interval, log: log.Add}
		if i == 0 && cfg.killAt > 0 {
			spec.onTask = func(self actor.Ref, t task) bool {
				if tasks.Add(1) != int64(cfg.killAt) {
					return false
				}
				log.Add("%s: hangs on request %d", self.String(), t.ID)
				victims <- self // buffered, and sent once
				return true
			}
		}
		specs[i] = spec
	}
	return specs
}

// killAndReplace kills a worker at once, as a kill -9 would, waits until
// it is dead, and starts a fresh one under the same name, as a process
// manager would: a new worker to the queue, which knows nothing of the
// old one's task. (The runtime restarts actors that fail, not ones that
// are killed on purpose.)
func killAndReplace(ctx context.Context, sys *actor.System, ref actor.Ref, spec workerSpec, log *timeline.Timeline) error {
	sys.Kill(ref)
	if err := sys.Stop(ctx, ref); err != nil {
		return fmt.Errorf("paranoidpirate: wait for %v to die: %w", ref, err)
	}
	fresh, err := sys.Spawn(ctx, spec.behavior(), actor.WithName(spec.name))
	if err != nil {
		return fmt.Errorf("paranoidpirate: replace %s: %w", spec.name, err)
	}
	log.Add("main: killed %v, started %v", ref, fresh)
	return nil
}

// runClients starts the clients, kills the victim when it hangs, and
// collects the clients' tallies.
func runClients(ctx context.Context, sys *actor.System, cfg config, queue actor.Ref,
	victims <-chan actor.Ref, kill func(actor.Ref) error) ([]clientTally, error) {
	results := make(chan clientTally, cfg.clients)
	timeout := 10*time.Duration(cfg.liveness)*cfg.interval + time.Second
	for i := range cfg.clients {
		b := client(queue, i*cfg.requests+1, cfg.requests, cfg.cost, timeout, results)
		if _, err := sys.Spawn(ctx, b, actor.WithName(fmt.Sprintf("client-%d", i+1))); err != nil {
			return nil, fmt.Errorf("paranoidpirate: spawn client: %w", err)
		}
	}
	var tallies []clientTally
	for len(tallies) < cfg.clients {
		select {
		case ref := <-victims:
			if err := kill(ref); err != nil {
				return nil, err
			}
		case t := <-results:
			tallies = append(tallies, t)
		case <-ctx.Done():
			return nil, fmt.Errorf("paranoidpirate: waiting for clients: %w", context.Cause(ctx))
		}
	}
	return tallies, nil
}
