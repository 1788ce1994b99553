package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/troupe-go/troupe/bench/bysize"
)

// ErrBadFlag is wrapped by errors about flag values.
var ErrBadFlag = errors.New("zmqsize: bad flag")

func main() { bysize.Main("zmqsize", peerEnv, runPeer, runCLI) }

// runCLI parses args, measures, and writes JSON lines to -o (stdout by
// default).
func runCLI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, outPath, appendOut, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	return bysize.WithOutput(outPath, appendOut, stdout, func(w io.Writer) error {
		c.out = w
		return run(ctx, c)
	})
}

func parseFlags(args []string, stderr io.Writer) (c config, out string, appendOut bool, err error) {
	fs := flag.NewFlagSet("zmqsize", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("sizes", bysize.DefaultSizes, "message sizes, comma-separated (k = 1024, M = 1024²)")
	trans := fs.String("transport", "tcp,ipc", "transports: tcp, ipc or tcp,ipc")
	kinds := fs.String("kind", "throughput,latency", "what to measure: throughput, latency or both")
	fs.Float64Var(&c.scale, "scale", 1, "multiplies every message count; 1 ≈ one second per size")
	fs.DurationVar(&c.timeout, "timeout", time.Minute, "limit for each single measurement")
	fs.StringVar(&out, "o", "-", "output file for the JSON lines (- for stdout)")
	fs.BoolVar(&appendOut, "append", false, "append to -o instead of replacing it")
	verbose := fs.Bool("v", false, "log each measurement to stderr")
	if err = fs.Parse(args); err != nil {
		return c, "", false, fmt.Errorf("flags: %w", err)
	}
	if fs.NArg() > 0 {
		return c, "", false, fmt.Errorf("%w: unexpected argument %q", ErrBadFlag, fs.Arg(0))
	}
	if c.sizes, err = bysize.ParseSizes(*sizes, maxSize); err != nil {
		return c, "", false, err
	}
	if c.transports, err = parseTransports(*trans); err != nil {
		return c, "", false, err
	}
	if c.kinds, err = parseKinds(*kinds); err != nil {
		return c, "", false, err
	}
	if !(c.scale > 0 && c.scale <= 1000) || c.timeout <= 0 {
		return c, "", false, fmt.Errorf("%w: -scale must be in (0, 1000] and -timeout > 0, got %g and %v",
			ErrBadFlag, c.scale, c.timeout)
	}
	c.spawn = bysize.SpawnSelf(peerEnv)
	c.log = bysize.NewLogger(stderr, *verbose)
	return c, out, appendOut, nil
}

func parseKinds(list string) ([]bysize.Kind, error) {
	var out []bysize.Kind
	for _, k := range strings.Split(list, ",") {
		switch kind := bysize.Kind(strings.TrimSpace(k)); kind {
		case bysize.Throughput, bysize.Latency:
			out = append(out, kind)
		default:
			return nil, fmt.Errorf("%w: -kind %q (want throughput, latency or both)", ErrBadFlag, k)
		}
	}
	return out, nil
}
