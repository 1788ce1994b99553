package zmtp

import (
	"bufio"
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

// growChunk is the most a frame buffer grows ahead of the bytes actually
// received, so that a peer announcing a huge frame and sending little
// cannot make us allocate the announced size.
const growChunk = 1 << 20

// directMin is the smallest remainder of a frame body that is read
// straight from the connection into its buffer once the bufio.Reader
// holds no more of it, instead of through the reader's buffer (one copy
// less). bufio.Reader does that by itself only for reads at least as big
// as its buffer.
const directMin = 8 << 10

// A decoder reads ZMTP 3 messages from a bufio.Reader, enforcing the
// limits from each frame header before allocating.
type decoder struct {
	r         *bufio.Reader
	raw       io.Reader // what r reads from (nil: always read through r)
	maxSize   int
	maxFrames int
	log       *slog.Logger
	unknown   atomic.Uint64 // unknown commands skipped; read by Stats from any goroutine
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
	for i := 0; ; i++ {
		flags, size, err := d.header(i == 0)
		if err != nil {
			return false, err
		}
		if err := d.check(i, flags); err != nil {
			return false, err
		}
		if err := d.frame(m, size); err != nil {
			return false, err
		}
		if flags&flagCommand != 0 {
			return d.command(m)
		}
		if flags&flagMore == 0 {
			m.frames()
			return true, nil
		}
	}
}

// header reads a frame header and returns its flags and body size.
func (d *decoder) header(first bool) (flags byte, size uint64, err error) {
	b, err := d.r.Peek(2)
	if err != nil {
		return 0, 0, eofError(err, first && len(b) == 0)
	}
	flags = b[0]
	if flags&flagReserved != 0 {
		return 0, 0, fmt.Errorf("%w: reserved flag bits set (flags %#02x)", ErrMalformed, flags)
	}
	if flags&flagLong == 0 {
		size = uint64(b[1])
		_, _ = d.r.Discard(2) // cannot fail: the bytes are buffered
		return flags, size, nil
	}
	if b, err = d.r.Peek(9); err != nil {
		return 0, 0, eofError(err, false)
	}
	size = binary.BigEndian.Uint64(b[1:9])
	if size > math.MaxInt64 {
		return 0, 0, fmt.Errorf("%w: long frame length %#x has its high bit set", ErrMalformed, size)
	}
	_, _ = d.r.Discard(9)
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

// frame reads a frame body of size bytes into m: into its buffer, or
// into one of its own if it is big and would make that buffer grow.
func (d *decoder) frame(m *Message, size uint64) error {
	if size > uint64(d.maxSize-m.size) {
		return fmt.Errorf("%w: a frame of %d bytes after %d bytes breaks the limit of %d bytes",
			ErrMessageTooLarge, size, m.size, d.maxSize)
	}
	n := int(size)
	if len(m.data) > 0 && n >= ownMin && cap(m.data)-len(m.data) < n {
		f, err := d.readBody(nil, n, m.hint)
		if err != nil {
			return err
		}
		m.own = append(m.own, f[:n:n])
		m.ends = append(m.ends, -1)
	} else {
		var err error
		if m.data, err = d.readBody(m.data, n, m.hint); err != nil {
			return err
		}
		m.ends = append(m.ends, len(m.data))
	}
	m.size += n
	m.hint = max(m.hint, n)
	return nil
}

// readBody appends n bytes from the stream to buf. The buffer grows at
// most growChunk (or doubles) ahead of the received bytes, or at once by
// up to hint (the largest frame the peer has really sent), never past the
// message size limit (the caller checks that n keeps to it).
func (d *decoder) readBody(buf []byte, n, hint int) ([]byte, error) {
	for n > 0 {
		need := min(n, growChunk)
		if cap(buf)-len(buf) < need {
			newCap := min(max(len(buf)+need, 2*cap(buf), min(hint, len(buf)+n)), d.maxSize)
			nb := make([]byte, len(buf), newCap)
			copy(nb, buf)
			buf = nb
		}
		step := min(n, cap(buf)-len(buf))
		start := len(buf)
		buf = buf[:start+step]
		if err := d.readFull(buf[start:]); err != nil {
			return buf[:start], eofError(err, false)
		}
		n -= step
	}
	return buf, nil
}

// readFull fills p from the stream: first with what the bufio.Reader
// holds, then, for a big remainder, straight from the connection.
func (d *decoder) readFull(p []byte) error {
	if n := d.r.Buffered(); n > 0 && len(p)-n >= directMin && d.raw != nil {
		_, _ = d.r.Read(p[:n]) // cannot fail: the bytes are buffered
		p = p[n:]
	}
	var err error
	if d.raw != nil && d.r.Buffered() == 0 && len(p) >= directMin {
		_, err = io.ReadFull(d.raw, p)
	} else {
		_, err = io.ReadFull(d.r, p)
	}
	return err
}

// command parses the command frame in m.data; known is false (and the
// command counted) when its name is not one this package returns.
func (d *decoder) command(m *Message) (known bool, err error) {
	body := m.data
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
