package supervisor

import (
	"math"
	"time"
)

// A Backoff delays restarts that follow one another, so a child that keeps
// failing is restarted less and less often instead of in a tight loop. The
// delay is a timer owned by the supervisor: the failing child does not
// sleep, and the supervisor keeps serving its other children meanwhile.
//
// The n-th restart of a child in a row (counted since the child last ran
// for a whole Period without exiting) waits Initial × Multiplier^(n-1),
// at most Max. The zero Backoff restarts at once.
type Backoff struct {
	// Initial is the delay before the first restart in a row.
	Initial time.Duration
	// Max caps the delay; zero means no cap.
	Max time.Duration
	// Multiplier grows the delay from one restart to the next; zero means
	// 1 (a constant delay). Otherwise it must be at least 1.
	Multiplier float64
}

// IsZero reports whether b restarts at once.
func (b Backoff) IsZero() bool { return b.Initial == 0 }

// Delay returns the delay before the n-th restart in a row (n ≥ 1).
func (b Backoff) Delay(n int) time.Duration {
	if b.Initial <= 0 || n < 1 {
		return 0
	}
	m := b.Multiplier
	if m == 0 {
		m = 1
	}
	limit := float64(math.MaxInt64)
	if b.Max > 0 {
		limit = float64(b.Max)
	}
	d := float64(b.Initial)
	for i := 1; i < n && d < limit; i++ {
		d *= m
	}
	if d >= limit {
		if b.Max > 0 {
			return b.Max
		}
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(d)
}
