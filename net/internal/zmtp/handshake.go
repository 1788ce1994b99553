package zmtp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	stdnet "net"
	"time"

	"github.com/go-zeromq/zmq4"
)

// greetingSize is the size of the ZMTP 3 greeting.
const greetingSize = 64

// maxHandshakeFrame bounds each frame read during the handshake; HELLO,
// READY and INITIATE are far smaller.
const maxHandshakeFrame = 64 << 10

// handshake runs the ZMTP greeting and security handshake on raw through
// zmq4.Open and returns the ready Conn. It is bounded by ctx and by the
// handshake timeout; raw is not closed on failure.
func handshake(ctx context.Context, raw stdnet.Conn, cfg *config, server bool) (*Conn, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, cfg.handshakeTTL,
		fmt.Errorf("handshake timeout %v: %w", cfg.handshakeTTL, context.DeadlineExceeded))
	defer cancel()
	stop := watchContext(ctx, raw)
	c := newConn(raw, cfg)
	r := bufio.NewReaderSize(raw, cfg.bufferSize)
	zc, err := open(&handshakeConn{Conn: raw, r: r, w: c.w}, cfg, server)
	if ctxErr := stop(); ctxErr != nil {
		err = ctxErr // a deadline cut the I/O: report why
	}
	if err != nil {
		return nil, fmt.Errorf("%w with %s: %w", ErrHandshake, raw.RemoteAddr(), err)
	}
	c.setPeer(zc.Peer.Meta)
	c.dec.takeReadAhead(r) // what the peer sent right after its READY
	return c, nil
}

// watchContext interrupts the I/O on raw when ctx ends (by setting a
// past deadline, so ctx.Err is set before the I/O fails). The returned
// stop waits for the interrupting callback if it ran, clears the deadline,
// and returns the context's cause if it ended.
func watchContext(ctx context.Context, raw stdnet.Conn) (stop func() error) {
	fired := make(chan struct{})
	stopFunc := context.AfterFunc(ctx, func() {
		_ = raw.SetDeadline(time.Unix(1, 0))
		close(fired)
	})
	return func() error {
		if !stopFunc() {
			<-fired
		}
		_ = raw.SetDeadline(time.Time{})
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return nil
	}
}

// open calls zmq4.Open with our mechanism, turning a panic inside zmq4
// (it has panicked on hostile input) into an error.
func open(rw stdnet.Conn, cfg *config, server bool) (zc *zmq4.Conn, err error) {
	defer func() {
		if r := recover(); r != nil {
			zc, err = nil, fmt.Errorf("%w: zmq4 panicked: %v", ErrMalformed, r)
		}
	}()
	return zmq4.Open(rw, mechanism(cfg), zmq4.SocketType(cfg.socketType),
		zmq4.SocketIdentity(cfg.identity), server, nil)
}

func mechanism(cfg *config) zmq4.Security {
	switch {
	case cfg.plainCheck != nil:
		return plainServer{ours: cfg.socketType, check: cfg.plainCheck}
	case cfg.plainClient:
		return plainClient{ours: cfg.socketType, user: cfg.plainUser, pass: cfg.plainPass}
	}
	return nullMechanism{ours: cfg.socketType}
}

// handshakeConn is the net.Conn handed to zmq4.Open. zmq4 reads with
// io.ReadFull straight from it (no read-ahead of its own, no goroutines),
// so reading through a bufio.Reader loses nothing: bytes the peer sent
// right after its READY stay buffered, and ReadMessage takes them over. Every
// write is flushed at once, or both sides would wait for each other's
// greeting. Reads are guarded: the greeting must start with 0xFF and no
// frame may exceed maxHandshakeFrame, checked from the header before zmq4
// sees the length (zmq4 allocates whatever length it is told).
type handshakeConn struct {
	stdnet.Conn
	r       *bufio.Reader
	w       *writer
	left    int    // bytes before the next frame header
	greeted bool   // the greeting has been checked
	fixed   []byte // a rewritten frame to serve before reading on
}

func (h *handshakeConn) Write(p []byte) (int, error) {
	n, err := h.w.Write(p)
	if err == nil {
		err = h.w.Flush()
	}
	return n, err
}

func (h *handshakeConn) Read(p []byte) (int, error) {
	if len(h.fixed) > 0 {
		n := copy(p, h.fixed)
		h.fixed = h.fixed[n:]
		return n, nil
	}
	if h.left == 0 {
		if err := h.next(); err != nil {
			return 0, err
		}
	}
	if len(p) > h.left {
		p = p[:h.left]
	}
	n, err := h.r.Read(p)
	h.left -= n
	return n, err
}

// next checks what comes next in the stream: the greeting, or a frame
// header, without consuming it.
func (h *handshakeConn) next() error {
	if !h.greeted {
		b, err := h.r.Peek(1)
		if err != nil {
			return err
		}
		if b[0] != 0xFF {
			return fmt.Errorf("%w: not a ZMTP greeting (first byte %#02x)", ErrMalformed, b[0])
		}
		h.greeted, h.left = true, greetingSize
		return nil
	}
	b, err := h.r.Peek(2)
	if err != nil {
		return eofError(err, false)
	}
	hdr, size := 2, uint64(b[1])
	if b[0]&flagLong != 0 {
		if b, err = h.r.Peek(9); err != nil {
			return eofError(err, false)
		}
		hdr, size = 9, binary.BigEndian.Uint64(b[1:9])
	}
	if size > maxHandshakeFrame {
		return fmt.Errorf("%w: handshake frame of %d bytes, limit %d", ErrMessageTooLarge, size, maxHandshakeFrame)
	}
	h.left = hdr + int(size)
	return h.fixLibzmqError(hdr, int(size))
}

// libzmqError is how libzmq 4.3 spells the ERROR command name: its source
// writes "\x5ERROR", which C reads as the byte 0x5E followed by "RROR".
// libzmq peers understand only this form from each other.
var libzmqError = []byte("\x5eRROR")

// fixLibzmqError rewrites libzmq 4.3's ERROR command into the RFC 23 form
// ("\x05ERROR") so that a PLAIN server refusing us gives a clear error.
func (h *handshakeConn) fixLibzmqError(hdr, size int) error {
	b, err := h.r.Peek(2)
	if err != nil || b[0]&flagCommand == 0 || hdr != 2 || size < len(libzmqError) || size == 255 {
		return nil // not a short command frame: nothing to fix
	}
	if b, err = h.r.Peek(hdr + size); err != nil || !bytes.Equal(b[2:2+len(libzmqError)], libzmqError) {
		return nil
	}
	h.fixed = append([]byte{flagCommand, byte(size + 1), 5, 'E'}, b[3:]...)
	_, _ = h.r.Discard(hdr + size)
	h.left = 0
	return nil
}
