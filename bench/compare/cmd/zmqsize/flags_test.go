package main

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/troupe-go/troupe/bench/compare/cmd/sizetable/result"
)

func TestParseSizes(t *testing.T) {
	got, err := parseSizes(defaultSizes)
	want := []int{1, 8, 64, 512, 4096, 32768, 131072, 524288, 2097152, 8388608}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("parseSizes(default) = %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{"", "0", "-1", "x", "4q", "1,1", "65M", "1,,8", "k"} {
		if _, err := parseSizes(bad); !errors.Is(err, ErrBadSize) {
			t.Errorf("parseSizes(%q) error = %v, want ErrBadSize", bad, err)
		}
	}
}

func TestSizeLabel(t *testing.T) {
	for n, want := range map[int]string{1: "1 B", 1000: "1000 B", 4096: "4 kB", 5000: "5000 B", 2 << 20: "2 MB"} {
		if got := sizeLabel(n); got != want {
			t.Errorf("sizeLabel(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestCountsShrinkWithSize: bigger messages get fewer repetitions, never
// fewer than the minimum, and scale multiplies them.
func TestCountsShrinkWithSize(t *testing.T) {
	sizes, _ := parseSizes(defaultSizes)
	prevThr, prevLat := maxCount+1, maxCount+1
	for _, s := range sizes {
		thr, lat := throughputCount(s, 1), latencyCount(s, 1)
		if thr > prevThr || lat > prevLat || thr < 2 || lat < 1 {
			t.Errorf("size %d: counts %d, %d after %d, %d", s, thr, lat, prevThr, prevLat)
		}
		prevThr, prevLat = thr, lat
		if half := throughputCount(s, 0.5); thr > 20 && (half < thr/2-1 || half > thr/2+1) {
			t.Errorf("size %d: scale 0.5 gives %d of %d", s, half, thr)
		}
	}
	if throughputCount(1, 1e-9) != 2 || latencyCount(8<<20, 1e-9) != 1 {
		t.Error("tiny scales must keep the minimum counts")
	}
}

func TestParseFlags(t *testing.T) {
	c, out, app, err := parseFlags([]string{"-sizes", "8,2M", "-transport", "ipc", "-kind", "latency", "-o", "x.jsonl", "-append"}, &bytes.Buffer{})
	if err != nil || !slices.Equal(c.sizes, []int{8, 2 << 20}) || !slices.Equal(c.transports, []string{"ipc"}) ||
		!slices.Equal(c.kinds, []result.Kind{result.Latency}) || out != "x.jsonl" || !app {
		t.Errorf("parseFlags = %+v, %q, %v, %v", c, out, app, err)
	}
	bad := []struct {
		args []string
		want error
	}{
		{[]string{"-transport", "udp"}, ErrBadTransport},
		{[]string{"-scale", "0"}, ErrBadFlag},
		{[]string{"-timeout", "-1s"}, ErrBadFlag},
		{[]string{"-kind", "speed"}, ErrBadFlag},
		{[]string{"extra"}, ErrBadFlag},
		{[]string{"-sizes", "8,8"}, ErrBadSize},
	}
	for _, b := range bad {
		if _, _, _, err := parseFlags(b.args, &bytes.Buffer{}); !errors.Is(err, b.want) {
			t.Errorf("parseFlags(%q) error = %v, want %v", b.args, err, b.want)
		}
	}
}

func TestParsePeerRejectsBadArguments(t *testing.T) {
	ok := []string{"-role", "push", "-endpoint", "tcp://127.0.0.1:1", "-size", "8", "-count", "1", "-deadline", "2030-01-01T00:00:00Z"}
	if _, err := parsePeer(ok, &bytes.Buffer{}); err != nil {
		t.Fatalf("parsePeer(valid) = %v", err)
	}
	withRole := slices.Clone(ok)
	withRole[1] = "pull"
	if _, err := parsePeer(withRole, &bytes.Buffer{}); !errors.Is(err, ErrBadRole) {
		t.Errorf("role pull: %v, want ErrBadRole", err)
	}
	noDeadline := ok[:len(ok)-2]
	if _, err := parsePeer(noDeadline, &bytes.Buffer{}); err == nil {
		t.Error("missing -deadline accepted")
	}
}
