// Command clone is the ZeroMQ guide's Clone pattern (chapter 5: reliable
// pub-sub with a snapshot): a key-value server publishes every update with
// a sequence number; a client that joins late subscribes first, then asks
// for a snapshot, then applies only the updates whose number is strictly
// greater than the snapshot's. It ends with the server's state, which the
// example checks by printing both hashes.
//
//	go run ./examples/clone -updates 300 -join-at 100 -snapshot-delay 20ms
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
	"github.com/troupe-go/troupe/mailbox"
)

// config is what the flags set.
type config struct {
	updates  int           // updates the server makes
	interval time.Duration // one update per interval
	keys     int           // size of the key space
	joinAt   int           // the client joins after this many updates
	delay    time.Duration // client's latency between subscribing and asking for the snapshot
	hwm      int           // client mailbox capacity
	seed     uint64
	verbose  bool
}

func defaultConfig() config {
	return config{updates: 300, interval: time.Millisecond, keys: 50, joinAt: 100,
		delay: 20 * time.Millisecond, hwm: 1000, seed: 1}
}

// errConfig is wrapped by every configuration error.
var errConfig = errors.New("clone: bad configuration")

// errDiverged is returned when the client's state differs from the server's.
var errDiverged = errors.New("clone: client state differs from the server's")

func (c config) validate() error {
	switch {
	case c.updates < 1 || c.keys < 1:
		return fmt.Errorf("%w: -updates %d, -keys %d: need at least 1", errConfig, c.updates, c.keys)
	case c.joinAt < 1 || c.joinAt >= c.updates:
		return fmt.Errorf("%w: -join-at %d: want 1 to %d (-updates - 1)", errConfig, c.joinAt, c.updates-1)
	case c.interval <= 0 || c.delay < 0:
		return fmt.Errorf("%w: -interval %v, -snapshot-delay %v: need a positive interval and a delay >= 0", errConfig, c.interval, c.delay)
	case c.hwm < 1:
		return fmt.Errorf("%w: -hwm %d: need at least 1", errConfig, c.hwm)
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := defaultConfig()
	fs := cli.NewFlagSet("clone", stderr, &cfg.verbose)
	fs.IntVar(&cfg.updates, "updates", cfg.updates, "updates the server makes")
	fs.DurationVar(&cfg.interval, "interval", cfg.interval, "time between updates")
	fs.IntVar(&cfg.keys, "keys", cfg.keys, "number of distinct keys")
	fs.IntVar(&cfg.joinAt, "join-at", cfg.joinAt, "the client joins after this many updates")
	fs.DurationVar(&cfg.delay, "snapshot-delay", cfg.delay, "client latency between subscribing and asking for the snapshot")
	fs.IntVar(&cfg.hwm, "hwm", cfg.hwm, "client mailbox capacity (updates it can queue while it waits for the snapshot)")
	fs.Uint64Var(&cfg.seed, "seed", cfg.seed, "random seed for the updates")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, cfg.validate()
}

func main() {
	cli.Main(time.Minute, parseFlags, run)
}

// run starts the server, lets it make cfg.joinAt updates, starts the
// client, waits for the server's last update, and compares the states.
func run(ctx context.Context, w io.Writer, cfg config) (err error) {
	if err := cfg.validate(); err != nil {
		return err
	}
	sys := actor.NewSystem(actor.WithLogger(cli.Logger(cfg.verbose)))
	defer func() { err = errors.Join(err, cli.Shutdown(sys, "clone")) }()

	progress, finished := make(chan struct{}), make(chan struct{})
	srv := &server{state: newState(), rng: rand.New(rand.NewPCG(cfg.seed, 2)), keys: cfg.keys,
		n: uint64(cfg.updates), joinAt: uint64(cfg.joinAt), progress: progress, finished: finished}
	server, err := sys.Spawn(ctx, srv.behavior(cfg.interval), actor.WithName("kvserver"))
	if err != nil {
		return fmt.Errorf("clone: spawn server: %w", err)
	}
	if err := cli.Wait(ctx, progress, "clone", "the server's first updates"); err != nil {
		return err
	}
	cl := &client{server: server, delay: cfg.delay}
	client, err := sys.Spawn(ctx, cl.behavior(), actor.WithName("kvclient"),
		actor.WithMailbox(mailbox.WithCapacity(cfg.hwm)))
	if err != nil {
		return fmt.Errorf("clone: spawn client: %w", err)
	}
	if err := cli.Wait(ctx, finished, "clone", "the server's last update"); err != nil {
		return err
	}
	// Both requests queue behind every update already delivered.
	sh, err := ask[stateHash](ctx, sys, server, getHash{})
	if err != nil {
		return err
	}
	cs, err := ask[clientStats](ctx, sys, client, getStats{})
	if err != nil {
		return err
	}
	return report(w, cfg, sh, cs, sys.DeadLetters())
}

// report prints what the client did and both hashes.
func report(w io.Writer, cfg config, sh stateHash, cs clientStats, dl actor.DeadLetterCounts) error {
	fmt.Fprintf(w, "clone: server made %d updates on %d keys, one every %v; the client joined after %d\n",
		cfg.updates, cfg.keys, cfg.interval, cfg.joinAt)
	fmt.Fprintf(w, "client: subscribed, then snapshot at seq %d with %d keys (asked %v after subscribing)\n",
		cs.SnapshotSeq, cs.SnapshotKeys, cfg.delay)
	fmt.Fprintf(w, "client: updates skipped (already in the snapshot)=%d applied=%d ignored after a gap=%d dropped by its full mailbox=%d\n",
		cs.Skipped, cs.Applied, cs.Ignored, dl[actor.ReasonFull])
	fmt.Fprintf(w, "server hash=%016x seq=%d keys=%d\n", sh.Hash, sh.Seq, sh.Keys)
	fmt.Fprintf(w, "client hash=%016x seq=%d keys=%d\n", cs.Hash.Hash, cs.Hash.Seq, cs.Hash.Keys)
	if cs.Gap != nil {
		fmt.Fprintf(w, "client stopped applying updates: %v\n", cs.Gap)
		return cs.Gap
	}
	if sh != cs.Hash {
		return fmt.Errorf("%w: server %+v, client %+v", errDiverged, sh, cs.Hash)
	}
	fmt.Fprintln(w, "states match")
	return nil
}

// ask makes a request and checks the reply's type.
func ask[T any](ctx context.Context, sys *actor.System, to actor.Ref, msg any) (T, error) {
	var zero T
	v, err := sys.Request(ctx, to, msg)
	if err != nil {
		return zero, fmt.Errorf("clone: ask %v: %w", to, err)
	}
	t, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("clone: %v answered %T, want %T", to, v, zero)
	}
	return t, nil
}
