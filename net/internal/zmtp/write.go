package zmtp

import (
	"encoding/binary"
	"fmt"
	"time"
)

// refMin is the smallest Frame.Body that WriteFrames queues by
// reference instead of copying into the write buffer.
const refMin = 1 << 10

// A Frame is one frame of a message for WriteFrames, sent as its three
// pieces one after another: Head, Body, Tail. Head and Tail are copied;
// a Body of 1 KiB or more is not: it is written straight from the
// caller's slice at the next flush, so it must not change until then.
type Frame struct {
	Head, Body, Tail []byte
}

// Len returns the frame's size on the wire, without its header.
func (f *Frame) Len() int { return len(f.Head) + len(f.Body) + len(f.Tail) }

// An encoder appends ZMTP 3 frames to a writer without flushing (unless
// the buffer fills up).
type encoder struct {
	w         *writer
	maxSize   int
	maxFrames int
}

// message validates frames against the limits, then appends them; none
// is retained. Nothing is written when validation fails.
func (e *encoder) message(frames [][]byte) error {
	total := 0
	for _, f := range frames {
		total += len(f)
	}
	if err := e.check(len(frames), total); err != nil {
		return err
	}
	last := len(frames) - 1
	for i, f := range frames {
		if err := e.frame(more(i < last), &Frame{Body: f}, false); err != nil {
			return err
		}
	}
	return nil
}

// frames is message for frames in pieces, whose big bodies are queued by
// reference.
func (e *encoder) frames(frames []Frame) error {
	total := 0
	for i := range frames {
		total += frames[i].Len()
	}
	if err := e.check(len(frames), total); err != nil {
		return err
	}
	last := len(frames) - 1
	for i := range frames {
		if err := e.frame(more(i < last), &frames[i], true); err != nil {
			return err
		}
	}
	return nil
}

// check enforces the limits on a message of n frames and total bytes.
func (e *encoder) check(n, total int) error {
	switch {
	case n == 0:
		return ErrEmptyMessage
	case n > e.maxFrames:
		return fmt.Errorf("%w: %d frames, limit %d", ErrTooManyFrames, n, e.maxFrames)
	case total > e.maxSize:
		return fmt.Errorf("%w: %d bytes, limit %d", ErrMessageTooLarge, total, e.maxSize)
	}
	return nil
}

func more(b bool) byte {
	if b {
		return flagMore
	}
	return 0
}

// frame appends one frame. A small frame that fits goes in with a single
// copy. Otherwise the header goes in, then the pieces: a big Body by
// reference if byRef, any piece of at least the buffer size written
// through at once with what was buffered before it, the rest copied. A
// frame that leaves as much waiting as the buffer holds is flushed.
func (e *encoder) frame(flags byte, f *Frame, byRef bool) error {
	n := f.Len()
	if n <= 255 && e.w.Available() >= n+2 && e.w.err == nil {
		b := append(e.w.buf, flags, byte(n))
		b = append(append(append(b, f.Head...), f.Body...), f.Tail...)
		e.w.commit(b)
		return nil
	}
	if err := e.header(flags, n); err != nil {
		return err
	}
	if _, err := e.w.Write(f.Head); err != nil {
		return err
	}
	if byRef && len(f.Body) >= refMin {
		e.w.queue(f.Body)
	} else if _, err := e.w.Write(f.Body); err != nil {
		return err
	}
	if _, err := e.w.Write(f.Tail); err != nil {
		return err
	}
	return e.w.flushFull()
}

func (e *encoder) header(flags byte, size int) error {
	b, err := e.w.reserve(9)
	if err != nil {
		return err
	}
	if size > 255 {
		b = binary.BigEndian.AppendUint64(append(b, flags|flagLong), uint64(size))
	} else {
		b = append(b, flags, byte(size))
	}
	e.w.commit(b)
	return nil
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
	b, err := e.w.reserve(1 + len(name))
	if err != nil {
		return err
	}
	e.w.commit(append(append(b, byte(len(name))), name...))
	_, err = e.w.Write(body)
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
