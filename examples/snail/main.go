// Command snail is the ZeroMQ guide's suicidal snail (chapter 5) and a
// tour of the mailbox high-water-mark policies.
//
// A publisher publishes a tick every millisecond to a fast and a slow
// consumer, both children of a supervisor with the suicidal-snail policy.
// The slow one (1–2 ms a tick) falls behind; its mailbox is bounded by the
// HWM, and the supervisor stops it, loudly, once its oldest tick has
// waited longer than MaxDelay (or once it finds a gap in the sequence
// numbers, if its mailbox overflowed first: try -hwm 50). The publisher and
// the fast consumer never notice.
//
// Then the same burst is sent to a paused consumer under each overflow
// policy — Block, DropNewest, DropOldest, Fail — and their counters are
// printed side by side.
//
//	go run ./examples/snail
//	go run ./examples/snail -hwm 50 -max-delay 1s
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/cli"
)

// config is what the flags set.
type config struct {
	ticks     int
	interval  time.Duration // publisher period
	slowCost  time.Duration // the slow consumer takes cost/2 to cost per tick
	maxDelay  time.Duration // Snail.MaxDelay
	hwm       int           // consumer mailbox capacity (drop-newest)
	policyHWM int           // capacity of the paused consumers
	burst     int           // messages sent to each paused consumer
	blockWait time.Duration // deadline of each send under Block
	seed      uint64
	verbose   bool
}

func defaultConfig() config {
	return config{ticks: 1500, interval: time.Millisecond, slowCost: 2 * time.Millisecond,
		maxDelay: 300 * time.Millisecond, hwm: 1000, policyHWM: 10, burst: 25, blockWait: 2 * time.Millisecond, seed: 1}
}

// errConfig is wrapped by every configuration error.
var errConfig = errors.New("snail: bad configuration")

func (c config) validate() error {
	switch {
	case c.ticks < 1 || c.burst < 1:
		return fmt.Errorf("%w: -ticks %d, -burst %d: need at least 1", errConfig, c.ticks, c.burst)
	case c.interval <= 0 || c.maxDelay <= 0 || c.blockWait <= 0:
		return fmt.Errorf("%w: -interval, -max-delay and -block-wait must be positive", errConfig)
	case c.slowCost < 2*c.interval:
		return fmt.Errorf("%w: -slow-cost %v: the slow consumer must take more than the interval %v on average (at least twice it)",
			errConfig, c.slowCost, c.interval)
	case c.hwm < 1 || c.policyHWM < 1:
		return fmt.Errorf("%w: -hwm %d, -policy-hwm %d: need at least 1", errConfig, c.hwm, c.policyHWM)
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := defaultConfig()
	fs := cli.NewFlagSet("snail", stderr, &cfg.verbose)
	fs.IntVar(&cfg.ticks, "ticks", cfg.ticks, "ticks the publisher publishes")
	fs.DurationVar(&cfg.interval, "interval", cfg.interval, "time between ticks")
	fs.DurationVar(&cfg.slowCost, "slow-cost", cfg.slowCost, "the slow consumer takes between half this and this per tick")
	fs.DurationVar(&cfg.maxDelay, "max-delay", cfg.maxDelay, "longest a tick may wait in a consumer's mailbox (the guide's is 1s)")
	fs.IntVar(&cfg.hwm, "hwm", cfg.hwm, "consumer mailbox capacity, drop-newest beyond it")
	fs.IntVar(&cfg.policyHWM, "policy-hwm", cfg.policyHWM, "capacity of the paused consumers in the policy tour")
	fs.IntVar(&cfg.burst, "burst", cfg.burst, "messages sent to each paused consumer")
	fs.DurationVar(&cfg.blockWait, "block-wait", cfg.blockWait, "deadline of each send under the block policy")
	fs.Uint64Var(&cfg.seed, "seed", cfg.seed, "random seed for the slow consumer's costs")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, cfg.validate()
}

func main() {
	cli.Main(time.Minute, parseFlags, run)
}

// run runs the suicidal snail, then the policy tour.
func run(ctx context.Context, w io.Writer, cfg config) (err error) {
	if err := cfg.validate(); err != nil {
		return err
	}
	sys := actor.NewSystem(actor.WithLogger(cli.Logger(cfg.verbose)))
	defer func() { err = errors.Join(err, cli.Shutdown(sys, "snail")) }()
	if err := runSnail(ctx, w, sys, cfg); err != nil {
		return err
	}
	_, err = runPolicies(ctx, w, sys, cfg)
	return err
}
