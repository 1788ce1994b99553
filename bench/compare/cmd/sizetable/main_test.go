package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/troupe-go/troupe/bench/bysize"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// generate runs sizetable on the fixture and returns the output directory.
func generate(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	var stderr bytes.Buffer
	if err := runCLI([]string{"-in", "testdata/fixture.jsonl", "-out", out}, &stderr); err != nil {
		t.Fatalf("runCLI: %v (%s)", err, stderr.String())
	}
	return out
}

// tables parses bysize.md into transport → size label → column title → cell.
func tables(t *testing.T, md string) (order []string, cells map[string]map[string]map[string]string, headers []string) {
	t.Helper()
	cells = map[string]map[string]map[string]string{}
	var transport string
	for _, line := range strings.Split(md, "\n") {
		if name, ok := strings.CutPrefix(line, "## "); ok {
			transport = name
			continue
		}
		if !strings.HasPrefix(line, "| ") || transport == "" {
			continue
		}
		fields := strings.Split(strings.Trim(line, "| "), " | ")
		if fields[0] == "size" {
			headers = fields
			order = append(order, transport)
			cells[transport] = map[string]map[string]string{}
			continue
		}
		if len(fields) != len(headers) {
			t.Fatalf("row %q has %d cells, header has %d", line, len(fields), len(headers))
		}
		row := map[string]string{}
		for i, f := range fields {
			row[headers[i]] = f
		}
		cells[transport][fields[0]] = row
	}
	return order, cells, headers
}

func TestMarkdownFromFixture(t *testing.T) {
	md, err := os.ReadFile(filepath.Join(generate(t), markdownFile))
	if err != nil {
		t.Fatal(err)
	}
	order, cells, headers := tables(t, string(md))
	if want := []string{"tcp", "ipc", "inproc"}; !slices.Equal(order, want) {
		t.Errorf("tables %q, want %q", order, want)
	}
	wantHead := []string{"size", "Troupe msgs/s", "libzmq msgs/s", "2014 msgs/s", "pyzmq msgs/s",
		"Troupe Mbit/s", "libzmq Mbit/s", "2014 Mbit/s", "pyzmq Mbit/s",
		"Troupe latency µs", "libzmq latency µs", "2014 latency µs", "pyzmq latency µs"}
	if !slices.Equal(headers, wantHead) {
		t.Errorf("header\n got %q\nwant %q", headers, wantHead)
	}
	checks := []struct{ transport, size, column, want string }{
		{"tcp", "8 B", "libzmq msgs/s", "4.76 M"}, // median of 4.0, 4.76, 5.0 M
		{"tcp", "8 B", "libzmq Mbit/s", "305"},
		{"tcp", "4 kB", "libzmq msgs/s", "136 k"},
		{"tcp", "4 kB", "libzmq Mbit/s", "4,456"},
		{"tcp", "8 B", "libzmq latency µs", "99.1"},
		{"tcp", "2 MB", "libzmq latency µs", "654"},
		{"tcp", "8 B", "pyzmq msgs/s", "1.20 M"},
		{"tcp", "1 B", "2014 msgs/s", "4.14 M"},
		{"ipc", "1 B", "2014 msgs/s", "4.14 M"},
		{"inproc", "8 MB", "2014 latency µs", "25,366"},
		{"ipc", "512 B", "libzmq msgs/s", "855 k"},
		{"ipc", "8 B", "libzmq msgs/s", "—"},
		{"inproc", "8 B", "libzmq msgs/s", "9.00 M"},
		{"tcp", "64 B", "libzmq msgs/s", "—"},
	}
	for _, c := range checks {
		if got := cells[c.transport][c.size][c.column]; got != c.want {
			t.Errorf("%s %s %s = %q, want %q", c.transport, c.size, c.column, got, c.want)
		}
	}
	for _, tr := range order {
		if n := len(cells[tr]); n != len(canonicalSizes) {
			t.Errorf("%s: %d rows, want %d", tr, n, len(canonicalSizes))
		}
		for size, row := range cells[tr] {
			for _, col := range []string{"Troupe msgs/s", "Troupe Mbit/s", "Troupe latency µs"} {
				if row[col] != "—" {
					t.Errorf("%s %s %s = %q, want — (no Troupe results)", tr, size, col, row[col])
				}
			}
		}
	}
	for _, want := range []string{"**Troupe**: no results yet", "1 to 3 runs (median shown)", "measured 2025-03-01, 2025-03-02",
		"fixture 2014", "throughput at 8 B, 64 B", "latency at 1 B, 8 B,"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("bysize.md lacks %q", want)
		}
	}
}

// svgDoc is what the chart tests look at in an SVG file.
type svgDoc struct {
	polylines []string // their titles
	texts     []string
	squares   int
}

func readSVG(t *testing.T, path string) svgDoc {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var doc svgDoc
	dec := xml.NewDecoder(f)
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			stack = append(stack, el.Name.Local)
			if el.Name.Local == "rect" && attr(el, "width") == "9" {
				doc.squares++
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			text := strings.TrimSpace(string(el))
			switch {
			case text == "":
			case len(stack) > 1 && stack[len(stack)-2] == "polyline":
				doc.polylines = append(doc.polylines, text)
			case stack[len(stack)-1] == "text":
				doc.texts = append(doc.texts, text)
			}
		}
	}
	return doc
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func TestChartsFromFixture(t *testing.T) {
	out := generate(t)
	thr := readSVG(t, filepath.Join(out, throughputFile))
	for _, want := range []string{"libzmq tcp", "libzmq ipc", "libzmq inproc", "pyzmq tcp", "2014 (reference)",
		"Troupe: no results yet", "1 B", "8 MB", "1M", "Throughput: messages per second"} {
		if !slices.Contains(thr.texts, want) {
			t.Errorf("throughput.svg lacks text %q; has %q", want, thr.texts)
		}
	}
	// libzmq tcp has 8 B and 4 kB, which are not neighbours: no line, only
	// markers; nothing else has two neighbouring sizes either.
	if len(thr.polylines) != 0 {
		t.Errorf("throughput.svg draws lines %q across missing sizes", thr.polylines)
	}
	// Two panels, each with the 2014 reference's 1 B point and its legend.
	if thr.squares != 4 {
		t.Errorf("throughput.svg has %d reference squares, want 4", thr.squares)
	}
	lat := readSVG(t, filepath.Join(out, latencyFile))
	for _, want := range []string{"libzmq tcp", "2014 (reference)", "Troupe: no results yet"} {
		if !slices.Contains(lat.texts, want) {
			t.Errorf("latency.svg lacks text %q; has %q", want, lat.texts)
		}
	}
	if slices.Contains(lat.texts, "libzmq ipc") {
		t.Error("latency.svg has a legend for libzmq ipc, which has no latency figures")
	}
}

func TestLinesJoinNeighbouringSizes(t *testing.T) {
	recs := []bysize.Record{
		{Implementation: "libzmq", Transport: "tcp", Kind: bysize.Latency, Size: 1, LatencyUS: 80},
		{Implementation: "libzmq", Transport: "tcp", Kind: bysize.Latency, Size: 8, LatencyUS: 90},
		{Implementation: "libzmq", Transport: "tcp", Kind: bysize.Latency, Size: 64, LatencyUS: 95},
		{Implementation: "libzmq", Transport: "tcp", Kind: bysize.Latency, Size: 4096, LatencyUS: 120},
		{Implementation: "libzmq", Transport: "tcp", Kind: bysize.Latency, Size: 32768, LatencyUS: 150},
	}
	d := merge(recs)
	p := panel{sizes: d.sizes, series: seriesOf(d, bysize.Latency, func(r bysize.Record) float64 { return r.LatencyUS })}
	var b strings.Builder
	if err := writeSVG(&b, p); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "<polyline"); n != 2 {
		t.Errorf("%d polylines, want 2 (1–64 B and 4–32 kB, broken at 512 B)", n)
	}
	runs := p.runs(p.series[0].points)
	if len(runs) != 2 || len(runs[0]) != 3 || len(runs[1]) != 2 {
		t.Errorf("runs = %v", runs)
	}
}

func TestScaleIsLogLog(t *testing.T) {
	p := panel{sizes: canonicalSizes, series: []series{{points: []point{{8, 50}, {2 << 20, 2e6}}}}}
	s := p.scale()
	if s.y0 != 1 || s.y1 != 7 {
		t.Errorf("decades %g…%g, want 1…7", s.y0, s.y1)
	}
	if s.x(1) != marginL || s.x(8<<20) != marginL+plotW {
		t.Errorf("x(1 B) = %g, x(8 MB) = %g; want the plot's edges", s.x(1), s.x(8<<20))
	}
	// Equal ratios, equal distances.
	if d1, d2 := s.x(64)-s.x(8), s.x(8<<10)-s.x(1<<10); d1-d2 > 1e-9 || d2-d1 > 1e-9 {
		t.Errorf("×8 spans %g and %g", d1, d2)
	}
	if d1, d2 := s.y(100)-s.y(1000), s.y(1e5)-s.y(1e6); d1 <= 0 || d1-d2 > 1e-9 || d2-d1 > 1e-9 {
		t.Errorf("decades span %g and %g", d1, d2)
	}
}

func TestBadInputFailsClearly(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		"syntax":  `{"implementation":"libzmq","transport":"tcp","kind":"latency","size":8,"latency_us":9}` + "\n{oops\n",
		"kind":    `{"implementation":"libzmq","transport":"tcp","kind":"speed","size":8,"latency_us":9}`,
		"size":    `{"implementation":"libzmq","transport":"tcp","kind":"latency","size":0,"latency_us":9}`,
		"zero":    `{"implementation":"libzmq","transport":"tcp","kind":"throughput","size":8}`,
		"unknown": `{"implementation":"libzmq","transport":"tcp","kind":"latency","size":8,"latency_us":9,"p99":1}`,
		"noimpl":  `{"transport":"tcp","kind":"latency","size":8,"latency_us":9}`,
	}
	for name, text := range cases {
		path := filepath.Join(dir, name+".jsonl")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		err := runCLI([]string{"-in", path, "-out", dir}, io.Discard)
		if err == nil || !strings.Contains(err.Error(), path+":") {
			t.Errorf("%s: error %v, want one naming %s and the line", name, err, path)
		}
	}
	if err := runCLI([]string{"-in", filepath.Join(dir, "syntax.jsonl"), "-out", dir}, io.Discard); !strings.Contains(err.Error(), ":2:") {
		t.Errorf("syntax error not on line 2: %v", err)
	}
	if err := runCLI([]string{"-in", filepath.Join(dir, "kind.jsonl"), "-out", dir}, io.Discard); !errors.Is(err, bysize.ErrInvalid) {
		t.Errorf("bad kind: %v, want ErrInvalid", err)
	}
	if err := runCLI([]string{"-dir", t.TempDir()}, io.Discard); !errors.Is(err, ErrNoInput) {
		t.Errorf("empty directory: %v, want ErrNoInput", err)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "*.md")); len(matches) != 0 {
		t.Errorf("failed runs wrote %v", matches)
	}
}

func TestFailedWriteLeavesNothing(t *testing.T) {
	missingDir := filepath.Join(t.TempDir(), "absent")
	err := runCLI([]string{"-in", "testdata/fixture.jsonl", "-out", missingDir}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), markdownFile) {
		t.Errorf("writing into a missing directory: %v", err)
	}
}

func TestNumberFormats(t *testing.T) {
	for v, want := range map[float64]string{0.512: "0.512", 4.764: "4.76", 41: "41.0", 654.4: "654", 1000: "1,000", 25366: "25,366", 1234567: "1,234,567"} {
		if got := sig3(v); got != want {
			t.Errorf("sig3(%g) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{4.76e6: "4.76 M", 855e3: "855 k", 91242: "91.2 k", 7168: "7,168", 171: "171", 78: "78.0"} {
		if got := rate(v); got != want {
			t.Errorf("rate(%g) = %q, want %q", v, got, want)
		}
	}
}

func TestMedianPicksAMeasuredRun(t *testing.T) {
	runs := []bysize.Record{{MsgsPerSec: 4}, {MsgsPerSec: 1}, {MsgsPerSec: 3}, {MsgsPerSec: 2}}
	if got := median(runs).MsgsPerSec; got != 2 {
		t.Errorf("median of 1–4 = %g, want the lower middle, 2", got)
	}
	if runs[0].MsgsPerSec != 4 {
		t.Error("median reordered its argument")
	}
}
