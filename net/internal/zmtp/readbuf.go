package zmtp

import (
	"bufio"
	"io"
)

// How the decoder fills a Message's buffer. A message is read in place:
// its wire bytes, headers and bodies, lie in the buffer from m.from, and
// each read system call fills as much of the free room as is sensible, so
// that many small frames cost one call. Bytes read past the end of a
// message stay in the buffer (d.buf[d.r:d.w]) for the next one: in place
// if the next read goes into the same buffer, copied into the new buffer
// otherwise (after Detach, or into another Message). Reads stop at the end
// of a big frame being read and go at most readAhead past the frame
// otherwise, so what Detach makes the next read copy stays small next to
// the message.

// ownMin is the smallest frame that is read into a buffer of its own when
// it does not fit in the message's buffer after other frames: growing that
// buffer would copy them all (a batch of big envelopes would be copied
// again for each one, and a batch bigger than Retain regrown from scratch
// for the next message).
const ownMin = 16 << 10

// readAheadDiv bounds how far a read goes past the frame being read: a
// fraction of the message received so far (or readSize, if more), so
// that the bytes of the next message that Detach makes us copy are at most
// about that fraction of the message.
const readAheadDiv = 8

// takeReadAhead hands the bytes r has read past the handshake to the
// decoder: the first message read copies them into its buffer.
func (d *decoder) takeReadAhead(r *bufio.Reader) {
	b, _ := r.Peek(r.Buffered()) // cannot fail: the bytes are buffered
	d.buf, d.r, d.w = b[:len(b):len(b)], 0, len(b)
}

// minRead returns the smallest read worth a system call, which is also
// the smallest buffer a message is read into.
func (d *decoder) minRead() int {
	return min(cmp0(d.readSize, DefaultBufferSize), d.maxWire())
}

// maxWire returns the most bytes a message may take on the wire: the
// size limit plus the longest headers of one frame more than allowed (it
// is read before it is refused).
func (d *decoder) maxWire() int { return d.maxSize + 9*(d.maxFrames+1) }

func cmp0(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// adopt makes m's buffer the one the decoder reads into, with the bytes
// received past the last message carried into it unless they are already
// there. The message starts at them.
func (d *decoder) adopt(m *Message) {
	m.min = d.minRead()
	if sameArray(m.data, d.buf) {
		m.from = d.r
		return
	}
	pending := d.buf[d.r:d.w]
	buf := m.data[:cap(m.data)]
	if len(buf) < max(len(pending), 1) {
		buf = NewBuffer(max(len(pending), m.min))
	}
	copy(buf, pending)
	d.buf, d.r, d.w = buf, 0, len(pending)
	m.data, m.from = buf, 0
}

// sameArray reports whether a and b, both slices from the start of their
// arrays, share one.
func sameArray(a, b []byte) bool {
	return cap(a) > 0 && cap(b) > 0 && &a[:1][0] == &b[:1][0]
}

// peekHeader returns the next k bytes of a frame header (k is 2 or 9),
// without consuming them. They are read into the buffer, unless it is full
// of the message so far and would have to grow (copying it all) for them:
// then they are read apart, exactly, into d.hdr (a big frame after them
// goes into a buffer of its own).
func (d *decoder) peekHeader(m *Message, k int) ([]byte, error) {
	if d.nhdr == 0 && (d.w-d.r >= k || d.r-m.from+k <= cap(d.buf)) {
		if err := d.fill(m, k, k); err != nil {
			return nil, err
		}
		return d.buf[d.r : d.r+k], nil
	}
	if d.nhdr == 0 { // take what the buffer holds of the header
		d.nhdr = copy(d.hdr[:], d.buf[d.r:d.w])
		d.r = d.w
	}
	if d.nhdr < k {
		got, err := io.ReadFull(d.raw, d.hdr[d.nhdr:k])
		d.nhdr += got
		if err != nil {
			return nil, err
		}
	}
	return d.hdr[:k], nil
}

// skipHeader consumes the k header bytes peekHeader returned.
func (d *decoder) skipHeader(k int) {
	if d.nhdr > 0 {
		d.nhdr = 0
		return
	}
	d.r += k
}

// body makes the n bytes of a frame body at d.r available in the buffer,
// growing it at most growChunk ahead of the bytes received.
func (d *decoder) body(m *Message, n int) error {
	for d.w-d.r < n {
		k := min(n, d.w-d.r+growChunk)
		if err := d.fill(m, k, n); err != nil {
			return eofError(err, false)
		}
	}
	return nil
}

// fill reads until k bytes past d.r are in the buffer. n (at least k) is
// the size of what is being read from d.r: a read stops at its end when
// that is far, and goes a little past it otherwise (into the next frames).
func (d *decoder) fill(m *Message, k, n int) error {
	if d.w-d.r >= k {
		return nil
	}
	d.room(m, k, n)
	need, end := d.r+k, d.r+n
	lim := end
	if end-d.w < d.minRead() {
		lim = max(end, d.w+d.readAhead(m, n))
	}
	lim = max(min(lim, cap(d.buf)), need)
	got, err := io.ReadAtLeast(d.raw, d.buf[d.w:lim], need-d.w)
	d.w += got
	return err
}

// readAhead returns how far a read may go past the end of a frame of n
// bytes being read (or of a header, after a frame of d.last bytes): one
// read size after a big frame, and a fraction of the message so far (if
// more) after small ones, so that a stream of small frames is read in few
// calls while what Detach makes the next read copy stays small next to
// the message, and a big frame that goes into a buffer of its own is read
// mostly there.
func (d *decoder) readAhead(m *Message, n int) int {
	if max(n, d.last) >= d.minRead() {
		return d.minRead()
	}
	return max(d.minRead(), (d.w-m.from)/readAheadDiv)
}

// room makes the buffer hold at least k bytes past d.r: it moves the
// message (and what follows it) to the front of the buffer when that makes
// room, or when it frees more room than it moves and the room left is
// small; it moves them into a bigger buffer otherwise. n is the size of
// what is being read from d.r: the buffer grows at once to hold it if the
// peer has already sent frames that big (m.hint).
func (d *decoder) room(m *Message, k, n int) {
	need := d.r - m.from + k // from the start of the message
	fits := m.from+need <= cap(d.buf)
	if fits && (m.from == 0 || cap(d.buf)-d.w >= d.minRead() || d.w-m.from > m.from) {
		return
	}
	if need <= cap(d.buf) {
		d.move(m, d.buf)
		return
	}
	frameEnd := d.r - m.from + n
	newCap := min(max(2*cap(d.buf), min(m.hint, frameEnd)), d.maxWire())
	d.move(m, NewBuffer(max(need, newCap)))
}

// move copies the message and the bytes after it to the front of buf.
func (d *decoder) move(m *Message, buf []byte) {
	buf = buf[:cap(buf)]
	copy(buf, d.buf[m.from:d.w])
	d.r -= m.from
	d.w -= m.from
	d.buf, m.data, m.from = buf, buf, 0
}

// readOwn reads a frame body of n bytes into a buffer of its own: the
// bytes already received, then the rest straight from the connection,
// not a byte further. The buffer grows as in body.
func (d *decoder) readOwn(m *Message, n int) ([]byte, error) {
	have := min(d.w-d.r, n)
	f := NewBuffer(max(min(n, have+growChunk), min(m.hint, n)))[:have]
	copy(f, d.buf[d.r:d.r+have])
	d.r += have
	for len(f) < n {
		if len(f) == cap(f) {
			nf := NewBuffer(min(max(len(f)+growChunk, 2*cap(f)), n))[:len(f)]
			copy(nf, f)
			f = nf
		}
		got, err := io.ReadFull(d.raw, f[len(f):cap(f)])
		f = f[:len(f)+got]
		if err != nil {
			return nil, eofError(err, false)
		}
	}
	return f[:n:n], nil
}
