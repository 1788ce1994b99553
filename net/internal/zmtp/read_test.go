package zmtp

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func newTestDecoder(r io.Reader, maxSize, maxFrames int) *decoder {
	return &decoder{raw: r, readSize: 4096, maxSize: maxSize, maxFrames: maxFrames}
}

// long returns a long-form frame header for size bytes.
func long(flags byte, size uint64) []byte {
	b := []byte{flags | flagLong, 0, 0, 0, 0, 0, 0, 0, 0}
	for i := 0; i < 8; i++ {
		b[8-i] = byte(size >> (8 * i))
	}
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestDecoder(t *testing.T) {
	x300 := bytes.Repeat([]byte("x"), 300)
	tests := []struct {
		name   string
		in     []byte
		frames [][]byte // expected data message
		cmd    string   // or expected command
		err    error    // or expected error
	}{
		{name: "single", in: []byte{0, 2, 'h', 'i'}, frames: [][]byte{[]byte("hi")}},
		{name: "empty frame", in: []byte{0, 0}, frames: [][]byte{{}}},
		{name: "multipart with empty frames", in: []byte{1, 0, 1, 1, 'a', 0, 0},
			frames: [][]byte{{}, []byte("a"), {}}},
		{name: "long frame", in: cat(long(0, 300), x300), frames: [][]byte{x300}},
		{name: "long form for a short frame", in: cat(long(0, 2), []byte("ok")), frames: [][]byte{[]byte("ok")}},
		{name: "ping", in: cat([]byte{4, 9, 4}, []byte("PING"), []byte{0, 30, 'c', 't', 'x'}), cmd: CmdPing},
		{name: "pong", in: cat([]byte{4, 8, 4}, []byte("PONG"), []byte("ctx")), cmd: CmdPong},
		{name: "clean EOF", in: nil, err: io.EOF},
		{name: "truncated header", in: []byte{0}, err: io.ErrUnexpectedEOF},
		{name: "truncated long header", in: long(0, 5)[:6], err: io.ErrUnexpectedEOF},
		{name: "truncated body", in: []byte{0, 5, 'a', 'b'}, err: io.ErrUnexpectedEOF},
		{name: "missing last frame", in: []byte{1, 1, 'a'}, err: io.ErrUnexpectedEOF},
		{name: "reserved bit", in: []byte{0x08, 0}, err: ErrMalformed},
		{name: "reserved high bit", in: []byte{0x80, 0}, err: ErrMalformed},
		{name: "long length high bit", in: long(0, 1<<63), err: ErrMalformed},
		{name: "command with MORE", in: cat([]byte{5, 5, 4}, []byte("PING")), err: ErrMalformed},
		{name: "command inside multipart", in: cat([]byte{1, 0, 4, 5, 4}, []byte("PING")), err: ErrMalformed},
		{name: "empty command", in: []byte{4, 0}, err: ErrMalformed},
		{name: "command name length 0", in: []byte{4, 2, 0, 'x'}, err: ErrMalformed},
		{name: "command name too long", in: []byte{4, 3, 5, 'P', 'I'}, err: ErrMalformed},
		{name: "command name not letters", in: []byte{4, 3, 2, 'P', '1'}, err: ErrMalformed},
		{name: "frame over limit", in: long(0, 1001), err: ErrMessageTooLarge},
		{name: "huge long frame", in: long(0, 1<<62), err: ErrMessageTooLarge},
		{name: "frames over limit", in: cat(long(flagMore, 600), make([]byte, 600), long(0, 401)), err: ErrMessageTooLarge},
		{name: "command over limit", in: long(flagCommand, 1001), err: ErrMessageTooLarge},
		{name: "too many frames", in: []byte{1, 0, 1, 0, 1, 0, 0, 0}, err: ErrTooManyFrames},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestDecoder(bytes.NewReader(tt.in), 1000, 3)
			var m Message
			err := d.readMessage(&m)
			switch {
			case tt.err != nil:
				if !errors.Is(err, tt.err) {
					t.Fatalf("error %v, want %v", err, tt.err)
				}
				if cap(m.data) > d.maxWire() {
					t.Fatalf("allocated %d bytes for a refused message (limit %d with headers)", cap(m.data), d.maxWire())
				}
			case err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.cmd != "":
				if m.Kind != KindCommand || m.Command.Name != tt.cmd || m.Frames != nil && len(m.Frames) != 0 {
					t.Fatalf("got %+v, want command %s", m, tt.cmd)
				}
			default:
				if m.Kind != KindData || !equalFrames(m.Frames, tt.frames) {
					t.Fatalf("got frames %q, want %q", m.Frames, tt.frames)
				}
				if err := d.readMessage(&m); err != io.EOF {
					t.Fatalf("after the message: %v, want io.EOF", err)
				}
			}
		})
	}
}

func TestPingFields(t *testing.T) {
	in := cat([]byte{4, 27, 4}, []byte("PING"), []byte{0, 30}, bytes.Repeat([]byte("c"), 20))
	d := newTestDecoder(bytes.NewReader(in), 100, 3)
	var m Message
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	if ttl := m.Command.PingTTL(); ttl.Seconds() != 3 {
		t.Errorf("PingTTL = %v, want 3s", ttl)
	}
	if ctx := m.Command.PingContext(); string(ctx) != strings.Repeat("c", 16) {
		t.Errorf("PingContext = %q, want 16 bytes (RFC 37 limit)", ctx)
	}
	if (Command{Name: CmdPong, Body: []byte{1, 2, 3}}).PingContext() != nil {
		t.Error("PingContext of a PONG is not nil")
	}
}

func TestDecoderSkipsUnknownCommands(t *testing.T) {
	in := cat([]byte{4, 6, 5}, []byte("HELLO"), []byte{4, 6, 5}, []byte("READY"), []byte{0, 1, 'z'})
	d := newTestDecoder(bytes.NewReader(in), 100, 3)
	var m Message
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	if m.Kind != KindData || !equalFrames(m.Frames, [][]byte{[]byte("z")}) {
		t.Fatalf("got %+v, want the data message after the commands", m)
	}
	if n := d.unknown.Load(); n != 2 {
		t.Fatalf("unknown commands counted %d, want 2", n)
	}
}

// TestDecoderGrowsWithData checks that a frame announcing more than it
// sends does not make the decoder allocate the announced size.
func TestDecoderGrowsWithData(t *testing.T) {
	in := cat(long(0, 50<<20), make([]byte, 1000))
	d := newTestDecoder(bytes.NewReader(in), 64<<20, 3)
	var m Message
	if err := d.readMessage(&m); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("error %v, want io.ErrUnexpectedEOF", err)
	}
	if c := cap(m.data); c > len(in)+growChunk {
		t.Fatalf("buffer grew to %d bytes for %d bytes received (limit %d ahead)", c, len(in), growChunk)
	}
}

func TestDecoderLargeFrame(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 5<<16) // 5 MiB, several grow steps
	in := frameBytes(t, [][]byte{[]byte("head"), big, {}})
	d := newTestDecoder(bytes.NewReader(in), 8<<20, 3)
	var m Message
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	if !equalFrames(m.Frames, [][]byte{[]byte("head"), big, {}}) {
		t.Fatal("large message read back differently")
	}
	if err := d.readMessage(&m); err != io.EOF {
		t.Fatalf("got %v, want io.EOF", err)
	}
	if m.data != nil && cap(m.data) > retainMax {
		t.Fatalf("a %d-byte buffer was retained after the read", cap(m.data))
	}
}

// loopReader returns its bytes over and over.
type loopReader struct {
	b   []byte
	off int
}

func (l *loopReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], l.b[l.off:])
		n += c
		l.off = (l.off + c) % len(l.b)
	}
	return n, nil
}

func TestReadMessageZeroAllocs(t *testing.T) {
	stream := frameBytes(t, [][]byte{[]byte("12345678")}, [][]byte{[]byte("id"), {}, bytes.Repeat([]byte("p"), 512)})
	d := newTestDecoder(&loopReader{b: stream}, DefaultMaxMessageSize, DefaultMaxFrames)
	var m Message
	for range 4 { // warm up the buffers
		if err := d.readMessage(&m); err != nil {
			t.Fatal(err)
		}
	}
	allocs := testing.AllocsPerRun(1000, func() {
		if err := d.readMessage(&m); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("ReadMessage allocates %v times per message, want 0", allocs)
	}
}

func TestWriteMessageZeroAllocs(t *testing.T) {
	e := &encoder{w: newWriter(io.Discard, 64<<10), maxSize: DefaultMaxMessageSize, maxFrames: DefaultMaxFrames}
	small, mid, ctx := []byte("12345678"), bytes.Repeat([]byte("p"), 512), []byte("ctx")
	allocs := testing.AllocsPerRun(1000, func() {
		if err := e.message([][]byte{small}); err != nil {
			t.Fatal(err)
		}
		if err := e.message([][]byte{small, {}, mid}); err != nil {
			t.Fatal(err)
		}
		if err := e.pong(ctx); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("writing allocates %v times per run, want 0", allocs)
	}
}

func TestWriteValidation(t *testing.T) {
	var buf bytes.Buffer
	e := &encoder{w: newWriter(&buf, 4096), maxSize: 10, maxFrames: 2}
	for name, tc := range map[string]struct {
		err error
		run func() error
	}{
		"empty":            {ErrEmptyMessage, func() error { return e.message(nil) }},
		"too large":        {ErrMessageTooLarge, func() error { return e.message([][]byte{make([]byte, 6), make([]byte, 5)}) }},
		"too many frames":  {ErrTooManyFrames, func() error { return e.message([][]byte{{}, {}, {}}) }},
		"bad command name": {ErrBadCommand, func() error { return e.command("PI NG", nil) }},
		"empty name":       {ErrBadCommand, func() error { return e.command("", nil) }},
		"ping context":     {ErrBadCommand, func() error { return e.ping(0, make([]byte, 17)) }},
		"pong context":     {ErrBadCommand, func() error { return e.pong(make([]byte, 17)) }},
		"command size":     {ErrMessageTooLarge, func() error { return e.command("PONG", make([]byte, 6)) }},
	} {
		if err := tc.run(); !errors.Is(err, tc.err) {
			t.Errorf("%s: error %v, want %v", name, err, tc.err)
		}
	}
	if e.w.Buffered() != 0 {
		t.Fatalf("refused writes left %d bytes in the buffer", e.w.Buffered())
	}
}

// TestMessageRetain checks that a Message keeps a big buffer between
// reads when Retain allows it, and reads into it again.
func TestMessageRetain(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	in := cat(frameBytes(t, [][]byte{big}), frameBytes(t, [][]byte{big}))
	d := newTestDecoder(bytes.NewReader(in), 8<<20, 3)
	m := Message{Retain: 4 << 20}
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	first := &m.data[0]
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	if !equalFrames(m.Frames, [][]byte{big}) {
		t.Fatal("second message read back differently")
	}
	if &m.data[0] != first {
		t.Fatal("the retained buffer was not reused for the second message")
	}
}
