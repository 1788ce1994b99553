package zmtp

import (
	"io"
	stdnet "net"
)

// A writer buffers what a Conn writes, as bufio.Writer does, except that
// a big piece can be queued by reference instead of copied: a flush then
// hands the buffered bytes and the referenced pieces to the connection
// together, in one writev system call (net.Buffers) for a TCP or Unix
// connection. A big message body thus goes from the caller's slice to the
// socket without being copied twice (into an envelope buffer, then into
// bufio's buffer) on the way.
//
// Errors are sticky: after a failed write, every call returns the error.
type writer struct {
	raw  io.Writer
	buf  []byte         // copied bytes waiting to be written; never grows past its capacity
	refs []ref          // pieces waiting by reference, in order
	size int            // bytes waiting, in buf and refs
	iov  [][]byte       // backing array of bufs, reused
	bufs stdnet.Buffers // what a flush hands to writev; WriteTo consumes it
	err  error
}

// A ref is a piece queued by reference: it goes after buf[:at].
type ref struct {
	at int
	b  []byte
}

func newWriter(raw io.Writer, size int) *writer {
	return &writer{raw: raw, buf: make([]byte, 0, size)}
}

// Buffered returns the number of bytes waiting to be written.
func (w *writer) Buffered() int { return w.size }

// Size returns the capacity of the copy buffer.
func (w *writer) Size() int { return cap(w.buf) }

// Available returns how many bytes can be copied in without a flush.
func (w *writer) Available() int { return cap(w.buf) - len(w.buf) }

// Write copies p in, flushing first if it does not fit; a p at least as
// big as the buffer is written through at once, with what waits, and not
// retained.
func (w *writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if len(p) >= cap(w.buf) {
		w.refs = append(w.refs, ref{at: len(w.buf), b: p})
		w.size += len(p)
		return len(p), w.Flush()
	}
	if len(p) > w.Available() {
		if err := w.Flush(); err != nil {
			return 0, err
		}
	}
	w.buf = append(w.buf, p...)
	w.size += len(p)
	return len(p), nil
}

// reserve makes room for n (at most the buffer size) bytes to be copied
// in, flushing if needed, and returns the buffer to append them to.
func (w *writer) reserve(n int) ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if n > w.Available() {
		if err := w.Flush(); err != nil {
			return nil, err
		}
	}
	return w.buf, nil
}

// commit records b, returned by reserve and appended to, as the buffer.
func (w *writer) commit(b []byte) {
	w.size += len(b) - len(w.buf)
	w.buf = b
}

// queue queues p by reference: it is written by the next flush, and must
// not change until then.
func (w *writer) queue(p []byte) {
	if w.err == nil && len(p) > 0 {
		w.refs = append(w.refs, ref{at: len(w.buf), b: p})
		w.size += len(p)
	}
}

// refFlush is how many bytes may wait, counting the pieces queued by
// reference, before flushFull writes them: pieces do not pile up without
// bound, and a stream of big bodies still goes in few system calls (1 MiB
// rather than the 64 KiB copy buffer: +10–25 % msgs/s at 4–128 kB).
const refFlush = 1 << 20

// flushFull flushes if what waits, by copy or by reference, reaches
// refFlush bytes (or the copy buffer's size, if bigger).
func (w *writer) flushFull() error {
	if w.size >= max(refFlush, cap(w.buf)) {
		return w.Flush()
	}
	return w.err
}

// Flush writes everything waiting: the buffer alone with write, the
// buffer and the queued pieces in order with writev.
func (w *writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if w.size == 0 {
		return nil
	}
	if len(w.refs) == 0 {
		_, w.err = w.raw.Write(w.buf)
	} else {
		_, w.err = w.gather().WriteTo(w.raw)
		clear(w.iov) // let the collector have the pieces
		clear(w.refs)
		w.iov, w.refs = w.iov[:0], w.refs[:0]
	}
	w.buf, w.size = w.buf[:0], 0
	return w.err
}

// gather lists the buffered bytes and queued pieces in order, in
// w.bufs, and returns it for WriteTo to consume.
func (w *writer) gather() *stdnet.Buffers {
	v, start := w.iov[:0], 0
	for _, r := range w.refs {
		if r.at > start {
			v = append(v, w.buf[start:r.at])
			start = r.at
		}
		v = append(v, r.b)
	}
	if start < len(w.buf) {
		v = append(v, w.buf[start:])
	}
	w.iov, w.bufs = v, v
	return &w.bufs
}
