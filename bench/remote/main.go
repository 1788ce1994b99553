package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/troupe-go/troupe/bench/bysize"
	"github.com/troupe-go/troupe/net"
)

// ErrBadFlag is wrapped by errors about flag values.
var ErrBadFlag = errors.New("remote: bad flag")

// The modes: what an invocation measures.
const (
	modeW5    = "w5"
	modeSizes = "sizes"
	modeAll   = "all"
)

// quickScale shrinks the by-size counts under -quick (each at least 2
// messages or 1 round trip); quickMessages and quickRequests replace W5's.
const (
	quickScale    = 0.002
	quickMessages = 2000
	quickRequests = 200
)

func main() { bysize.Main("remote", peerEnv, runPeer, runCLI) }

// config is one invocation, parsed from the flags.
type config struct {
	mode               string
	messages, requests int
	sizes              sizeRun
	r                  runner
	outPath            string
	appendOut          bool
	cpuProfile         string
	tracePath          string
}

// runCLI parses args and runs the mode: W5's lines go to stdout, the
// by-size JSON lines to -o (stdout by default).
func runCLI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	return withProfile(c.cpuProfile, c.tracePath, func() error { return c.run(ctx, stdout) })
}

// run runs the mode.
func (c config) run(ctx context.Context, stdout io.Writer) error {
	if c.mode == modeW5 || c.mode == modeAll {
		if err := c.r.w5(ctx, c.messages, c.requests, stdout); err != nil {
			return err
		}
	}
	if c.mode == modeW5 {
		return nil
	}
	return bysize.WithOutput(c.outPath, c.appendOut, stdout, func(w io.Writer) error {
		c.sizes.out = w
		return c.r.bySize(ctx, c.sizes)
	})
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	c := config{r: runner{spawn: bysize.SpawnSelf(peerEnv)}}
	fs := flag.NewFlagSet("remote", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.mode, "mode", modeW5, "w5, sizes or all")
	fs.IntVar(&c.messages, "messages", w5Messages, "W5: messages in the one-way stream")
	fs.IntVar(&c.requests, "requests", w5Requests, "W5: sequential requests")
	sizes := fs.String("sizes", bysize.DefaultSizes, "sizes: message sizes, comma-separated (k = 1024, M = 1024²)")
	trans := fs.String("transport", "tcp,ipc", "sizes: tcp, ipc or tcp,ipc")
	kinds := fs.String("kind", "throughput,latency", "sizes: throughput, latency or both")
	fs.Float64Var(&c.sizes.scale, "scale", 1, "sizes: multiplies every count; 1 ≈ one second per size")
	fs.DurationVar(&c.r.timeout, "timeout", time.Minute, "limit for each single measurement")
	fs.DurationVar(&c.r.readSpin, "readspin", net.DefaultReadSpin, "how long both nodes' inbound connections poll their sockets before they wait (0: never)")
	fs.IntVar(&c.r.procs, "procs", 0, "GOMAXPROCS of both processes (0: Go's default; W5 then also measures with one core each)")
	fs.StringVar(&c.outPath, "o", "-", "sizes: output file for the JSON lines (- for stdout)")
	fs.BoolVar(&c.appendOut, "append", false, "sizes: append to -o instead of replacing it")
	quick := fs.Bool("quick", false, "tiny counts, to check that everything runs")
	verbose := fs.Bool("v", false, "log each measurement to stderr")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of this process to the file, and of each peer to the file with .peer.send or .peer.echo appended")
	fs.StringVar(&c.tracePath, "trace", "", "write an execution trace (runtime/trace) of this process to the file, and of each peer to the file with .peer.send or .peer.echo appended")
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("flags: %w", err)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: unexpected argument %q", ErrBadFlag, fs.Arg(0))
	}
	if *quick {
		c.messages, c.requests, c.sizes.scale = quickMessages, quickRequests, c.sizes.scale*quickScale
	}
	c.sizes.log = bysize.NewLogger(stderr, *verbose)
	if c.cpuProfile != "" {
		c.r.peerProfile = c.cpuProfile + ".peer"
	}
	if c.tracePath != "" {
		c.r.peerTrace = c.tracePath + ".peer"
	}
	return c, c.parseLists(*sizes, *trans, *kinds)
}

// parseLists reads the list flags and checks the others.
func (c *config) parseLists(sizes, trans, kinds string) error {
	var err error
	if c.sizes.sizes, err = bysize.ParseSizes(sizes, maxSize); err != nil {
		return err
	}
	if c.sizes.transports, err = parseList("-transport", trans, "tcp", "ipc"); err != nil {
		return err
	}
	if c.sizes.kinds, err = parseList("-kind", kinds, string(bysize.Throughput), string(bysize.Latency)); err != nil {
		return err
	}
	switch {
	case c.mode != modeW5 && c.mode != modeSizes && c.mode != modeAll:
		return fmt.Errorf("%w: -mode %q (want w5, sizes or all)", ErrBadFlag, c.mode)
	case c.r.procs < 0 || c.r.readSpin < 0:
		return fmt.Errorf("%w: -procs and -readspin must be 0 or more", ErrBadFlag)
	case c.messages < 2 || c.requests < 1:
		return fmt.Errorf("%w: -messages must be at least 2 and -requests at least 1", ErrBadFlag)
	case !(c.sizes.scale > 0 && c.sizes.scale <= 1000) || c.r.timeout <= 0:
		return fmt.Errorf("%w: -scale must be in (0, 1000] and -timeout > 0", ErrBadFlag)
	}
	return nil
}

// parseList reads a comma-separated list whose entries must be among
// allowed, dropping repeats.
func parseList(flagName, list string, allowed ...string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(list, ",") {
		v = strings.TrimSpace(v)
		if !slices.Contains(allowed, v) {
			return nil, fmt.Errorf("%w: %s %q (want %s)", ErrBadFlag, flagName, v, strings.Join(allowed, ", "))
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}
