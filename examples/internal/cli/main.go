package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
)

// The exit codes of Run.
const (
	ExitOK     = 0 // the example ran and its checks passed
	ExitFailed = 1 // the example failed; the error went to stderr
	ExitUsage  = 2 // the flags were bad; the flag set said why
)

// Main runs an example as a program: Run with the command-line arguments,
// stdout and stderr, then os.Exit with its code. It does not return.
func Main[C any](limit time.Duration,
	parse func(args []string, stderr io.Writer) (C, error),
	run func(ctx context.Context, w io.Writer, cfg C) error) {
	os.Exit(Run(os.Args[1:], os.Stdout, os.Stderr, limit, parse, run))
}

// Run parses args with parse and, if that succeeds, calls run with stdout
// under a context that ends on an interrupt (Ctrl-C) or after limit,
// whichever comes first. It blocks until run returns, and returns the exit
// code: ExitUsage when parse fails (parse reports to stderr, as a flag set
// does), ExitFailed with run's error printed to stderr, or ExitOK.
func Run[C any](args []string, stdout, stderr io.Writer, limit time.Duration,
	parse func(args []string, stderr io.Writer) (C, error),
	run func(ctx context.Context, w io.Writer, cfg C) error) int {
	cfg, err := parse(args, stderr)
	if err != nil {
		return ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	if err := run(ctx, stdout, cfg); err != nil {
		fmt.Fprintln(stderr, err)
		return ExitFailed
	}
	return ExitOK
}
