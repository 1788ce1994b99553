package main

import (
	"github.com/troupe-go/troupe/bench/bysize"
)

// A point is one measured value at one message size.
type point struct {
	size  int
	value float64
}

// A series is one line on a chart: one implementation over one transport.
type series struct {
	label  string
	color  string
	dash   string // SVG stroke-dasharray, "" for solid
	square bool   // square markers, for reference figures
	points []point
}

var (
	implColors  = map[string]string{"troupe": "#d62728", "libzmq": "#1f77b4", "zeromq-2014": "#555555"}
	extraColors = []string{"#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#ff7f0e"}
	dashes      = map[string]string{"tcp": "", "ipc": "7 4", bysize.AnyTransport: "2 3"}
	extraDashes = []string{"1 3", "9 3 2 3", "4 2"}
)

// seriesOf builds one series per implementation and transport that has
// figures of kind, each value picked from a cell by value.
func seriesOf(d *dataset, kind bysize.Kind, value func(bysize.Record) float64) []series {
	var out []series
	for i, impl := range d.impls {
		for j, t := range append(append([]string{}, d.transports...), bysize.AnyTransport) {
			if !d.has(impl, t, kind) {
				continue
			}
			s := series{label: implLabel(impl) + " " + t, color: colorOf(impl, i), dash: dashOf(t, j)}
			if t == bysize.AnyTransport {
				s.label, s.square = implLabel(impl)+" (reference)", true
			}
			for _, size := range d.sizes {
				if c, ok := d.cells[key{impl, t, kind, size}]; ok {
					s.points = append(s.points, point{size, value(c.rec)})
				}
			}
			out = append(out, s)
		}
	}
	return out
}

// unmeasured lists the known implementations without any figure of kind,
// for the legend to say so.
func unmeasured(d *dataset, kind bysize.Kind) []string {
	var out []string
	for _, impl := range knownImpls {
		found := false
		for _, t := range append(append([]string{}, d.transports...), bysize.AnyTransport) {
			found = found || d.has(impl, t, kind)
		}
		if !found {
			out = append(out, implLabel(impl)+": no results yet")
		}
	}
	return out
}

func colorOf(impl string, i int) string {
	if c, ok := implColors[impl]; ok {
		return c
	}
	return extraColors[i%len(extraColors)]
}

func dashOf(transport string, j int) string {
	if d, ok := dashes[transport]; ok {
		return d
	}
	return extraDashes[j%len(extraDashes)]
}
