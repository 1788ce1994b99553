package bysize

import (
	"errors"
	"fmt"
	"math"
)

// Kind names what a Record measured.
type Kind string

// The kinds of measurement.
const (
	// Throughput is a one-way stream: messages per second and Mbit/s.
	Throughput Kind = "throughput"
	// Latency is one-way latency from request/reply round trips halved.
	Latency Kind = "latency"
)

// AnyTransport marks a reference figure whose transport is unknown; such
// records belong to every transport's table.
const AnyTransport = "*"

// ErrInvalid is wrapped by every validation error of a Record.
var ErrInvalid = errors.New("bysize: invalid record")

// A Record is one measurement: one implementation, transport, kind and
// message size. Its JSON form is one line of a results file.
type Record struct {
	Implementation string  `json:"implementation"`
	Transport      string  `json:"transport"`
	Kind           Kind    `json:"kind"`
	Size           int     `json:"size"`
	Count          int     `json:"count,omitempty"`
	MsgsPerSec     float64 `json:"msgs_per_sec,omitempty"`
	MbitPerSec     float64 `json:"mbit_per_sec,omitempty"`
	LatencyUS      float64 `json:"latency_us,omitempty"`
	ElapsedS       float64 `json:"elapsed_s,omitempty"`
	Detail         string  `json:"detail,omitempty"`
	Time           string  `json:"time,omitempty"`
}

// Mbit returns the Mbit/s that msgsPerSec messages of size bytes carry,
// counting message bodies only, as libzmq's local_thr does.
func Mbit(msgsPerSec float64, size int) float64 {
	return msgsPerSec * float64(size) * 8 / 1e6
}

// Validate reports the first thing wrong with r, wrapping ErrInvalid.
func (r Record) Validate() error {
	switch {
	case r.Implementation == "":
		return fmt.Errorf("%w: implementation is empty", ErrInvalid)
	case r.Transport == "":
		return fmt.Errorf("%w: transport is empty", ErrInvalid)
	case r.Size < 1:
		return fmt.Errorf("%w: size %d is below 1 byte", ErrInvalid, r.Size)
	case r.Count < 0:
		return fmt.Errorf("%w: count %d is negative", ErrInvalid, r.Count)
	}
	switch r.Kind {
	case Throughput:
		if !positive(r.MsgsPerSec) || !positive(r.MbitPerSec) {
			return fmt.Errorf("%w: throughput needs msgs_per_sec and mbit_per_sec > 0, got %g and %g",
				ErrInvalid, r.MsgsPerSec, r.MbitPerSec)
		}
	case Latency:
		if !positive(r.LatencyUS) {
			return fmt.Errorf("%w: latency needs latency_us > 0, got %g", ErrInvalid, r.LatencyUS)
		}
	default:
		return fmt.Errorf("%w: kind %q is neither %q nor %q", ErrInvalid, r.Kind, Throughput, Latency)
	}
	return nil
}

func positive(f float64) bool {
	return f > 0 && !math.IsInf(f, 0) && !math.IsNaN(f)
}
