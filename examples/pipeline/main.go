// Command pipeline is the ZeroMQ guide's divide-and-conquer pipeline
// ("parallel task ventilator", chapter 1) with Troupe actors: a ventilator
// hands tasks of random cost to N workers, round robin as a PUSH socket
// does, and a sink collects the results and reports who did what and how
// long the batch took against the sequential sum of its costs.
//
//	go run ./examples/pipeline -tasks 100 -workers 4 -dist exp
//
// Workers come in both actor forms: loop form (a goroutine selecting on
// its inbox) and handler form (a Receive function per message); -form
// picks one or mixes them.
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
	"github.com/troupe-go/troupe/mailbox"
	tnet "github.com/troupe-go/troupe/net"
)

// config is what the flags set.
type config struct {
	tasks    int           // tasks in the batch
	workers  int           // worker actors
	min, max time.Duration // cost range of one task
	dist     string        // cost distribution: uniform or exp
	seed     uint64        // random seed for the costs
	form     string        // worker form: loop, handler or mixed
	hwm      int           // worker mailbox capacity
	verbose  bool          // log to stderr
	// distributed runs each worker in a process of its own, over tcp.
	distributed bool
}

func defaultConfig() config {
	return config{tasks: 100, workers: 4, min: time.Millisecond, max: 50 * time.Millisecond,
		dist: "uniform", seed: 1, form: "mixed", hwm: mailbox.DefaultCapacity}
}

// errConfig is wrapped by every configuration error.
var errConfig = errors.New("pipeline: bad configuration")

func (c config) validate() error {
	switch {
	case c.tasks < 1:
		return fmt.Errorf("%w: -tasks %d: need at least 1", errConfig, c.tasks)
	case c.workers < 1:
		return fmt.Errorf("%w: -workers %d: need at least 1", errConfig, c.workers)
	case c.min < 0 || c.max < c.min:
		return fmt.Errorf("%w: cost range [%v, %v]: need 0 <= -min <= -max", errConfig, c.min, c.max)
	case c.dist != "uniform" && c.dist != "exp":
		return fmt.Errorf("%w: -dist %q: want uniform or exp", errConfig, c.dist)
	case c.form != "loop" && c.form != "handler" && c.form != "mixed":
		return fmt.Errorf("%w: -form %q: want loop, handler or mixed", errConfig, c.form)
	case c.hwm < 1:
		return fmt.Errorf("%w: -hwm %d: need at least 1", errConfig, c.hwm)
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := defaultConfig()
	fs := cli.NewFlagSet("pipeline", stderr, &cfg.verbose)
	fs.IntVar(&cfg.tasks, "tasks", cfg.tasks, "number of tasks in the batch")
	fs.IntVar(&cfg.workers, "workers", cfg.workers, "number of worker actors")
	fs.DurationVar(&cfg.min, "min", cfg.min, "shortest task")
	fs.DurationVar(&cfg.max, "max", cfg.max, "longest task (uniform) or twice the mean (exp)")
	fs.StringVar(&cfg.dist, "dist", cfg.dist, "cost distribution: uniform or exp")
	fs.Uint64Var(&cfg.seed, "seed", cfg.seed, "random seed for task costs")
	fs.StringVar(&cfg.form, "form", cfg.form, "worker form: loop, handler or mixed")
	fs.IntVar(&cfg.hwm, "hwm", cfg.hwm, "worker mailbox capacity (high-water mark)")
	fs.BoolVar(&cfg.distributed, "distributed", false, "run each worker in an OS process of its own, over tcp")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, cfg.validate()
}

func main() {
	child.Run(childFlag, workerProcess)
	cli.Main(time.Minute, parseFlags, run)
}

// run runs one batch through the pipeline and prints the sink's report.
func run(ctx context.Context, w io.Writer, cfg config) (err error) {
	if err := cfg.validate(); err != nil {
		return err
	}
	sys := actor.NewSystem(actor.WithLogger(cli.Logger(cfg.verbose)))
	defer func() { err = errors.Join(err, cli.Shutdown(sys, "pipeline")) }()

	var node *tnet.Node
	if cfg.distributed {
		registerTypes()
		// Listen first: refs of actors spawned before it would not
		// carry the node's address.
		if node, err = tnet.Listen(ctx, sys, "tcp://127.0.0.1:0"); err != nil {
			return fmt.Errorf("pipeline: listen: %w", err)
		}
	}
	tasks := makeTasks(cfg)
	sink, err := sys.Spawn(ctx, sinkBehavior(), actor.WithName("sink"))
	if err != nil {
		return fmt.Errorf("pipeline: spawn sink: %w", err)
	}
	var workers []actor.Ref
	var forms []string
	if cfg.distributed {
		var procs *child.Group
		defer func() { err = errors.Join(err, procs.Stop(5*time.Second)) }()
		workers, forms, procs, err = startWorkerProcs(ctx, sys, node, cfg)
	} else {
		workers, forms, err = spawnWorkers(ctx, sys, cfg, sink)
	}
	if err != nil {
		return err
	}
	where := "in this process"
	if cfg.distributed {
		where = fmt.Sprintf("each in its own process, sink at %s", node.Address())
	}
	fmt.Fprintf(w, "pipeline: %d tasks, %s costs in [%v, %v], %d workers %s, round robin (PUSH)\n",
		cfg.tasks, cfg.dist, cfg.min, cfg.max, cfg.workers, where)
	if err := sys.Send(ctx, sink, watchWorkers{Refs: workers}); err != nil {
		return fmt.Errorf("pipeline: sink: %w", err)
	}
	if _, err := sys.Spawn(ctx, ventilator(tasks, workers, sink), actor.WithName("ventilator")); err != nil {
		return fmt.Errorf("pipeline: spawn ventilator: %w", err)
	}
	v, err := sys.Request(ctx, sink, awaitReport{})
	if err != nil {
		return fmt.Errorf("pipeline: waiting for the sink: %w", err)
	}
	rep, ok := v.(report)
	if !ok {
		return fmt.Errorf("pipeline: sink answered %T, want a report", v)
	}
	rep.print(w, workers, forms)
	return rep.check(tasks)
}

// spawnWorkers starts the workers, named worker-1 … worker-N, in the form
// the configuration asks for.
func spawnWorkers(ctx context.Context, sys *actor.System, cfg config, sink actor.Ref) ([]actor.Ref, []string, error) {
	refs := make([]actor.Ref, cfg.workers)
	forms := make([]string, cfg.workers)
	for i := range refs {
		name := fmt.Sprintf("worker-%d", i+1)
		form := formOf(cfg.form, i)
		b := handlerWorker(sink)
		if form == "loop" {
			b = loopWorker(sink)
		}
		ref, err := sys.Spawn(ctx, b, actor.WithName(name),
			actor.WithMailbox(mailbox.WithCapacity(cfg.hwm)))
		if err != nil {
			return nil, nil, fmt.Errorf("pipeline: spawn %s: %w", name, err)
		}
		refs[i], forms[i] = ref, form
	}
	return refs, forms, nil
}

// formOf returns the form of worker i: mixed alternates loop and handler.
func formOf(form string, i int) string {
	if form == "mixed" {
		return [...]string{"loop", "handler"}[i%2]
	}
	return form
}
