package bysize_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/troupe-go/troupe/bench/bysize"
)

func TestParseSizes(t *testing.T) {
	got, err := bysize.ParseSizes(bysize.DefaultSizes, 64<<20)
	if err != nil || !slices.Equal(got, bysize.CanonicalSizes()) {
		t.Errorf("ParseSizes(default) = %v, %v; want %v", got, err, bysize.CanonicalSizes())
	}
	if got, err := bysize.ParseSizes(" 2M, 8,32M,1K", 32<<20); err != nil || !slices.Equal(got, []int{2 << 20, 8, 32 << 20, 1 << 10}) {
		t.Errorf("ParseSizes(2M,8,32M,1K) = %v, %v", got, err)
	}
	for _, bad := range []string{"", "0", "-1", "x", "4q", "1,1", "1k,1024", "33M", "1,,8", "k"} {
		if _, err := bysize.ParseSizes(bad, 32<<20); !errors.Is(err, bysize.ErrBadSize) {
			t.Errorf("ParseSizes(%q) error = %v, want ErrBadSize", bad, err)
		}
	}
}

func TestLabel(t *testing.T) {
	for n, want := range map[int]string{1: "1 B", 1000: "1000 B", 4096: "4 kB", 5000: "5000 B", 2 << 20: "2 MB", 3 << 19: "1536 kB"} {
		if got := bysize.Label(n); got != want {
			t.Errorf("Label(%d) = %q, want %q", n, got, want)
		}
	}
}

// Bigger messages get fewer repetitions, never fewer than the minimum,
// and scale multiplies them.
func TestCountsShrinkWithSize(t *testing.T) {
	m := bysize.CostModel{PerMessage: 250 * time.Nanosecond, Bandwidth: 600e6, OneWay: 50 * time.Microsecond, LatencyBandwidth: 3e9}
	prevThr, prevLat := bysize.MaxCount+1, bysize.MaxCount+1
	for _, s := range bysize.CanonicalSizes() {
		thr, lat := m.ThroughputCount(s, 1), m.LatencyCount(s, 1)
		if thr > prevThr || lat > prevLat || thr < 2 || lat < 1 {
			t.Errorf("size %d: counts %d, %d after %d, %d", s, thr, lat, prevThr, prevLat)
		}
		prevThr, prevLat = thr, lat
		if half := m.ThroughputCount(s, 0.5); thr > 20 && (half < thr/2-1 || half > thr/2+1) {
			t.Errorf("size %d: scale 0.5 gives %d of %d", s, half, thr)
		}
	}
	if m.ThroughputCount(1, 1e-9) != 2 || m.LatencyCount(8<<20, 1e-9) != 1 || m.ThroughputCount(1, 1000) != bysize.MaxCount {
		t.Error("counts must stay within their minimum and MaxCount")
	}
	// 1 B at scale 1: 0.7 s / (250 ns + 1 B at 600 MB/s).
	if got := m.ThroughputCount(1, 1); got != 2_781_457 {
		t.Errorf("ThroughputCount(1, 1) = %d, want 2781457", got)
	}
}
