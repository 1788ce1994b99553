package main

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/troupe-go/troupe/bench/bysize"
)

func TestParseFlags(t *testing.T) {
	c, out, app, err := parseFlags([]string{"-sizes", "8,2M", "-transport", "ipc", "-kind", "latency", "-o", "x.jsonl", "-append"}, &bytes.Buffer{})
	if err != nil || !slices.Equal(c.sizes, []int{8, 2 << 20}) || !slices.Equal(c.transports, []string{"ipc"}) ||
		!slices.Equal(c.kinds, []bysize.Kind{bysize.Latency}) || out != "x.jsonl" || !app {
		t.Errorf("parseFlags = %+v, %q, %v, %v", c, out, app, err)
	}
	if c, _, _, err := parseFlags([]string{"-sizes", "64M"}, &bytes.Buffer{}); err != nil || !slices.Equal(c.sizes, []int{64 << 20}) {
		t.Errorf("-sizes 64M (the largest): %v, %v", c.sizes, err)
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
		{[]string{"-sizes", "8,8"}, bysize.ErrBadSize},
		{[]string{"-sizes", "65M"}, bysize.ErrBadSize},
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
