package bench

import "sync/atomic"

// A countdown closes its done channel once it has been counted n times:
// the actors or goroutines of a run count what they handled, and the run
// waits on done. Its count is an atomic because they count from many
// goroutines at once, and an atomic is the cheapest correct counter.
type countdown struct {
	n     int64
	count atomic.Int64
	done  chan struct{} // closed by the n-th add
}

func newCountdown(n int) *countdown {
	return &countdown{n: int64(n), done: make(chan struct{})}
}

// add counts one; the n-th closes done, and those beyond it only count.
// Safe for concurrent use.
func (c *countdown) add() {
	if c.count.Add(1) == c.n {
		close(c.done)
	}
}

// counted is how many have been counted so far.
func (c *countdown) counted() int { return int(c.count.Load()) }
