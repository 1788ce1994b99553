package net

import "github.com/troupe-go/troupe/actor"

// A record is what a link keeps of a SEND it wrote until the peer
// acknowledges it: enough to dead-letter it if the connection breaks.
type record struct {
	to, from actor.Ref
	msg      any
	size     int
}

// A ring is a FIFO of records that grows as needed; the unacknowledged
// SENDs of a link connection, numbered implicitly from the oldest. It
// belongs to the link's goroutine.
type ring struct {
	buf  []record
	head int
	n    int
}

func (r *ring) len() int { return r.n }

func (r *ring) push(x record) {
	if r.n == len(r.buf) {
		r.grow()
	}
	r.buf[(r.head+r.n)%len(r.buf)] = x
	r.n++
}

func (r *ring) grow() {
	next := make([]record, max(64, 2*len(r.buf)))
	for i := range r.n {
		next[i] = r.buf[(r.head+i)%len(r.buf)]
	}
	r.buf, r.head = next, 0
}

// pop removes and returns the oldest record; the ring must not be empty.
func (r *ring) pop() record {
	x := r.buf[r.head]
	r.buf[r.head] = record{} // let the message go
	r.head = (r.head + 1) % len(r.buf)
	r.n--
	return x
}

// drain removes every record, oldest first, calling f with each.
func (r *ring) drain(f func(record)) {
	for r.n > 0 {
		f(r.pop())
	}
}
