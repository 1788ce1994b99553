package zmtp

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"time"
)

// An encoder appends ZMTP 3 frames to a bufio.Writer without flushing.
type encoder struct {
	w         *bufio.Writer
	maxSize   int
	maxFrames int
}

// message validates frames against the limits, then appends them.
// Nothing is written when validation fails.
func (e *encoder) message(frames [][]byte) error {
	if len(frames) == 0 {
		return ErrEmptyMessage
	}
	if len(frames) > e.maxFrames {
		return fmt.Errorf("%w: %d frames, limit %d", ErrTooManyFrames, len(frames), e.maxFrames)
	}
	total := 0
	for _, f := range frames {
		total += len(f)
	}
	if total > e.maxSize {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrMessageTooLarge, total, e.maxSize)
	}
	last := len(frames) - 1
	for i, f := range frames {
		var flags byte
		if i < last {
			flags = flagMore
		}
		if err := e.frame(flags, f); err != nil {
			return err
		}
	}
	return nil
}

// frame appends one frame. A small frame that fits goes in with a single
// copy. A frame of at least the buffer size is not copied: the header and
// what was buffered before it are flushed, then bufio writes the body
// straight to the connection.
func (e *encoder) frame(flags byte, f []byte) error {
	if len(f) <= 255 && e.w.Available() >= len(f)+2 {
		b := e.w.AvailableBuffer()
		b = append(b, flags, byte(len(f)))
		b = append(b, f...)
		_, err := e.w.Write(b)
		return err
	}
	if err := e.header(flags, len(f)); err != nil {
		return err
	}
	if len(f) >= e.w.Size() {
		if err := e.w.Flush(); err != nil {
			return err
		}
	}
	_, err := e.w.Write(f)
	return err
}

func (e *encoder) header(flags byte, size int) error {
	if e.w.Available() < 9 {
		if err := e.w.Flush(); err != nil {
			return err
		}
	}
	b := e.w.AvailableBuffer() // room for 9 bytes: appending does not allocate
	if size > 255 {
		b = binary.BigEndian.AppendUint64(append(b, flags|flagLong), uint64(size))
	} else {
		b = append(b, flags, byte(size))
	}
	_, err := e.w.Write(b)
	return err
}

// command appends a command frame: name length, name, body.
func (e *encoder) command(name string, body []byte) error {
	if len(name) == 0 || len(name) > 255 || !isAlpha(name) {
		return fmt.Errorf("%w: name %q must be 1 to 255 ASCII letters", ErrBadCommand, name)
	}
	size := 1 + len(name) + len(body)
	if size > e.maxSize {
		return fmt.Errorf("%w: command of %d bytes, limit %d", ErrMessageTooLarge, size, e.maxSize)
	}
	if err := e.header(flagCommand, size); err != nil {
		return err
	}
	_ = e.w.WriteByte(byte(len(name)))
	_, _ = e.w.WriteString(name)
	_, err := e.w.Write(body) // bufio errors are sticky: this reports any earlier one
	return err
}

// ping appends a PING with a TTL (rounded down to tenths of a second,
// capped at 6553.5 s) and a context of at most 16 bytes.
func (e *encoder) ping(ttl time.Duration, ctx []byte) error {
	if len(ctx) > maxPingContext {
		return fmt.Errorf("%w: PING context is %d bytes, at most %d", ErrBadCommand, len(ctx), maxPingContext)
	}
	var body [2 + maxPingContext]byte
	ds := min(max(ttl/(100*time.Millisecond), 0), 0xFFFF)
	binary.BigEndian.PutUint16(body[:], uint16(ds))
	n := copy(body[2:], ctx)
	return e.command(CmdPing, body[:2+n])
}

// pong appends a PONG echoing ctx (at most 16 bytes).
func (e *encoder) pong(ctx []byte) error {
	if len(ctx) > maxPingContext {
		return fmt.Errorf("%w: PONG context is %d bytes, at most %d", ErrBadCommand, len(ctx), maxPingContext)
	}
	return e.command(CmdPong, ctx)
}
