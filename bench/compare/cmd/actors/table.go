package main

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/troupe-go/troupe/bench"
)

// columns are the runner names in table order, Troupe first.
var columns = []string{"troupe", "protoactor", "chan"}

// tableHeader is the table's first line.
const tableHeader = "| workload | Troupe | Proto.Actor | channel | Troupe/Proto.Actor |"

// A row is one line of the table: a label, one value per column and, for
// medians, each column's spread (largest over smallest run).
type row struct {
	label  string
	vals   []float64
	spread []float64
}

// metric reads one figure from a result.
type metric func(bench.Result) float64

func nsPerOp(r bench.Result) float64   { return r.NsPerOp() }
func perSecond(r bench.Result) float64 { return r.PerSecond() }
func p50(r bench.Result) float64       { return float64(r.P50.Nanoseconds()) / 1e3 }
func p99(r bench.Result) float64       { return float64(r.P99.Nanoseconds()) / 1e3 }
func peakMiB(r bench.Result) float64   { return bench.MiB(r.PeakRSS) }

// buildRows turns the results into table rows, medians per column.
func buildRows(tasks []task, res results) []row {
	var rows []row
	var fanIn []task
	for _, t := range tasks {
		switch t.w {
		case bench.W1PingPong:
			rows = append(rows, medianRow("W1 ping-pong, ns/roundtrip (lower is better)", res[t], nsPerOp))
		case bench.W2FanIn:
			rows = append(rows, medianRow(fmt.Sprintf("W2 fan-in P=%d, msgs/s (higher is better)", t.p), res[t], perSecond))
			fanIn = append(fanIn, t)
		case bench.W3RequestReply:
			rows = append(rows,
				medianRow("W3 request-reply p50, µs (lower is better)", res[t], p50),
				medianRow("W3 request-reply p99, µs (lower is better)", res[t], p99))
		case bench.W4Spawn:
			rows = append(rows,
				medianRow("W4 spawn, actors/s (higher is better)", res[t], perSecond),
				medianRow("W4 spawn peak RSS, MiB (lower is better)", res[t], peakMiB))
		}
	}
	if len(fanIn) > 0 {
		rows = append(rows, dropsRow(fanIn, res))
	}
	return rows
}

func medianRow(label string, byRunner map[string][]bench.Result, m metric) row {
	r := row{label: label}
	for _, c := range columns {
		var vs []float64
		for _, res := range byRunner[c] {
			vs = append(vs, m(res))
		}
		r.vals = append(r.vals, median(vs))
		r.spread = append(r.spread, spread(vs))
	}
	return r
}

// spread returns max/min of vs, or 1 when it cannot be told.
func spread(vs []float64) float64 {
	if len(vs) == 0 || slices.Min(vs) <= 0 {
		return 1
	}
	return slices.Max(vs) / slices.Min(vs)
}

// spreadNote lists the cells whose runs disagree by more than a factor of
// noisy, so a reader knows which medians to trust less.
func spreadNote(rows []row, noisy float64) string {
	var cells []string
	for _, r := range rows {
		label, _, _ := strings.Cut(r.label, ",")
		for i, sp := range r.spread {
			if sp > noisy {
				cells = append(cells, fmt.Sprintf("%s %s %.1f×", label, columns[i], sp))
			}
		}
	}
	if len(cells) == 0 {
		return fmt.Sprintf("Every cell's runs agree within %.1f× (largest/smallest).", noisy)
	}
	return fmt.Sprintf("Noisy cells (largest/smallest run above %.1f×): %s.", noisy, strings.Join(cells, "; "))
}

// dropsRow sums W2 drops over every P and run.
func dropsRow(fanIn []task, res results) row {
	r := row{label: "W2 fan-in drops, all P and runs (should be 0)"}
	for _, c := range columns {
		var sum uint64
		for _, t := range fanIn {
			for _, x := range res[t][c] {
				sum += x.Drops
			}
		}
		r.vals = append(r.vals, float64(sum))
	}
	return r
}

// median returns the middle value (the mean of the two middle ones for an
// even count), or NaN for none.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	vs = slices.Clone(vs)
	slices.Sort(vs)
	k := len(vs) / 2
	if len(vs)%2 == 1 {
		return vs[k]
	}
	return (vs[k-1] + vs[k]) / 2
}

// writeTable prints the markdown table and then the notes.
func writeTable(w io.Writer, rows []row, notes []string) error {
	var b strings.Builder
	b.WriteString(tableHeader + "\n|---|---:|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n",
			r.label, num(r.vals[0]), num(r.vals[1]), num(r.vals[2]), ratio(r.vals[0], r.vals[1]))
	}
	b.WriteString("\n")
	notes = append(notes, spreadNote(rows, 1.5))
	for _, n := range notes {
		b.WriteString(n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// num formats v with three significant digits or thousands separators.
func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case v >= 1000:
		return thousands(int64(math.Round(v)))
	case v >= 100 || v == math.Trunc(v):
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func ratio(troupe, other float64) string {
	if other == 0 || math.IsNaN(other) || math.IsNaN(troupe) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", troupe/other)
}

// notes says what was measured and on what.
func notes(o options, res results) []string {
	ts := o.tasks()
	var counts []string
	for _, t := range ts {
		if t.w != bench.W2FanIn || t.p == w2Producers[0] {
			counts = append(counts, fmt.Sprintf("%s n=%d", t.w, t.n))
		}
	}
	reset := "VmHWM reset before each W4 run"
	for _, byRunner := range res {
		for _, rs := range byRunner {
			for _, r := range rs {
				if r.Workload == bench.W4Spawn && !r.HWMReset {
					reset = "VmHWM could not be reset: W4 peaks include process start-up"
				}
			}
		}
	}
	return []string{
		fmt.Sprintf("Medians of %d runs per cell, runtimes alternating; counts: %s.", o.runs, strings.Join(counts, ", ")),
		fmt.Sprintf("W2: mailbox capacity %d, blocking (Troupe mailbox.Block, Proto.Actor actor.Bounded, buffered channel). "+
			"W4: each run in a fresh child process; peak = VmHWM; %s.", bench.DefaultCapacity, reset),
		fmt.Sprintf("%s, GOMAXPROCS=%d, %s/%s, Proto.Actor %s.", runtime.Version(), runtime.GOMAXPROCS(0),
			runtime.GOOS, runtime.GOARCH, depVersion("github.com/asynkron/protoactor-go")),
	}
}

func depVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				return d.Version
			}
		}
	}
	return "(version unknown)"
}
