package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/troupe-go/troupe/bench/bysize"
)

// A panel is one log-log chart: message size across, a metric up.
type panel struct {
	title   string
	yLabel  string
	series  []series
	missing []string // legend notes for implementations without figures
	sizes   []int    // the x ticks, ascending
}

// Layout of one panel, in SVG user units.
const (
	panelW   = 860
	panelH   = 430
	marginL  = 78
	marginR  = 230 // room for the legend
	marginT  = 40
	marginB  = 58
	plotW    = panelW - marginL - marginR
	plotH    = panelH - marginT - marginB
	fontFace = "DejaVu Sans, Helvetica, Arial, sans-serif"
)

// writeSVG draws the panels one under the other as a single SVG document.
func writeSVG(w io.Writer, panels ...panel) error {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="%s">`+"\n",
		panelW, panelH*len(panels), panelW, panelH*len(panels), fontFace)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	for i, p := range panels {
		fmt.Fprintf(&b, `<g transform="translate(0,%d)">`+"\n", i*panelH)
		p.draw(&b)
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// A scale maps log values onto the plot area.
type scale struct {
	x0, x1 float64 // log2 of the smallest and largest size
	y0, y1 float64 // decades (log10) at the bottom and top
}

func (p panel) scale() scale {
	s := scale{x0: math.Log2(float64(p.sizes[0])), x1: math.Log2(float64(p.sizes[len(p.sizes)-1]))}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, sr := range p.series {
		for _, pt := range sr.points {
			lo, hi = math.Min(lo, pt.value), math.Max(hi, pt.value)
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 1, 1e6
	}
	s.y0, s.y1 = math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if s.y1 <= s.y0 {
		s.y1 = s.y0 + 1
	}
	if s.x1 <= s.x0 {
		s.x1 = s.x0 + 1
	}
	return s
}

func (s scale) x(size int) float64 {
	return marginL + (math.Log2(float64(size))-s.x0)/(s.x1-s.x0)*plotW
}

func (s scale) y(v float64) float64 {
	return marginT + plotH - (math.Log10(v)-s.y0)/(s.y1-s.y0)*plotH
}

func (p panel) draw(b *strings.Builder) {
	s := p.scale()
	fmt.Fprintf(b, `<text x="%d" y="24" font-size="16" font-weight="bold">%s</text>`+"\n", marginL, esc(p.title))
	p.drawYGrid(b, s)
	p.drawXGrid(b, s)
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>`+"\n", marginL, marginT, plotW, plotH)
	fmt.Fprintf(b, `<text x="%d" y="%d" font-size="13" text-anchor="middle">message size (log scale)</text>`+"\n",
		marginL+plotW/2, panelH-14)
	fmt.Fprintf(b, `<text transform="translate(18,%d) rotate(-90)" font-size="13" text-anchor="middle">%s</text>`+"\n",
		marginT+plotH/2, esc(p.yLabel))
	if len(p.series) == 0 {
		fmt.Fprintf(b, `<text x="%d" y="%d" font-size="14" text-anchor="middle" fill="#888">no results</text>`+"\n",
			marginL+plotW/2, marginT+plotH/2)
	}
	for _, sr := range p.series {
		p.drawSeries(b, s, sr)
	}
	p.drawLegend(b)
}

func (p panel) drawYGrid(b *strings.Builder, s scale) {
	for dec := s.y0; dec <= s.y1; dec++ {
		for m := 1.0; m < 10 && dec+math.Log10(m) <= s.y1; m++ {
			y := s.y(m * math.Pow(10, dec))
			stroke, width := "#eeeeee", 1.0
			if m == 1 {
				stroke = "#cccccc"
				fmt.Fprintf(b, `<text x="%d" y="%.1f" font-size="12" text-anchor="end" dominant-baseline="middle">%s</text>`+"\n",
					marginL-6, y, esc(decadeLabel(dec)))
			}
			fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="%g"/>`+"\n",
				marginL, marginL+plotW, y, y, stroke, width)
		}
	}
}

func (p panel) drawXGrid(b *strings.Builder, s scale) {
	for _, size := range p.sizes {
		x := s.x(size)
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#dddddd"/>`+"\n", x, x, marginT, marginT+plotH)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" font-size="12" text-anchor="middle">%s</text>`+"\n",
			x, marginT+plotH+18, esc(bysize.Label(size)))
	}
}

// decadeLabel writes 10^dec as 1, 10, 100, 1k … 100M, or 10^dec beyond.
func decadeLabel(dec float64) string {
	labels := map[float64]string{-2: "0.01", -1: "0.1", 0: "1", 1: "10", 2: "100", 3: "1k", 4: "10k",
		5: "100k", 6: "1M", 7: "10M", 8: "100M", 9: "1G", 10: "10G"}
	if l, ok := labels[dec]; ok {
		return l
	}
	return fmt.Sprintf("1e%d", int(dec))
}

// drawSeries draws a line through the points of neighbouring sizes only
// (a size with no figure breaks the line: nothing is interpolated) and a
// marker on every point.
func (p panel) drawSeries(b *strings.Builder, s scale, sr series) {
	for _, run := range p.runs(sr.points) {
		if len(run) < 2 {
			continue
		}
		var pts []string
		for _, pt := range run {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", s.x(pt.size), s.y(pt.value)))
		}
		fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"><title>%s</title></polyline>`+"\n",
			sr.color, dashAttr(sr.dash), strings.Join(pts, " "), esc(sr.label))
	}
	for _, pt := range sr.points {
		marker(b, sr, s.x(pt.size), s.y(pt.value))
	}
}

// runs splits points into stretches of consecutive sizes of the x axis.
func (p panel) runs(points []point) [][]point {
	var out [][]point
	prev := -2
	for _, pt := range points {
		i := slices.Index(p.sizes, pt.size)
		if i != prev+1 || len(out) == 0 {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], pt)
		prev = i
	}
	return out
}

func marker(b *strings.Builder, sr series, x, y float64) {
	if sr.square {
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="9" height="9" fill="%s"><title>%s</title></rect>`+"\n",
			x-4.5, y-4.5, sr.color, esc(sr.label))
		return
	}
	fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`+"\n", x, y, sr.color)
}

func dashAttr(dash string) string {
	if dash == "" {
		return ""
	}
	return fmt.Sprintf(` stroke-dasharray="%s"`, dash)
}

func (p panel) drawLegend(b *strings.Builder) {
	x := marginL + plotW + 18
	for i, sr := range p.series {
		y := marginT + 12 + i*22
		fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"%s/>`+"\n",
			x, x+34, y, y, sr.color, dashAttr(sr.dash))
		marker(b, sr, float64(x+17), float64(y))
		fmt.Fprintf(b, `<text x="%d" y="%d" font-size="13" dominant-baseline="middle">%s</text>`+"\n", x+42, y, esc(sr.label))
	}
	for i, note := range p.missing {
		y := marginT + 12 + (len(p.series)+i)*22
		fmt.Fprintf(b, `<text x="%d" y="%d" font-size="13" font-style="italic" fill="#888" dominant-baseline="middle">%s</text>`+"\n",
			x, y, esc(note))
	}
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
