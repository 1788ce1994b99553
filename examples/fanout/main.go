// Command fanout shows Troupe's local pub-sub with the ZeroMQ guide's
// PUB-SUB facts (chapter 1 and 5):
//
//   - one publisher, several subscribers with prefix filters: each gets
//     exactly the topics its filter matches;
//
//   - two publishers feeding one subscriber: both streams arrive whole and
//     in order, interleaved in one mailbox (ZeroMQ's fair queuing);
//
//   - a late joiner sees only what is published after it subscribed.
//
//     go run ./examples/fanout -messages 600 -subscribers 5
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
	"github.com/troupe-go/troupe/mailbox"
)

// config is what the flags set.
type config struct {
	messages    int           // messages of the filtering publisher
	subscribers int           // subscribers of the filtering part (at most len(filters))
	perSource   int           // messages of each fair-queued publisher
	joinAt      int           // the late joiner joins once the early subscriber has seen this many
	lateWant    int           // … and the run ends once the late joiner has seen this many
	interval    time.Duration // ticker period of the streaming publishers
	hwm         int           // subscriber mailbox capacity
	seed        uint64
	verbose     bool
}

func defaultConfig() config {
	return config{messages: 600, subscribers: len(filters), perSource: 200, joinAt: 100, lateWant: 100,
		interval: 500 * time.Microsecond, hwm: 1000, seed: 1}
}

// errConfig is wrapped by every configuration error.
var errConfig = errors.New("fanout: bad configuration")

func (c config) validate() error {
	switch {
	case c.messages < 1 || c.perSource < 1:
		return fmt.Errorf("%w: -messages %d, -per-source %d: need at least 1", errConfig, c.messages, c.perSource)
	case c.subscribers < 1 || c.subscribers > len(filters):
		return fmt.Errorf("%w: -subscribers %d: want 1 to %d", errConfig, c.subscribers, len(filters))
	case c.joinAt < 1 || c.lateWant < 1:
		return fmt.Errorf("%w: -join-at %d, -late %d: need at least 1", errConfig, c.joinAt, c.lateWant)
	case c.interval <= 0:
		return fmt.Errorf("%w: -interval %v: need a positive period", errConfig, c.interval)
	case c.hwm < 1:
		return fmt.Errorf("%w: -hwm %d: need at least 1", errConfig, c.hwm)
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := defaultConfig()
	fs := cli.NewFlagSet("fanout", stderr, &cfg.verbose)
	fs.IntVar(&cfg.messages, "messages", cfg.messages, "messages published to the filtering subscribers")
	fs.IntVar(&cfg.subscribers, "subscribers", cfg.subscribers, fmt.Sprintf("filtering subscribers (1 to %d)", len(filters)))
	fs.IntVar(&cfg.perSource, "per-source", cfg.perSource, "messages of each of the two fair-queued publishers")
	fs.IntVar(&cfg.joinAt, "join-at", cfg.joinAt, "the late joiner subscribes after this many messages")
	fs.IntVar(&cfg.lateWant, "late", cfg.lateWant, "messages the late joiner receives before the stream stops")
	fs.DurationVar(&cfg.interval, "interval", cfg.interval, "period of the streaming publishers")
	fs.IntVar(&cfg.hwm, "hwm", cfg.hwm, "subscriber mailbox capacity (high-water mark)")
	fs.Uint64Var(&cfg.seed, "seed", cfg.seed, "random seed for topics")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, cfg.validate()
}

func main() {
	cli.Main(time.Minute, parseFlags, run)
}

// run runs the three parts, each on the same system, and reports the
// dead letters at the end (none, unless a mailbox overflowed).
func run(ctx context.Context, w io.Writer, cfg config) (err error) {
	if err := cfg.validate(); err != nil {
		return err
	}
	sys := actor.NewSystem(actor.WithLogger(cli.Logger(cfg.verbose)))
	defer func() { err = errors.Join(err, cli.Shutdown(sys, "fanout")) }()
	dlc, err := spawnDropCounter(ctx, sys)
	if err != nil {
		return err
	}
	if err := runFilters(ctx, w, sys, cfg, dlc); err != nil {
		return err
	}
	if err := runFairQueue(ctx, w, sys, cfg); err != nil {
		return err
	}
	if err := runLateJoiner(ctx, w, sys, cfg); err != nil {
		return err
	}
	dl := sys.DeadLetters()
	fmt.Fprintf(w, "dead letters=%d\n", dl.Total())
	return nil
}

// spawnSubscriber starts a subscriber with the configured mailbox.
func spawnSubscriber(ctx context.Context, sys *actor.System, cfg config, name string,
	notify func(int), onStart func(*actor.Process)) (actor.Ref, error) {
	ref, err := sys.Spawn(ctx, subscriberBehavior(notify, onStart), actor.WithName(name),
		actor.WithMailbox(mailbox.WithCapacity(cfg.hwm)))
	if err != nil {
		return ref, fmt.Errorf("fanout: spawn %s: %w", name, err)
	}
	return ref, nil
}

// askTally returns the tally of a subscriber. Its request queues behind
// every publication already delivered, so the tally includes them all.
func askTally(ctx context.Context, sys *actor.System, ref actor.Ref) (tally, error) {
	v, err := sys.Request(ctx, ref, getTally{})
	if err != nil {
		return tally{}, fmt.Errorf("fanout: tally of %v: %w", ref, err)
	}
	t, ok := v.(tally)
	if !ok {
		return tally{}, fmt.Errorf("fanout: %v answered %T, want a tally", ref, v)
	}
	return t, nil
}
