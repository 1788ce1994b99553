package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// The kinds of by-size measurement, as in the sizetable result format.
const (
	kindThroughput = "throughput"
	kindLatency    = "latency"
)

// ErrInvalidRecord is wrapped by the errors of a record that the sizetable
// command would refuse.
var ErrInvalidRecord = errors.New("remote: invalid result record")

// A record is one by-size measurement, written as one JSON line in the
// format of bench/compare/cmd/sizetable/result (that module is separate,
// so the format is repeated here rather than imported; the JSON is the
// whole contract).
type record struct {
	Implementation string  `json:"implementation"`
	Transport      string  `json:"transport"`
	Kind           string  `json:"kind"`
	Size           int     `json:"size"`
	Count          int     `json:"count,omitempty"`
	MsgsPerSec     float64 `json:"msgs_per_sec,omitempty"`
	MbitPerSec     float64 `json:"mbit_per_sec,omitempty"`
	LatencyUS      float64 `json:"latency_us,omitempty"`
	ElapsedS       float64 `json:"elapsed_s,omitempty"`
	Detail         string  `json:"detail,omitempty"`
	Time           string  `json:"time,omitempty"`
}

// mbit returns the Mbit/s that msgsPerSec messages of size bytes carry,
// counting message bodies only, as libzmq's local_thr does.
func mbit(msgsPerSec float64, size int) float64 {
	return msgsPerSec * float64(size) * 8 / 1e6
}

// validate applies the sizetable's rules.
func (r record) validate() error {
	switch {
	case r.Implementation == "" || r.Transport == "":
		return fmt.Errorf("%w: implementation and transport are required", ErrInvalidRecord)
	case r.Size < 1 || r.Count < 0:
		return fmt.Errorf("%w: size %d, count %d", ErrInvalidRecord, r.Size, r.Count)
	case r.Kind == kindThroughput && (!positive(r.MsgsPerSec) || !positive(r.MbitPerSec)):
		return fmt.Errorf("%w: throughput %g msgs/s, %g Mbit/s", ErrInvalidRecord, r.MsgsPerSec, r.MbitPerSec)
	case r.Kind == kindLatency && !positive(r.LatencyUS):
		return fmt.Errorf("%w: latency %g µs", ErrInvalidRecord, r.LatencyUS)
	case r.Kind != kindThroughput && r.Kind != kindLatency:
		return fmt.Errorf("%w: kind %q", ErrInvalidRecord, r.Kind)
	}
	return nil
}

func positive(f float64) bool {
	return f > 0 && !math.IsInf(f, 0) && !math.IsNaN(f)
}

// writeRecord validates r and writes it to w as one JSON line.
func writeRecord(w io.Writer, r record) error {
	if err := r.validate(); err != nil {
		return err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write result: %w", err)
	}
	return nil
}
