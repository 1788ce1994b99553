package net

// A record is what a link keeps of a SEND it wrote until the peer
// acknowledges it: enough to dead-letter it if the connection breaks.
type record struct {
	route *sendRoute // to and from
	msg   any
	lent  *lentBuf // a received big body sent on (see recycle.go)
}

// A ring is a FIFO of records that grows as needed; the unacknowledged
// SENDs of a link connection, numbered implicitly from the oldest. It
// belongs to the link's goroutine.
//
// The sizes are kept apart from the records, and acknowledged records are
// released in bulk (release): an ACK for thousands of SENDs then reads a
// few cache lines of sizes and clears the records (32 bytes each, two to
// a cache line) with one or two memclrs, instead of copying each record
// out of a ring bigger than the cache.
type ring struct {
	buf   []record
	sizes []int // sizes[i] is the size of buf[i]'s SEND
	head  int
	n     int
	lent  int // records with a lentBuf
}

func (r *ring) len() int { return r.n }

// mask turns a position into an index: the capacity is a power of two.
func (r *ring) mask() int { return len(r.buf) - 1 }

func (r *ring) push(x record, size int) {
	if r.n == len(r.buf) {
		r.grow()
	}
	i := (r.head + r.n) & r.mask()
	r.buf[i], r.sizes[i] = x, size
	r.n++
	if x.lent != nil {
		r.lent++
	}
}

func (r *ring) grow() {
	size := max(64, 2*len(r.buf))
	buf, sizes := make([]record, size), make([]int, size)
	for i := range r.n {
		j := (r.head + i) & r.mask()
		buf[i], sizes[i] = r.buf[j], r.sizes[j]
	}
	r.buf, r.sizes, r.head = buf, sizes, 0
}

// release removes the k oldest records (k ≤ len) and returns the sum of
// their sizes; free is called with the lentBuf of each that has one.
func (r *ring) release(k int, free func(*lentBuf)) int {
	total := 0
	for k > 0 {
		run := min(k, len(r.buf)-r.head) // up to the end of buf, then wrap
		for _, s := range r.sizes[r.head : r.head+run] {
			total += s
		}
		if r.lent > 0 {
			r.freeLent(r.buf[r.head:r.head+run], free)
		}
		clear(r.buf[r.head : r.head+run]) // let the messages go
		r.head = (r.head + run) & r.mask()
		r.n -= run
		k -= run
	}
	return total
}

// freeLent calls free with the lentBufs of records.
func (r *ring) freeLent(records []record, free func(*lentBuf)) {
	for i := range records {
		if e := records[i].lent; e != nil {
			free(e)
			r.lent--
		}
	}
}

// pop removes and returns the oldest record; the ring must not be empty.
func (r *ring) pop() record {
	x := r.buf[r.head]
	if x.lent != nil {
		r.lent--
	}
	r.buf[r.head] = record{} // let the message go
	r.head = (r.head + 1) & r.mask()
	r.n--
	return x
}

// drain removes every record, oldest first, calling f with each.
func (r *ring) drain(f func(record)) {
	for r.n > 0 {
		f(r.pop())
	}
}
