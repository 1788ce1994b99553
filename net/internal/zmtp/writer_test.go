package zmtp

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// A recordWriter records what each Write call wrote (net.Buffers falls
// back to one Write per piece for a writer without writev).
type recordWriter struct {
	bytes.Buffer
	writes int
	err    error // returned by every Write when set
}

func (r *recordWriter) Write(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	r.writes++
	return r.Buffer.Write(p)
}

// TestWriteFramesWire checks that frames in pieces go out exactly as the
// same frames whole would, small and big bodies alike, across flushes
// triggered by the buffer filling up.
func TestWriteFramesWire(t *testing.T) {
	body := func(n int, c byte) []byte { return bytes.Repeat([]byte{c}, n) }
	msgs := [][]Frame{
		{{Head: []byte("h"), Body: []byte("small"), Tail: []byte("t")}},
		{{Head: []byte("head"), Body: body(refMin, 'a'), Tail: []byte("tail")}, {Body: []byte("x")}},
		{{Body: body(3*4096, 'b')}, {Head: body(300, 'h'), Tail: body(5000, 't')}, {}},
		{{Head: body(5000, 'H'), Body: body(70<<10, 'c')}},
	}
	var got recordWriter
	e := &encoder{w: newWriter(&got, 4096), maxSize: DefaultMaxMessageSize, maxFrames: DefaultMaxFrames}
	var want bytes.Buffer
	we := newTestEncoder(&want)
	for i, m := range msgs {
		if err := e.frames(m); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		whole := make([][]byte, len(m))
		for j, f := range m {
			whole[j] = bytes.Join([][]byte{f.Head, f.Body, f.Tail}, nil)
		}
		if err := we.message(whole); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := we.w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("WriteFrames wrote %d bytes that differ from the %d of WriteMessage", got.Len(), want.Len())
	}
	if e.w.Buffered() != 0 {
		t.Fatalf("%d bytes still buffered after Flush", e.w.Buffered())
	}
}

// TestWriteFramesByReference checks that a big Body is written from the
// caller's slice at the flush, not copied when WriteFrames is called,
// and that a small one is copied.
func TestWriteFramesByReference(t *testing.T) {
	var out recordWriter
	e := &encoder{w: newWriter(&out, 64<<10), maxSize: DefaultMaxMessageSize, maxFrames: DefaultMaxFrames}
	big, small := bytes.Repeat([]byte{'a'}, refMin), []byte("small")
	if err := e.frames([]Frame{{Body: big}, {Body: small}}); err != nil {
		t.Fatal(err)
	}
	if out.writes != 0 {
		t.Fatalf("%d writes before Flush, want none (what waits is under the buffer size)", out.writes)
	}
	big[0], small[0] = 'B', 'S'
	if err := e.w.Flush(); err != nil {
		t.Fatal(err)
	}
	frames, err := decodeAll(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 2 || frames[0][0] != 'B' || frames[1][0] != 's' {
		t.Fatalf("big body not taken at the flush or small one not copied at the call: %q…, %q", frames[0][:1], frames[1])
	}
}

// TestWriterFlushesWhenFull checks that bodies queued by reference do not
// pile up: the frame that makes refFlush bytes wait is written out with
// the others, and not before.
func TestWriterFlushesWhenFull(t *testing.T) {
	var out recordWriter
	e := &encoder{w: newWriter(&out, 64<<10), maxSize: DefaultMaxMessageSize, maxFrames: DefaultMaxFrames}
	body := bytes.Repeat([]byte{'z'}, refMin)
	frames := refFlush / (9 + refMin) // short of refFlush; their headers fit the copy buffer
	for range frames {
		if err := e.frames([]Frame{{Body: body}}); err != nil {
			t.Fatal(err)
		}
	}
	if out.Len() != 0 {
		t.Fatalf("%d bytes written before refFlush (%d) bytes were waiting", out.Len(), refFlush)
	}
	if err := e.frames([]Frame{{Body: body}}); err != nil {
		t.Fatal(err)
	}
	if e.w.Buffered() != 0 || out.Len() != (frames+1)*(9+refMin) {
		t.Fatalf("after %d frames of %d bytes: %d buffered, %d written", frames+1, refMin, e.w.Buffered(), out.Len())
	}
}

// TestWriterStickyError checks that a failed flush fails every later
// write, and that nothing is written after it.
func TestWriterStickyError(t *testing.T) {
	boom := errors.New("boom")
	out := &recordWriter{err: boom}
	e := &encoder{w: newWriter(out, 64<<10), maxSize: DefaultMaxMessageSize, maxFrames: DefaultMaxFrames}
	if err := e.frames([]Frame{{Body: bytes.Repeat([]byte{'x'}, refMin)}}); err != nil {
		t.Fatal(err) // queued, not yet written
	}
	if err := e.w.Flush(); !errors.Is(err, boom) {
		t.Fatalf("Flush: %v, want %v", err, boom)
	}
	out.err = nil
	for name, run := range map[string]func() error{
		"message": func() error { return e.message([][]byte{[]byte("x")}) },
		"frames":  func() error { return e.frames([]Frame{{Body: []byte("x")}}) },
		"pong":    func() error { return e.pong(nil) },
		"flush":   e.w.Flush,
	} {
		if err := run(); !errors.Is(err, boom) {
			t.Errorf("%s after a failed flush: %v, want %v", name, err, boom)
		}
	}
	if out.writes != 0 {
		t.Fatalf("%d writes after the failure", out.writes)
	}
}

// TestWriteFramesValidation checks the limits on frames in pieces: the
// size counts all three pieces, and nothing is written when refused.
func TestWriteFramesValidation(t *testing.T) {
	var out bytes.Buffer
	e := &encoder{w: newWriter(&out, 4096), maxSize: 10, maxFrames: 2}
	for name, tc := range map[string]struct {
		err    error
		frames []Frame
	}{
		"empty":           {ErrEmptyMessage, nil},
		"too large":       {ErrMessageTooLarge, []Frame{{Head: make([]byte, 4), Body: make([]byte, 4), Tail: make([]byte, 3)}}},
		"too many frames": {ErrTooManyFrames, make([]Frame, 3)},
	} {
		if err := e.frames(tc.frames); !errors.Is(err, tc.err) {
			t.Errorf("%s: error %v, want %v", name, err, tc.err)
		}
	}
	if e.w.Buffered() != 0 || out.Len() != 0 {
		t.Fatalf("refused frames left %d bytes buffered, %d written", e.w.Buffered(), out.Len())
	}
}

// TestWriteFramesZeroAllocs checks that writing big bodies by reference
// and flushing them with writev does not allocate once warm.
func TestWriteFramesZeroAllocs(t *testing.T) {
	e := &encoder{w: newWriter(io.Discard, 64<<10), maxSize: DefaultMaxMessageSize, maxFrames: DefaultMaxFrames}
	big := bytes.Repeat([]byte{'b'}, 100<<10)
	frames := []Frame{{Head: []byte("head"), Body: big, Tail: []byte("t")}, {Body: []byte("small")}}
	allocs := testing.AllocsPerRun(100, func() {
		if err := e.frames(frames); err != nil {
			t.Fatal(err)
		}
		if err := e.w.Flush(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("WriteFrames and Flush allocate %v times per run, want 0", allocs)
	}
}

// decodeAll reads the frames of every message in b.
func decodeAll(b []byte) ([][]byte, error) {
	d := newTestDecoder(bytes.NewReader(b), DefaultMaxMessageSize, DefaultMaxFrames)
	var all [][]byte
	for {
		var m Message
		if err := d.readMessage(&m); errors.Is(err, io.EOF) {
			return all, nil
		} else if err != nil {
			return nil, err
		}
		all = append(all, m.Frames...)
	}
}
