// Command lazypirate is the ZeroMQ guide's Lazy Pirate (chapter 4,
// client-side reliability): a client gives each request a timeout
// (REQUEST_TIMEOUT 2500 ms) and sends it again up to REQUEST_RETRIES = 3
// attempts, against a server that now and then stalls or crashes. Here the
// server is an actor under a supervisor, which restarts it after each
// crash until its restart intensity is exceeded; then it is gone for good,
// and the client gives up cleanly.
//
// All timings are the guide's, multiplied by -scale (default 0.1, so the
// timeout is 250 ms and a run takes a few seconds).
//
//	go run ./examples/lazypirate -scale 0.05 -seed 7
//	go run ./examples/lazypirate -plan ok,stall,ok,crash,ok,crash,ok,crash
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
	"github.com/troupe-go/troupe/examples/internal/timeline"
	"github.com/troupe-go/troupe/supervisor"
)

// The guide's constants, before scaling.
const (
	requestTimeout = 2500 * time.Millisecond
	restartPeriod  = time.Minute
)

// config is what the flags set.
type config struct {
	requests  int
	retries   int     // attempts per request
	scale     float64 // multiplies every duration
	intensity int     // restarts the server's supervisor allows per period
	warmup    int     // requests answered before the server misbehaves
	crashOdds int     // one request in crashOdds crashes the server (0: never)
	stallOdds int     // one in stallOdds stalls it for 1.5 timeouts (0: never)
	seed      uint64
	plan      []action // if set, the server's actions in order, then ok
	verbose   bool
}

func defaultConfig() config {
	return config{requests: 50, retries: 3, scale: 0.1, intensity: 2, warmup: 3, crashOdds: 8, stallOdds: 8, seed: 3}
}

// errConfig is wrapped by every configuration error.
var errConfig = errors.New("lazypirate: bad configuration")

func (c config) validate() error {
	switch {
	case c.requests < 1 || c.retries < 1:
		return fmt.Errorf("%w: -requests %d, -retries %d: need at least 1", errConfig, c.requests, c.retries)
	case c.scale <= 0 || c.scale > 10:
		return fmt.Errorf("%w: -scale %g: want (0, 10]", errConfig, c.scale)
	case c.intensity < 0 || c.warmup < 0 || c.crashOdds < 0 || c.stallOdds < 0:
		return fmt.Errorf("%w: -intensity, -warmup, -crash-odds and -stall-odds must not be negative", errConfig)
	}
	return nil
}

func (c config) timeout() time.Duration { return time.Duration(float64(requestTimeout) * c.scale) }
func (c config) period() time.Duration  { return time.Duration(float64(restartPeriod) * c.scale) }

// stall is how long an overloaded server takes: longer than the timeout,
// so the first attempt fails, and short enough that the retry queued
// behind it is answered in time.
func (c config) stall() time.Duration { return c.timeout() * 3 / 2 }

func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := defaultConfig()
	fs := cli.NewFlagSet("lazypirate", stderr, &cfg.verbose)
	plan := ""
	fs.IntVar(&cfg.requests, "requests", cfg.requests, "requests the client makes")
	fs.IntVar(&cfg.retries, "retries", cfg.retries, "attempts per request before giving up (REQUEST_RETRIES)")
	fs.Float64Var(&cfg.scale, "scale", cfg.scale, "multiplies the guide's timings (timeout 2500ms, restart period 1m)")
	fs.IntVar(&cfg.intensity, "intensity", cfg.intensity, "restarts the supervisor allows per period before giving up")
	fs.IntVar(&cfg.warmup, "warmup", cfg.warmup, "requests answered before the server starts to misbehave")
	fs.IntVar(&cfg.crashOdds, "crash-odds", cfg.crashOdds, "one request in n crashes the server (0: never)")
	fs.IntVar(&cfg.stallOdds, "stall-odds", cfg.stallOdds, "one request in n stalls the server (0: never)")
	fs.Uint64Var(&cfg.seed, "seed", cfg.seed, "random seed for the server's misbehaviour")
	fs.StringVar(&plan, "plan", plan, "the server's actions, e.g. ok,stall,crash (replaces the random ones)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	var err error
	if cfg.plan, err = parsePlan(plan); err != nil {
		return cfg, fmt.Errorf("%w: %w", errConfig, err)
	}
	return cfg, cfg.validate()
}

func main() {
	cli.Main(10*time.Minute, parseFlags, run)
}

// serverName is where the server is registered: root supervisor "lp",
// its child supervisor "srv", and the server under that.
const serverName = "lp/srv/server"

// run starts the supervision tree and the client, and reports once the
// client has finished or given up.
func run(ctx context.Context, w io.Writer, cfg config) (err error) {
	if err := cfg.validate(); err != nil {
		return err
	}
	sys := actor.NewSystem(actor.WithLogger(cli.Logger(cfg.verbose)))
	defer func() { err = errors.Join(err, cli.Shutdown(sys, "lazypirate")) }()

	log := timeline.New(1024)
	defer sys.SubscribeFunc(supervisor.TopicChildExit, func(pub actor.Publication) {
		if ev, ok := pub.Message.(supervisor.ChildExit); ok {
			log.Add("supervisor %s: child %s exited (%v): %s", ev.Supervisor.Name, ev.Child, ev.Reason, ev.Action)
		}
	})()
	d := &decider{plan: cfg.plan, seed: cfg.seed, warmup: cfg.warmup, crashOdds: cfg.crashOdds, stallOdds: cfg.stallOdds}
	if err := startTree(ctx, sys, cfg, d, log); err != nil {
		return err
	}
	fmt.Fprintf(w, "lazypirate: timeout %v, %d attempts per request; the server may restart %d times in %v\n",
		cfg.timeout(), cfg.retries, cfg.intensity, cfg.period())
	results := make(chan clientResult, 1)
	c := &lazyPirate{server: actor.Ref{Name: serverName}, requests: cfg.requests, timeout: cfg.timeout(),
		retries: cfg.retries, log: log, results: results}
	if _, err := sys.Spawn(ctx, c.behavior(), actor.WithName("client")); err != nil {
		return fmt.Errorf("lazypirate: spawn client: %w", err)
	}
	var r clientResult
	select {
	case r = <-results:
	case <-ctx.Done():
		return fmt.Errorf("lazypirate: waiting for the client: %w", context.Cause(ctx))
	}
	log.Print(w)
	_, alive := sys.Lookup(serverName)
	report(w, cfg, r, d, alive, sys.DeadLetters())
	return nil
}

// startTree starts the root supervisor "lp", which never restarts its one
// child, the supervisor "srv" (Temporary); "srv" restarts the server after
// each crash, at most cfg.intensity times per period, and then gives up
// (escalates), leaving the server gone for good.
func startTree(ctx context.Context, sys *actor.System, cfg config, d *decider, log *timeline.Timeline) error {
	inner := supervisor.Spec{
		Strategy: supervisor.OneForOne, Intensity: cfg.intensity, Period: cfg.period(),
		Children: []supervisor.ChildSpec{{Name: "server", Behavior: server(d, cfg.stall(), log)}},
	}
	srv, err := supervisor.Behavior(inner)
	if err != nil {
		return fmt.Errorf("lazypirate: server supervisor: %w", err)
	}
	root := supervisor.Spec{Children: []supervisor.ChildSpec{
		{Name: "srv", Behavior: srv, Restart: supervisor.Temporary, Shutdown: supervisor.Infinity},
	}}
	if _, err := supervisor.Start(ctx, sys, root, actor.WithName("lp")); err != nil {
		return fmt.Errorf("lazypirate: start supervisors: %w", err)
	}
	return nil
}

// report prints the client's and the server's accounts.
func report(w io.Writer, cfg config, r clientResult, d *decider, alive bool, dl actor.DeadLetterCounts) {
	outcome := fmt.Sprintf("all %d requests answered", cfg.requests)
	if r.Abandoned {
		outcome = fmt.Sprintf("abandoned at request %d", r.LastSeq)
	}
	fmt.Fprintf(w, "client: ok=%d timeouts=%d %s\n", r.OK, r.Timeouts, outcome)
	fmt.Fprintf(w, "server: received=%d ok=%d stalls=%d crashes=%d; late replies (dead letters)=%d\n",
		d.n.Load(), d.counts[actOK].Load(), d.counts[actStall].Load(), d.counts[actCrash].Load(), dl[actor.ReasonLateReply])
	if alive {
		fmt.Fprintf(w, "server %s is still up\n", serverName)
	} else {
		fmt.Fprintf(w, "server %s is gone for good\n", serverName)
	}
}
