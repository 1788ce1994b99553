package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/troupe-go/troupe/bench/bysize"
)

// ErrNoInput is returned when there are no result files to read.
var ErrNoInput = errors.New("sizetable: no result files")

// The files sizetable writes into its output directory.
const (
	markdownFile   = "bysize.md"
	throughputFile = "throughput.svg"
	latencyFile    = "latency.svg"
)

func main() {
	if err := runCLI(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sizetable:", err)
		os.Exit(1)
	}
}

// runCLI reads the results named by the flags and writes the table and the
// charts.
func runCLI(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("sizetable", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "../results", "directory of *.jsonl results, and of the output unless -out is given")
	in := fs.String("in", "", "comma-separated result files to read instead of DIR/*.jsonl")
	out := fs.String("out", "", "directory to write bysize.md, throughput.svg and latency.svg (default DIR)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("flags: %w", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	paths, err := inputs(*dir, *in)
	if err != nil {
		return err
	}
	d, err := load(paths)
	if err != nil {
		return err
	}
	if *out == "" {
		*out = *dir
	}
	return writeAll(d, *out)
}

func inputs(dir, in string) ([]string, error) {
	if in != "" {
		return strings.Split(in, ","), nil
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("list results: %w", err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w in %s (run zmqsize first)", ErrNoInput, dir)
	}
	sort.Strings(paths)
	return paths, nil
}

// writeAll writes the markdown table and both charts into dir.
func writeAll(d *dataset, dir string) error {
	noThr, noLat := unmeasured(d, bysize.Throughput), unmeasured(d, bysize.Latency)
	thr := []panel{
		{title: "Throughput: messages per second", yLabel: "messages/s (log scale)", sizes: d.sizes, missing: noThr,
			series: seriesOf(d, bysize.Throughput, func(r bysize.Record) float64 { return r.MsgsPerSec })},
		{title: "Throughput: Mbit per second (message bodies)", yLabel: "Mbit/s (log scale)", sizes: d.sizes, missing: noThr,
			series: seriesOf(d, bysize.Throughput, func(r bysize.Record) float64 { return r.MbitPerSec })},
	}
	lat := panel{title: "One-way latency (round trip ÷ 2)", yLabel: "µs (log scale)", sizes: d.sizes, missing: noLat,
		series: seriesOf(d, bysize.Latency, func(r bysize.Record) float64 { return r.LatencyUS })}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{markdownFile, func(w io.Writer) error { return writeMarkdown(w, d) }},
		{throughputFile, func(w io.Writer) error { return writeSVG(w, thr...) }},
		{latencyFile, func(w io.Writer) error { return writeSVG(w, lat) }},
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes through a temporary file and renames it into place, so a
// failed run never leaves half a table behind.
func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
