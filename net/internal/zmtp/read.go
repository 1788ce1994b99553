package zmtp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"sync/atomic"
)

// ZMTP 3 frame flags (RFC 23).
const (
	flagMore     = 0x01
	flagLong     = 0x02
	flagCommand  = 0x04
	flagReserved = 0xF8
)

// growChunk is the most a read buffer grows ahead of the bytes actually
// received (or it doubles), so that a peer announcing a huge frame and
// sending little cannot make us allocate the announced size.
const growChunk = 1 << 20

// A decoder reads ZMTP 3 messages from a connection straight into the
// buffer of the Message it is given, and leaves the frames there: the
// frame bodies are slices of that buffer, between their headers (see
// readbuf.go for how the buffer is filled, moved and grown). Limits are
// enforced from each frame header before allocating.
type decoder struct {
	raw       io.Reader
	readSize  int // the smallest read worth a system call (0: DefaultBufferSize)
	maxSize   int
	maxFrames int
	log       *slog.Logger
	unknown   atomic.Uint64 // unknown commands skipped; read by Stats from any goroutine

	// buf[r:w] are the bytes received and not yet decoded. buf is the
	// buffer of the Message read into last (or what the handshake read
	// ahead); the next read carries those bytes over if it goes into
	// another buffer.
	buf  []byte
	r, w int

	// hdr holds a frame header read apart, when the buffer is full of
	// the message (see peekHeader); nhdr is how many bytes it holds.
	hdr  [9]byte
	nhdr int

	last int // size of the last frame read (see readAhead)
}

// readMessage reads the next data message or known command into m,
// skipping (and counting) unknown commands. It returns io.EOF when the
// stream ends cleanly between messages.
func (d *decoder) readMessage(m *Message) error {
	for {
		known, err := d.readOne(m)
		if err != nil || known {
			return err
		}
	}
}

// readOne reads one message or command; known is false for a command this
// package does not know.
func (d *decoder) readOne(m *Message) (known bool, err error) {
	m.reset()
	d.adopt(m)
	for i := 0; ; i++ {
		if more, ok := d.shortFrame(m, i); ok {
			if more {
				continue
			}
			m.to = d.r
			m.frames()
			return true, nil
		}
		flags, size, err := d.header(m, i == 0)
		if err != nil {
			return false, err
		}
		if err := d.check(i, flags); err != nil {
			return false, err
		}
		if err := d.frame(m, i, size); err != nil {
			return false, err
		}
		if flags&flagCommand != 0 {
			m.to = d.r
			return d.command(m)
		}
		if flags&flagMore == 0 {
			m.to = d.r
			m.frames()
			return true, nil
		}
	}
}

// shortFrame takes frame number i of a data message if it is a short
// one (a one-byte size) that lies whole in the buffer, within the limits:
// a stream of small messages goes this way. ok is false, and nothing is
// consumed, for anything else, which header, check and frame handle.
// more is the frame's MORE flag.
func (d *decoder) shortFrame(m *Message, i int) (more, ok bool) {
	if d.nhdr != 0 || d.w-d.r < 2 || i >= d.maxFrames {
		return false, false
	}
	flags, size := d.buf[d.r], int(d.buf[d.r+1])
	if flags&^flagMore != 0 || d.w-d.r-2 < size || size > d.maxSize-m.size {
		return false, false
	}
	d.r += 2
	m.spans = append(m.spans, span{d.r - m.from, d.r - m.from + size})
	d.r += size
	m.size += size
	m.hint = max(m.hint, size)
	d.last = size
	return flags&flagMore != 0, true
}

// header decodes a frame header and returns its flags and body size.
func (d *decoder) header(m *Message, first bool) (flags byte, size uint64, err error) {
	b, err := d.peekHeader(m, 2)
	if err != nil {
		return 0, 0, eofError(err, first && d.w == d.r)
	}
	flags = b[0]
	if flags&flagReserved != 0 {
		return 0, 0, fmt.Errorf("%w: reserved flag bits set (flags %#02x)", ErrMalformed, flags)
	}
	if flags&flagLong == 0 {
		d.skipHeader(2)
		return flags, uint64(b[1]), nil
	}
	if b, err = d.peekHeader(m, 9); err != nil {
		return 0, 0, eofError(err, false)
	}
	size = binary.BigEndian.Uint64(b[1:9])
	if size > math.MaxInt64 {
		return 0, 0, fmt.Errorf("%w: long frame length %#x has its high bit set", ErrMalformed, size)
	}
	d.skipHeader(9)
	return flags, size, nil
}

// check enforces the frame rules and limits for frame number i of the
// message being read, given its header.
func (d *decoder) check(i int, flags byte) error {
	if flags&flagCommand != 0 && (i > 0 || flags&flagMore != 0) {
		return fmt.Errorf("%w: command frame inside a multipart message or with MORE set", ErrMalformed)
	}
	if i >= d.maxFrames {
		return fmt.Errorf("%w: more than %d frames", ErrTooManyFrames, d.maxFrames)
	}
	return nil
}

// frame reads the body of frame number i, of size bytes: in place, in
// the message's buffer, or into a buffer of its own if it is big, not the
// first, and does not fit in the buffer after the frames before it
// (growing the buffer would copy them all).
func (d *decoder) frame(m *Message, i int, size uint64) error {
	if size > uint64(d.maxSize-m.size) {
		return fmt.Errorf("%w: a frame of %d bytes after %d bytes breaks the limit of %d bytes",
			ErrMessageTooLarge, size, m.size, d.maxSize)
	}
	n := int(size)
	if i > 0 && n >= ownMin && d.r-m.from+n > cap(d.buf) {
		f, err := d.readOwn(m, n)
		if err != nil {
			return err
		}
		m.own = append(m.own, f)
		m.spans = append(m.spans, span{-1, -1})
	} else {
		if err := d.body(m, n); err != nil {
			return err
		}
		m.spans = append(m.spans, span{d.r - m.from, d.r - m.from + n})
		d.r += n
	}
	m.size += n
	m.hint = max(m.hint, n)
	d.last = n
	return nil
}

// command parses the command frame in m.data; known is false (and the
// command counted) when its name is not one this package returns.
func (d *decoder) command(m *Message) (known bool, err error) {
	body := m.frame(0)
	if len(body) == 0 {
		return false, fmt.Errorf("%w: empty command frame", ErrMalformed)
	}
	n := int(body[0])
	if n == 0 || n > len(body)-1 {
		return false, fmt.Errorf("%w: command name length %d in a %d-byte frame", ErrMalformed, n, len(body))
	}
	name := body[1 : 1+n]
	if !isAlpha(name) {
		return false, fmt.Errorf("%w: command name %q is not ASCII letters", ErrMalformed, name)
	}
	m.Kind = KindCommand
	m.Command.Body = body[1+n : len(body) : len(body)]
	switch string(name) {
	case CmdPing:
		m.Command.Name = CmdPing
	case CmdPong:
		m.Command.Name = CmdPong
	case CmdSubscribe:
		m.Command.Name = CmdSubscribe
	case CmdCancel:
		m.Command.Name = CmdCancel
	default:
		d.unknown.Add(1)
		if d.log != nil && d.log.Enabled(context.Background(), slog.LevelDebug) {
			d.log.Debug("zmtp: ignoring unknown command", "name", string(name), "size", len(body))
		}
		return false, nil
	}
	return true, nil
}

func isAlpha[T string | []byte](b T) bool {
	for i := 0; i < len(b); i++ {
		if c := b[i]; (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// eofError turns io.EOF into io.ErrUnexpectedEOF unless the stream ended
// cleanly at a message boundary.
func eofError(err error, boundary bool) error {
	if errors.Is(err, io.EOF) && !boundary {
		return io.ErrUnexpectedEOF
	}
	return err
}
