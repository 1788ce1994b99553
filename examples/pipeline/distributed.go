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

// With -distributed, each worker runs in an OS process of its own: the
// example starts its own binary again with -worker-of ADDR. That process
// listens as a node, registers the worker kind, and says so to the parent
// (a joined message to the actor registered as joinName); the parent then
// spawns the worker there with SpawnRemote. Workers send their results to
// the sink by name across the link. A worker process lives until its stdin
// is closed, by the parent when the batch is done or by the system when
// the parent dies: no orphans.

const (
	childFlag  = "-worker-of" // first argument of a worker process
	workerKind = "pipeline.worker"
	joinName   = "pipeline.join"
)

// joined is a worker process's hello: its node address and its index.
type joined struct {
	Node  string
	Index int
}

// registerTypes registers the messages that cross process boundaries.
// Registering again is a no-op, so both sides just call it.
func registerTypes() {
	tnet.MustRegister[task](tnet.DefaultCodec, "pipeline.task")
	tnet.MustRegister[result](tnet.DefaultCodec, "pipeline.result")
	tnet.MustRegister[joined](tnet.DefaultCodec, "pipeline.joined")
}

// workerProcess is the main function of a worker process. It returns the
// exit code.
func workerProcess(args []string, stdin io.Reader, stderr io.Writer) int {
	var verbose bool
	fs := cli.NewFlagSet("pipeline worker", stderr, &verbose)
	parent := fs.String(childFlag[1:], "", "address of the parent node")
	index := fs.Int("index", 0, "this worker's index")
	form := fs.String("form", "handler", "worker form: loop or handler")
	hwm := fs.Int("hwm", mailbox.DefaultCapacity, "worker mailbox capacity")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	return child.Serve(stdin, stderr, fmt.Sprintf("pipeline worker %d", *index), func(ctx context.Context) error {
		return serveWorker(ctx, *parent, *index, *form, *hwm, verbose)
	})
}

// serveWorker runs the worker node until ctx ends.
func serveWorker(ctx context.Context, parent string, index int, form string, hwm int, verbose bool) (err error) {
	registerTypes()
	sys := actor.NewSystem(actor.WithLogger(cli.Logger(verbose)))
	defer func() { err = errors.Join(err, cli.Shutdown(sys, "pipeline")) }()
	node, err := tnet.Listen(ctx, sys, "tcp://127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	sink := actor.Ref{Node: parent, Name: "sink"} // whoever holds the name there
	b := handlerWorker(sink)
	if form == "loop" {
		b = loopWorker(sink)
	}
	if err := node.RegisterKind(workerKind, b, actor.WithMailbox(mailbox.WithCapacity(hwm))); err != nil {
		return fmt.Errorf("register kind: %w", err)
	}
	if err := sys.Send(ctx, actor.Ref{Node: parent, Name: joinName}, joined{Node: node.Address(), Index: index}); err != nil {
		return fmt.Errorf("join %s: %w", parent, err)
	}
	<-ctx.Done()
	return nil
}

// startWorkerProcs starts cfg.workers worker processes, waits for each to
// join, and spawns a worker on each. It returns the workers' refs and
// forms, and the processes, which the caller must stop.
func startWorkerProcs(ctx context.Context, sys *actor.System, node *tnet.Node, cfg config) ([]actor.Ref, []string, *child.Group, error) {
	joins := make(chan joined, cfg.workers)
	if _, err := sys.Spawn(ctx, child.Hellos(joins), actor.WithName(joinName)); err != nil {
		return nil, nil, nil, fmt.Errorf("pipeline: spawn %s: %w", joinName, err)
	}
	procs, forms, err := launch(cfg, node.Address())
	if err != nil {
		return nil, nil, procs, err
	}
	refs := make([]actor.Ref, cfg.workers)
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for range cfg.workers {
		var j joined
		select {
		case j = <-joins:
		case <-wait.Done():
			return nil, nil, procs, fmt.Errorf("pipeline: waiting for worker processes to join: %w", context.Cause(wait))
		}
		name := fmt.Sprintf("worker-%d", j.Index+1)
		ref, err := node.SpawnRemote(wait, j.Node, workerKind, name)
		if err != nil {
			return nil, nil, procs, fmt.Errorf("pipeline: spawn %s on %s: %w", name, j.Node, err)
		}
		refs[j.Index] = ref
	}
	return refs, forms, procs, nil
}

// launch starts the processes.
func launch(cfg config, parent string) (*child.Group, []string, error) {
	procs, err := child.NewGroup("pipeline")
	if err != nil {
		return nil, nil, err
	}
	forms := make([]string, cfg.workers)
	for i := range cfg.workers {
		forms[i] = formOf(cfg.form, i)
		args := []string{childFlag, parent, "-index", fmt.Sprint(i), "-form", forms[i], "-hwm", fmt.Sprint(cfg.hwm)}
		if cfg.verbose {
			args = append(args, "-v")
		}
		if err := procs.Start(fmt.Sprintf("worker process %d", i), args...); err != nil {
			return procs, nil, err
		}
	}
	return procs, forms, nil
}
