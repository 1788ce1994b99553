package main

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"sort"

	"github.com/troupe-go/troupe/bench/bysize"
)

// Implementations and transports that always get their columns and tables,
// so that one not yet measured shows as "—" rather than vanishing.
var (
	knownImpls      = []string{"troupe", "libzmq", "zeromq-2014"}
	knownTransports = []string{"tcp", "ipc"}
	implLabels      = map[string]string{"troupe": "Troupe", "libzmq": "libzmq", "zeromq-2014": "2014"}
)

// canonicalSizes are the classic table's rows, 1 B to 8 MB.
var canonicalSizes = bysize.CanonicalSizes()

// A key names one cell group: implementation, transport, kind and size.
type key struct {
	impl      string
	transport string
	kind      bysize.Kind
	size      int
}

// A cell is the merged value of every record with the same key: the
// median run (by msgs/s or latency), and how many runs there were.
type cell struct {
	rec  bysize.Record
	runs int
}

// A dataset is every result merged, with the rows and columns to show.
type dataset struct {
	cells      map[key]cell
	impls      []string            // known ones first, then the rest by name
	transports []string            // known ones first, then the rest; never AnyTransport
	sizes      []int               // canonical sizes and any others measured, ascending
	details    map[string][]string // per implementation, distinct, in file order
	runs       map[string][2]int   // per implementation: fewest and most runs of a figure
	dates      map[string][]string // per implementation: days measured, sorted
}

// load reads every file in paths and merges the records.
func load(paths []string) (*dataset, error) {
	var all []bysize.Record
	for _, p := range paths {
		recs, err := readFile(p)
		if err != nil {
			return nil, err
		}
		all = append(all, recs...)
	}
	return merge(all), nil
}

func readFile(path string) ([]bysize.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open results: %w", err)
	}
	defer f.Close()
	return bysize.Read(f, path)
}

// merge groups records by key and keeps each group's median run.
func merge(recs []bysize.Record) *dataset {
	groups := map[key][]bysize.Record{}
	d := &dataset{cells: map[key]cell{}, details: map[string][]string{},
		runs: map[string][2]int{}, dates: map[string][]string{}}
	impls, transports, sizes := map[string]bool{}, map[string]bool{}, map[int]bool{}
	for _, r := range recs {
		k := key{r.Implementation, r.Transport, r.Kind, r.Size}
		groups[k] = append(groups[k], r)
		impls[r.Implementation], sizes[r.Size] = true, true
		if r.Transport != bysize.AnyTransport {
			transports[r.Transport] = true
		}
		if r.Detail != "" && !slices.Contains(d.details[r.Implementation], r.Detail) {
			d.details[r.Implementation] = append(d.details[r.Implementation], r.Detail)
		}
		if day := r.Time[:min(10, len(r.Time))]; day != "" && !slices.Contains(d.dates[r.Implementation], day) {
			d.dates[r.Implementation] = append(d.dates[r.Implementation], day)
		}
	}
	for k, g := range groups {
		d.cells[k] = cell{rec: median(g), runs: len(g)}
		r, ok := d.runs[k.impl]
		if !ok {
			r = [2]int{len(g), len(g)}
		}
		d.runs[k.impl] = [2]int{min(r[0], len(g)), max(r[1], len(g))}
	}
	for _, days := range d.dates {
		sort.Strings(days)
	}
	d.impls = ordered(knownImpls, impls)
	d.transports = ordered(knownTransports, transports)
	for _, s := range canonicalSizes {
		sizes[s] = true
	}
	for s := range sizes {
		d.sizes = append(d.sizes, s)
	}
	sort.Ints(d.sizes)
	return d
}

// median returns the middle run by its headline value (msgs/s or latency);
// with an even number of runs, the lower middle one, so that every number
// shown was measured.
func median(g []bysize.Record) bysize.Record {
	g = slices.Clone(g)
	slices.SortFunc(g, func(a, b bysize.Record) int {
		return cmp.Compare(a.MsgsPerSec+a.LatencyUS, b.MsgsPerSec+b.LatencyUS)
	})
	return g[(len(g)-1)/2]
}

// ordered lists the known names first, then the others found, by name.
func ordered(known []string, found map[string]bool) []string {
	out := slices.Clone(known)
	var extra []string
	for name := range found {
		if !slices.Contains(known, name) {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// get returns the cell for impl over transport, falling back to a
// reference figure recorded for any transport.
func (d *dataset) get(impl, transport string, kind bysize.Kind, size int) (cell, bool) {
	if c, ok := d.cells[key{impl, transport, kind, size}]; ok {
		return c, true
	}
	c, ok := d.cells[key{impl, bysize.AnyTransport, kind, size}]
	return c, ok
}

// has reports whether impl has any figure of kind over transport (exactly).
func (d *dataset) has(impl, transport string, kind bysize.Kind) bool {
	for _, s := range d.sizes {
		if _, ok := d.cells[key{impl, transport, kind, s}]; ok {
			return true
		}
	}
	return false
}

func implLabel(impl string) string {
	if l, ok := implLabels[impl]; ok {
		return l
	}
	return impl
}
