// Command polyglot runs the ZeroMQ guide's pipeline (chapter 1) across
// languages: a Python ventilator (pyzmq PUSH) hands tasks to Go worker
// actors, each fed by its own socket.Pull, and the workers send their
// results through a socket.Push to a Python sink (pyzmq PULL). The Python
// side is plain pyzmq, the guide's taskvent.py and tasksink.py: it knows
// nothing of Troupe.
//
//	go run ./examples/polyglot -tasks 300 -workers 4
//
// The Python programs (ventilator.py, sink.py, embedded in the binary) run
// under /usr/bin/python3, which needs python3-zmq; the example says how
// to install it when it is missing. As in the guide, the ventilator waits
// until every worker is connected before it sends the first task, so
// libzmq's round robin splits the tasks evenly.
package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
	"github.com/troupe-go/troupe/net/socket"
)

var (
	//go:embed ventilator.py
	ventilatorPy string
	//go:embed sink.py
	sinkPy string
)

// config is what the flags set.
type config struct {
	tasks   int
	workers int
	python  string
	verbose bool
}

func defaultConfig() config { return config{tasks: 100, workers: 4, python: DefaultPython} }

// errConfig is wrapped by every configuration error.
var errConfig = errors.New("polyglot: bad configuration")

func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := defaultConfig()
	fs := cli.NewFlagSet("polyglot", stderr, &cfg.verbose)
	fs.IntVar(&cfg.tasks, "tasks", cfg.tasks, "number of tasks the Python ventilator sends")
	fs.IntVar(&cfg.workers, "workers", cfg.workers, "number of Go worker actors")
	fs.StringVar(&cfg.python, "python", cfg.python, "Python interpreter with pyzmq (python3-zmq)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	switch {
	case cfg.tasks < 1:
		return cfg, fmt.Errorf("%w: -tasks %d: need at least 1", errConfig, cfg.tasks)
	case cfg.workers < 1:
		return cfg, fmt.Errorf("%w: -workers %d: need at least 1", errConfig, cfg.workers)
	}
	return cfg, nil
}

func main() { cli.Main(30*time.Second, parseFlags, run) }

// run is the whole example: Python ventilator → Go workers → Python sink.
func run(ctx context.Context, w io.Writer, cfg config) (err error) {
	if err := checkPython(ctx, cfg.python); err != nil {
		return err
	}
	sys := actor.NewSystem(actor.WithLogger(cli.Logger(cfg.verbose)))
	defer func() { err = errors.Join(err, cli.Shutdown(sys, "polyglot")) }()
	n := strconv.Itoa(cfg.tasks)
	sink, err := startScript(ctx, cfg.python, "sink.py", sinkPy, n)
	if err != nil {
		return err
	}
	defer sink.kill()
	vent, err := startScript(ctx, cfg.python, "ventilator.py", ventilatorPy, n, strconv.Itoa(cfg.workers))
	if err != nil {
		return err
	}
	defer vent.kill()
	fmt.Fprintf(w, "polyglot: Python ventilator (PUSH) -> %d Go worker actors (socket.Pull) -> Python sink (PULL)\n", cfg.workers)
	p, err := connect(ctx, sys, cfg, vent, sink)
	if err != nil {
		return err
	}
	if err := vent.say("go"); err != nil {
		return err
	}
	return p.report(ctx, w, sys, vent, sink)
}

// pipeline is the Go side: the workers, their PULL sockets and the
// results PUSH socket.
type pipeline struct {
	workers []actor.Ref
	pulls   []actor.Ref
	results actor.Ref
}

// connect starts the Go side and waits until every worker's PULL is
// connected to the ventilator.
func connect(ctx context.Context, sys *actor.System, cfg config, vent, sink *script) (*pipeline, error) {
	sinkEP, err := sink.field(ctx, "ENDPOINT")
	if err != nil {
		return nil, err
	}
	ventEP, err := vent.field(ctx, "ENDPOINT")
	if err != nil {
		return nil, err
	}
	up := make(chan struct{}, cfg.workers)
	unsubscribe := sys.SubscribeFunc(socket.TopicPeerUp, func(pub actor.Publication) {
		if e, ok := pub.Message.(socket.PeerUp); ok && e.Kind == socket.KindPull {
			select {
			case up <- struct{}{}:
			default: // a reconnection: the count is reached already
			}
		}
	})
	defer unsubscribe()
	p := &pipeline{}
	if p.results, err = socket.Push(ctx, sys, socket.Connect(sinkEP)); err != nil {
		return nil, err
	}
	if err := p.startWorkers(ctx, sys, cfg.workers, ventEP); err != nil {
		return nil, err
	}
	for range cfg.workers {
		select {
		case <-up:
		case <-ctx.Done():
			return nil, fmt.Errorf("polyglot: waiting for the workers to connect: %w", context.Cause(ctx))
		}
	}
	return p, nil
}

// startWorkers spawns n workers, each fed by a PULL socket connected to
// the ventilator.
func (p *pipeline) startWorkers(ctx context.Context, sys *actor.System, n int, ventEP string) error {
	for i := range n {
		name := fmt.Sprintf("worker-%d", i+1)
		ref, err := sys.Spawn(ctx, newWorker(name, p.results), actor.WithName(name))
		if err != nil {
			return err
		}
		pull, err := socket.Pull(ctx, sys, ref, socket.Connect(ventEP))
		if err != nil {
			return err
		}
		p.workers, p.pulls = append(p.workers, ref), append(p.pulls, pull)
	}
	return nil
}

// report prints what each side saw and checks that every task came back
// once.
func (p *pipeline) report(ctx context.Context, w io.Writer, sys *actor.System, vent, sink *script) error {
	line, err := vent.field(ctx, "ventilator:")
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "ventilator:", line)
	if err := vent.wait(ctx); err != nil {
		return err
	}
	var received, distinct int
	for {
		l, err := sink.next(ctx)
		if err != nil {
			return err
		}
		if l == "DONE" {
			break
		}
		fmt.Fprintln(w, l)
		_, _ = fmt.Sscanf(l, "sink: received=%d distinct=%d", &received, &distinct)
	}
	if err := p.goSide(ctx, w, sys); err != nil {
		return err
	}
	if err := sink.wait(ctx); err != nil {
		return err
	}
	if received != distinct || distinct == 0 {
		return fmt.Errorf("polyglot: the sink received %d results for %d distinct tasks", received, distinct)
	}
	return nil
}

// goSide prints the workers' counts and the sockets' counters.
func (p *pipeline) goSide(ctx context.Context, w io.Writer, sys *actor.System) error {
	fmt.Fprintln(w, "Go side:")
	for _, ref := range p.workers {
		r, err := sys.Request(ctx, ref, report{})
		if err != nil {
			return err
		}
		rep := r.(workerReport)
		fmt.Fprintf(w, "  %-9s tasks=%d bad=%d\n", rep.name, rep.done, rep.bad)
	}
	var pulled, dropped uint64
	for _, ref := range p.pulls {
		st, err := socket.StatsOf(ctx, sys, ref)
		if err != nil {
			return err
		}
		pulled, dropped = pulled+st.Received, dropped+st.Dropped.Total()
	}
	st, err := socket.StatsOf(ctx, sys, p.results)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  sockets: pulled=%d pushed=%d dropped=%d\n", pulled, st.Sent, dropped+st.Dropped.Total())
	return nil
}
