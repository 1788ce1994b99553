package bysize_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/troupe-go/troupe/bench/bysize"
)

func TestWriteReadRoundTrip(t *testing.T) {
	in := []bysize.Record{
		{Implementation: "libzmq", Transport: "tcp", Kind: bysize.Throughput, Size: 8, Count: 10, MsgsPerSec: 1e6, MbitPerSec: 64, Detail: "x"},
		{Implementation: "troupe", Transport: "ipc", Kind: bysize.Latency, Size: 2 << 20, Count: 5, LatencyUS: 654.5},
	}
	var buf bytes.Buffer
	for _, r := range in {
		if err := bysize.Write(&buf, r); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(buf.String(), "\n"); n != 2 {
		t.Fatalf("%d lines, want 2:\n%s", n, buf.String())
	}
	out, err := bysize.Read(&buf, "buf")
	if err != nil || len(out) != 2 || out[0] != in[0] || out[1] != in[1] {
		t.Errorf("Read = %+v, %v; want %+v", out, err, in)
	}
}

func TestReadComputesMbit(t *testing.T) {
	line := `{"implementation":"x","transport":"tcp","kind":"throughput","size":512,"msgs_per_sec":855000}`
	recs, err := bysize.Read(strings.NewReader(line), "line")
	if err != nil || len(recs) != 1 || recs[0].MbitPerSec != 3502.08 {
		t.Errorf("Read = %+v, %v; want 3502.08 Mbit/s", recs, err)
	}
}

func TestValidate(t *testing.T) {
	good := bysize.Record{Implementation: "x", Transport: "tcp", Kind: bysize.Latency, Size: 1, LatencyUS: 1}
	bad := map[string]func(*bysize.Record){
		"no implementation": func(r *bysize.Record) { r.Implementation = "" },
		"no transport":      func(r *bysize.Record) { r.Transport = "" },
		"size 0":            func(r *bysize.Record) { r.Size = 0 },
		"negative count":    func(r *bysize.Record) { r.Count = -1 },
		"unknown kind":      func(r *bysize.Record) { r.Kind = "speed" },
		"no latency":        func(r *bysize.Record) { r.LatencyUS = 0 },
		"throughput no msg": func(r *bysize.Record) { r.Kind = bysize.Throughput },
	}
	if err := good.Validate(); err != nil {
		t.Fatalf("good record: %v", err)
	}
	for name, spoil := range bad {
		r := good
		spoil(&r)
		if err := r.Validate(); !errors.Is(err, bysize.ErrInvalid) {
			t.Errorf("%s: Validate = %v, want ErrInvalid", name, err)
		}
		if err := bysize.Write(&bytes.Buffer{}, r); !errors.Is(err, bysize.ErrInvalid) {
			t.Errorf("%s: Write = %v, want ErrInvalid", name, err)
		}
	}
}
