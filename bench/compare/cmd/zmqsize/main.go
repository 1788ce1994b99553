package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/troupe-go/troupe/bench/compare/cmd/sizetable/result"
)

// ErrBadFlag is wrapped by errors about flag values.
var ErrBadFlag = errors.New("zmqsize: bad flag")

func main() {
	if os.Getenv(peerEnv) != "" {
		os.Exit(peerMain(os.Args[1:]))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := runCLI(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "zmqsize:", err)
		os.Exit(1)
	}
}

// runCLI parses args, measures, and writes JSON lines to -o (stdout by
// default).
func runCLI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, outPath, appendOut, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	c.out = stdout
	if outPath != "-" {
		f, err := openOut(outPath, appendOut)
		if err != nil {
			return err
		}
		c.out = f
		err = run(ctx, c)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close %s: %w", outPath, cerr)
		}
		return err
	}
	return run(ctx, c)
}

func openOut(path string, appendOut bool) (*os.File, error) {
	mode := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if appendOut {
		mode = os.O_CREATE | os.O_WRONLY | os.O_APPEND
	}
	f, err := os.OpenFile(path, mode, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open output: %w", err)
	}
	return f, nil
}

func parseFlags(args []string, stderr io.Writer) (c config, out string, appendOut bool, err error) {
	fs := flag.NewFlagSet("zmqsize", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("sizes", defaultSizes, "message sizes, comma-separated (k = 1024, M = 1024²)")
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
	if c.sizes, err = parseSizes(*sizes); err != nil {
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
	c.spawn = spawnSelf
	c.log = newLogger(stderr, *verbose)
	return c, out, appendOut, nil
}

func parseKinds(list string) ([]result.Kind, error) {
	var out []result.Kind
	for _, k := range strings.Split(list, ",") {
		switch kind := result.Kind(strings.TrimSpace(k)); kind {
		case result.Throughput, result.Latency:
			out = append(out, kind)
		default:
			return nil, fmt.Errorf("%w: -kind %q (want throughput, latency or both)", ErrBadFlag, k)
		}
	}
	return out, nil
}

func newLogger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
