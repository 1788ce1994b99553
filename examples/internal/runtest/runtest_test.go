package runtest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"testing"

	"github.com/troupe-go/troupe/examples/internal/runtest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var errBad = errors.New("test: bad")

func run(ctx context.Context, w io.Writer, n int) error {
	if _, ok := ctx.Deadline(); !ok {
		return errors.New("no deadline")
	}
	fmt.Fprintf(w, "got=%d twice=%d\n", n, 2*n)
	if n < 0 {
		return errBad
	}
	return nil
}

func TestOutput(t *testing.T) {
	if out := runtest.OK(t, run, 4); out != "got=4 twice=8\n" {
		t.Errorf("OK printed %q", out)
	}
	out, err := runtest.Output(t, run, -1)
	if !errors.Is(err, errBad) || out != "got=-1 twice=-2\n" {
		t.Errorf("Output = %q, %v", out, err)
	}
}

func TestNumbers(t *testing.T) {
	re := regexp.MustCompile(`got=(-?\d+) twice=(-?\d+)`)
	if n := runtest.Ints(t, re, "x\ngot=3 twice=6\n"); !slices.Equal(n, []int{3, 6}) {
		t.Errorf("Ints = %v", n)
	}
	if m := runtest.Match(t, re, "got=1 twice=2"); !slices.Equal(m, []string{"1", "2"}) {
		t.Errorf("Match = %v", m)
	}
	if runtest.Atoi(t, "-12") != -12 {
		t.Error("Atoi(-12)")
	}
}

func TestRefused(t *testing.T) {
	parse := func(args []string, _ io.Writer) (int, error) {
		if len(args) > 0 {
			return 0, fmt.Errorf("%w: %v", errBad, args)
		}
		return 1, nil
	}
	runtest.Refused(t, parse, errBad, [][]string{{"-x"}, {"-y", "1"}})
}
