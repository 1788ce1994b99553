// Package runtest holds what the examples' tests share: running an
// example's run function with a deadline and capturing what it prints,
// picking numbers out of that output, and checking that bad flags are
// refused. Every helper fails the test with the output attached, so a
// failure says what the example printed.
package runtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// Timeout bounds one run of an example in a test.
const Timeout = 30 * time.Second

// Output calls run with cfg, a buffer and a context that ends after
// Timeout (or with the test), and returns what it printed and its error.
func Output[C any](t testing.TB, run func(ctx context.Context, w io.Writer, cfg C) error, cfg C) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), Timeout)
	defer cancel()
	var out bytes.Buffer
	err := run(ctx, &out, cfg)
	return out.String(), err
}

// OK is Output for a run that must succeed: an error fails the test at
// once, with the output.
func OK[C any](t testing.TB, run func(ctx context.Context, w io.Writer, cfg C) error, cfg C) string {
	t.Helper()
	out, err := Output(t, run, cfg)
	if err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out)
	}
	return out
}

// Match returns the submatches of re's first match in out; no match fails
// the test at once, with the output.
func Match(t testing.TB, re *regexp.Regexp, out string) []string {
	t.Helper()
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no match for %v in:\n%s", re, out)
	}
	return m[1:]
}

// Ints returns the submatches of re's first match in out as numbers; no
// match, or a submatch that is not a number, fails the test at once.
func Ints(t testing.TB, re *regexp.Regexp, out string) []int {
	t.Helper()
	var n []int
	for _, s := range Match(t, re, out) {
		n = append(n, Atoi(t, s))
	}
	return n
}

// Atoi converts s to a number; anything else fails the test at once.
func Atoi(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Refused checks that parse refuses each of the argument lists in bad with
// an error that wraps want.
func Refused[C any](t testing.TB, parse func(args []string, stderr io.Writer) (C, error), want error, bad [][]string) {
	t.Helper()
	for _, args := range bad {
		if _, err := parse(args, io.Discard); !errors.Is(err, want) {
			t.Errorf("%v: err = %v, want %v", args, err, want)
		}
	}
}
