package main

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/troupe-go/troupe/bench"
)

// envRunMain makes the test binary behave as the command, so tests (and
// the command's own W4 children) can run it as a separate process.
const envRunMain = "TROUPE_ACTORS_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		main()
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// runCommand runs the command in a child process with args.
func runCommand(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), envRunMain+"=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

var wantLabels = []string{
	"W1 ping-pong", "W2 fan-in P=1", "W2 fan-in P=2", "W2 fan-in P=8",
	"W3 request-reply p50", "W3 request-reply p99",
	"W4 spawn, actors/s", "W4 spawn peak RSS", "W2 fan-in drops",
}

// TestTableShape runs the whole comparison at 1% scale and checks the
// table: header, one row per figure, positive numbers, no drops.
func TestTableShape(t *testing.T) {
	out, errOut, err := runCommand(t, "-scale", "0.01", "-runs", "1")
	if err != nil {
		t.Fatalf("actors -scale 0.01 -runs 1: %v\nstderr:\n%s", err, errOut)
	}
	lines := strings.Split(out, "\n")
	if len(lines) < 2+len(wantLabels) || lines[0] != tableHeader {
		t.Fatalf("output does not start with the table header:\n%s", out)
	}
	if !strings.HasPrefix(lines[1], "|---|") {
		t.Errorf("second line %q is not a separator", lines[1])
	}
	for i, label := range wantLabels {
		checkRow(t, lines[2+i], label)
	}
	if rest := lines[2+len(wantLabels)]; rest != "" {
		t.Errorf("extra row after the table: %q", rest)
	}
	if !strings.Contains(out, "Medians of 1 runs") || !strings.Contains(out, "W1 n=10000") {
		t.Errorf("notes do not state runs and counts:\n%s", out)
	}
}

// checkRow checks one table row: its label and four numeric cells.
func checkRow(t *testing.T, line, label string) {
	t.Helper()
	cells := strings.Split(strings.Trim(line, "|"), "|")
	if len(cells) != 5 || !strings.HasPrefix(strings.TrimSpace(cells[0]), label) {
		t.Errorf("row %q: want 5 cells starting with %q", line, label)
		return
	}
	drops := strings.Contains(label, "drops")
	for i, c := range cells[1:4] {
		v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(c), ",", ""), 64)
		switch {
		case err != nil:
			t.Errorf("row %q cell %d: %v", label, i+1, err)
		case drops && v != 0:
			t.Errorf("row %q: %v drops in column %d", label, v, i+1)
		case !drops && !(v > 0):
			t.Errorf("row %q: column %d is %v, want > 0", label, i+1, v)
		}
	}
	if r := strings.TrimSpace(cells[4]); !drops {
		if v, err := strconv.ParseFloat(r, 64); err != nil || !(v > 0) {
			t.Errorf("row %q: ratio %q is not a positive number", label, r)
		}
	}
}

func TestChildRejectsUnknownRuntime(t *testing.T) {
	_, errOut, err := runCommand(t, "-child", "nosuch", "-n", "10")
	if err == nil || !strings.Contains(errOut, `unknown runtime "nosuch"`) {
		t.Errorf("err %v, stderr %q; want a failure naming the runtime", err, errOut)
	}
}

func TestParseFlags(t *testing.T) {
	var sink bytes.Buffer
	o, err := parseFlags([]string{"-w", "w1, W4", "-scale", "0.5"}, &sink)
	if err != nil || len(o.workloads) != 2 || o.runs != 3 || o.scaled(w1Count) != 500_000 {
		t.Errorf("parseFlags = %+v, %v", o, err)
	}
	for _, bad := range [][]string{
		{"-runs", "0"}, {"-scale", "0"}, {"-scale", "11"}, {"-w", "W5"}, {"extra"}, {"-nosuchflag"},
	} {
		if _, err := parseFlags(bad, &sink); !errors.Is(err, errUsage) {
			t.Errorf("parseFlags(%q) = %v, want errUsage", bad, err)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}, {[]float64{7}, 7}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median(nil) is not NaN")
	}
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0", 1.234: "1.23", 12.34: "12.3", 123.4: "123", 6457775.4: "6,457,775", 1000: "1,000", math.NaN(): "n/a",
	} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
	if got := ratio(1, 0); got != "n/a" {
		t.Errorf("ratio(1, 0) = %q", got)
	}
}

func TestSpreadNote(t *testing.T) {
	rows := []row{
		medianRow("W1 ping-pong, ns", map[string][]bench.Result{
			"troupe":     {{N: 10, Elapsed: 10}, {N: 10, Elapsed: 30}},
			"protoactor": {{N: 10, Elapsed: 10}, {N: 10, Elapsed: 11}},
			"chan":       {{N: 10, Elapsed: 10}},
		}, nsPerOp),
	}
	if got, want := spreadNote(rows, 1.5), "Noisy cells (largest/smallest run above 1.5×): W1 ping-pong troupe 3.0×."; got != want {
		t.Errorf("spreadNote = %q, want %q", got, want)
	}
	if got := spreadNote(rows, 5); !strings.HasPrefix(got, "Every cell's runs agree within 5.0×") {
		t.Errorf("spreadNote(5) = %q", got)
	}
	if got := rows[0].vals; got[0] != 2 || math.Abs(got[1]-1.05) > 1e-9 || got[2] != 1 {
		t.Errorf("medians %v, want [2 1.05 1]", got)
	}
}
