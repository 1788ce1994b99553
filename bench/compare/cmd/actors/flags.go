package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/troupe-go/troupe/bench"
)

// The counts, before -scale.
const (
	w1Count = 1_000_000
	w2Count = 2_000_000
	w3Count = 200_000
	w4Count = 100_000
)

// w2Producers are the W2 producer counts.
var w2Producers = []int{1, 2, 8}

// errUsage reports bad flags.
var errUsage = errors.New("usage")

// options are the parsed flags.
type options struct {
	runs      int
	scale     float64
	workloads []bench.Workload
	timeout   time.Duration
	verbose   bool
	child     string // runner name: run one W4 and print its Result as JSON
	childN    int
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var ws string
	fs := flag.NewFlagSet("actors", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.runs, "runs", 3, "runs per workload and runtime; the median is reported")
	fs.Float64Var(&o.scale, "scale", 1, "multiply every workload's count by this (0 < scale <= 10)")
	fs.StringVar(&ws, "w", "W1,W2,W3,W4", "comma-separated workloads to run")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Minute, "limit for one run of one workload")
	fs.BoolVar(&o.verbose, "v", false, "print every run's result to standard error")
	fs.StringVar(&o.child, "child", "", "internal: run W4 once on this runtime and print the result as JSON")
	fs.IntVar(&o.childN, "n", 0, "internal: the actor count for -child")
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	if o.runs < 1 || o.scale <= 0 || o.scale > 10 || o.timeout <= 0 {
		return o, fmt.Errorf("%w: need -runs >= 1, 0 < -scale <= 10, -timeout > 0", errUsage)
	}
	for w := range strings.SplitSeq(ws, ",") {
		w := bench.Workload(strings.ToUpper(strings.TrimSpace(w)))
		if !slices.Contains(allWorkloads, w) {
			return o, fmt.Errorf("%w: unknown workload %q (want W1..W4)", errUsage, w)
		}
		o.workloads = append(o.workloads, w)
	}
	return o, nil
}

var allWorkloads = []bench.Workload{bench.W1PingPong, bench.W2FanIn, bench.W3RequestReply, bench.W4Spawn}

// scaled returns n times the scale, at least 1.
func (o options) scaled(n int) int { return max(1, int(float64(n)*o.scale)) }
