package bench

import (
	"context"
	"errors"
	"fmt"
)

// DefaultCapacity is the mailbox capacity of the W2 fan-in actor (and of the
// channel that stands for it in the baseline): large enough that producers
// rarely wait on a busy consumer, small enough to stay in cache.
const DefaultCapacity = 1024

// Errors returned by the workloads.
var (
	// ErrBadParam reports a count or parameter out of range.
	ErrBadParam = errors.New("bench: bad parameter")
	// ErrIncomplete reports a workload whose messages did not all arrive
	// before its context ended.
	ErrIncomplete = errors.New("bench: workload incomplete")
	// ErrWrongReply reports a reply that does not match its request.
	ErrWrongReply = errors.New("bench: wrong reply")
)

// Msg is the small message every workload sends: a struct with one int64.
type Msg struct{ V int64 }

// A Runner runs the four workloads on one runtime. Each method builds what
// it needs, times only the workload, tears everything down before it
// returns, and returns an error (wrapping [ErrIncomplete]) rather than
// waiting past ctx's deadline. Methods are safe for concurrent use, though
// concurrent runs distort each other's figures.
type Runner interface {
	// Name returns the runtime's short name, as used in Result.Runtime.
	Name() string
	// PingPong runs W1: n round trips of one message between two actors.
	PingPong(ctx context.Context, n int) (Result, error)
	// FanIn runs W2: p goroutines send n messages in total to one actor.
	FanIn(ctx context.Context, n, p int) (Result, error)
	// RequestReply runs W3: n sequential requests to an echo actor.
	RequestReply(ctx context.Context, n int) (Result, error)
	// Spawn runs W4: spawn n actors, one message each, stop them all.
	Spawn(ctx context.Context, n int) (Result, error)
}

// An Option configures a [Troupe] or [Chan] runner.
type Option func(*config)

type config struct {
	capacity int
}

// WithCapacity sets the W2 mailbox (or channel) capacity; the default is
// [DefaultCapacity]. Values below 1 are replaced by 1.
func WithCapacity(n int) Option {
	return func(c *config) { c.capacity = max(n, 1) }
}

func newConfig(opts []Option) config {
	c := config{capacity: DefaultCapacity}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// split returns how many of n messages producer i of p sends.
func split(n, p, i int) int {
	q := n / p
	if i < n%p {
		q++
	}
	return q
}

// startSpawn begins a W4 run of runtime with n actors: it checks n and
// starts measuring the peak memory (see StartPeak).
func startSpawn(runtime string, n int) (Result, PeakProbe, error) {
	r := Result{Runtime: runtime, Workload: W4Spawn, N: n}
	if err := checkN(r.Workload, n, 1); err != nil {
		return r, PeakProbe{}, err
	}
	probe, err := StartPeak()
	return r, probe, err
}

// Incomplete returns the error for a run cut short by ctx: it wraps
// [ErrIncomplete] and the context's cause, and says how far r got.
func Incomplete(ctx context.Context, r Result) error {
	return fmt.Errorf("%w: %s %s: %d of %d done: %w",
		ErrIncomplete, r.Workload, r.Runtime, r.Counted, r.N, context.Cause(ctx))
}
