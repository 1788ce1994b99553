package zmtp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"
)

// trickleReader returns its bytes a few at a time: 1 to 7 bytes per Read,
// in a fixed pattern, so frame headers and bodies split everywhere.
type trickleReader struct {
	b     []byte
	i     int
	reads int
}

func (t *trickleReader) Read(p []byte) (int, error) {
	if len(t.b) == 0 {
		return 0, io.EOF
	}
	t.i++
	t.reads++
	n := copy(p[:min(len(p), 1+t.i%7)], t.b)
	t.b = t.b[n:]
	return n, nil
}

// chunkReader returns its chunks one per Read (a chunk bigger than p is
// split).
type chunkReader struct {
	chunks [][]byte
	sizes  []int // the size of each Read's p
}

func (c *chunkReader) Read(p []byte) (int, error) {
	c.sizes = append(c.sizes, len(p))
	for len(c.chunks) > 0 && len(c.chunks[0]) == 0 {
		c.chunks = c.chunks[1:]
	}
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	c.chunks[0] = c.chunks[0][n:]
	return n, nil
}

// testStream returns messages of every shape, and their encoding with a
// PING and an unknown command among them.
func testStream(t *testing.T) (msgs [][][]byte, in []byte) {
	msgs = [][][]byte{
		{[]byte("hi")},
		{{}, []byte("a"), {}},
		{bytes.Repeat([]byte("L"), 300)},
		{[]byte("id"), {}, bytes.Repeat([]byte("p"), 5000), []byte("tail")},
		{bytes.Repeat([]byte("B"), 40<<10), bytes.Repeat([]byte("C"), 20<<10)},
		{[]byte("last")},
	}
	for i, m := range msgs {
		in = append(in, frameBytes(t, m)...)
		if i == 1 {
			in = append(in, cat([]byte{4, 6, 5}, []byte("HELLO"))...)
			in = append(in, cat([]byte{4, 7, 4}, []byte("PING"), []byte{0, 1})...)
		}
	}
	return msgs, in
}

// readAll reads the stream's messages (the PING where it is) with each
// of the ways a caller may hold its Messages, and checks them.
func readAll(t *testing.T, d *decoder, msgs [][][]byte, way string) {
	t.Helper()
	var ms [2]Message
	var kept [][][]byte
	for i := 0; i < len(msgs); i++ {
		m := &ms[0]
		if way == "alternate" {
			m = &ms[i%2]
		}
		if err := d.readMessage(m); err != nil {
			t.Fatalf("%s: message %d: %v", way, i, err)
		}
		if i == 2 && m.Kind == KindCommand { // the PING comes before message 2
			if m.Command.Name != CmdPing || m.Command.PingTTL() == 0 {
				t.Fatalf("%s: got command %+v, want the PING", way, m.Command)
			}
			i--
			continue
		}
		if m.Kind != KindData || !equalFrames(m.Frames, msgs[i]) {
			t.Fatalf("%s: message %d read back differently", way, i)
		}
		if way == "detach" {
			kept = append(kept, m.Frames)
			m.Frames = nil
			m.Detach()
		}
	}
	if err := d.readMessage(&ms[0]); err != io.EOF {
		t.Fatalf("%s: after the last message: %v, want io.EOF", way, err)
	}
	for i := range kept {
		if !equalFrames(kept[i], msgs[i]) {
			t.Fatalf("%s: message %d changed after Detach and later reads", way, i)
		}
	}
}

// TestReadTrickle reads messages that arrive 1 to 7 bytes at a time:
// every header and body split across reads, reusing one Message,
// detaching each, or alternating two.
func TestReadTrickle(t *testing.T) {
	msgs, in := testStream(t)
	for _, way := range []string{"reuse", "detach", "alternate"} {
		tr := &trickleReader{b: in}
		readAll(t, newTestDecoder(tr, 1<<20, 8), msgs, way)
	}
}

// TestReadWhole reads the same messages from a reader that hands out all
// it has at once: the next messages are read ahead and carried over.
func TestReadWhole(t *testing.T) {
	msgs, in := testStream(t)
	for _, way := range []string{"reuse", "detach", "alternate"} {
		readAll(t, newTestDecoder(bytes.NewReader(in), 1<<20, 8), msgs, way)
	}
}

// TestReadHeaderSplit splits a long frame header at every byte.
func TestReadHeaderSplit(t *testing.T) {
	body := bytes.Repeat([]byte("h"), 1000)
	in := cat(frameBytes(t, [][]byte{[]byte("x")}), long(0, 1000), body)
	for cut := 3; cut < 3+9; cut++ { // the long header is at bytes 3..11
		r := &chunkReader{chunks: [][]byte{in[:cut], in[cut:]}}
		d := newTestDecoder(r, 1<<20, 4)
		var m Message
		for i, want := range [][]byte{[]byte("x"), body} {
			if err := d.readMessage(&m); err != nil {
				t.Fatalf("cut at %d, message %d: %v", cut, i, err)
			}
			if !equalFrames(m.Frames, [][]byte{want}) {
				t.Fatalf("cut at %d: message %d read back differently", cut, i)
			}
		}
	}
}

// TestReadCarryOverDetach checks that the bytes of the next message read
// with the last one are carried into the buffer Detach made, and that
// the given-away buffer is not written.
func TestReadCarryOverDetach(t *testing.T) {
	first, second := bytes.Repeat([]byte("1"), 1500), bytes.Repeat([]byte("2"), 1500) // both in one 4096-byte read
	d := newTestDecoder(bytes.NewReader(frameBytes(t, [][]byte{first}, [][]byte{second})), 1<<20, 4)
	var m Message
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	if d.w-d.r != len(second)+9 {
		t.Fatalf("%d bytes read ahead, want the whole next message (%d): one read", d.w-d.r, len(second)+9)
	}
	old, kept := m.data, m.Frames[0]
	m.Detach()
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	if !equalFrames(m.Frames, [][]byte{second}) || !bytes.Equal(kept, first) {
		t.Fatal("messages read back differently across Detach")
	}
	if sameArray(m.data, old) {
		t.Fatal("the message after Detach was read into the given-away buffer")
	}
}

// TestReadCarryOverReuse checks that without Detach the next message is
// decoded where it was read, and that the buffer is reused once consumed:
// the message cut at the end of the buffer moves to its front.
func TestReadCarryOverReuse(t *testing.T) {
	body := bytes.Repeat([]byte("r"), 1000)
	var in []byte
	for range 10 { // 10 x 1009 bytes through a 4096-byte buffer
		in = append(in, frameBytes(t, [][]byte{body})...)
	}
	d := newTestDecoder(bytes.NewReader(in), 1<<20, 4)
	var m Message
	if err := d.readMessage(&m); err != nil {
		t.Fatal(err)
	}
	buf := m.data
	for i := 1; i < 10; i++ {
		if err := d.readMessage(&m); err != nil {
			t.Fatal(err)
		}
		if !equalFrames(m.Frames, [][]byte{body}) {
			t.Fatalf("message %d read back differently", i)
		}
		if !sameArray(m.data, buf) {
			t.Fatalf("message %d: a new buffer (%d bytes), want the first one (%d) reused", i, cap(m.data), cap(buf))
		}
		if want := (i % 4) * 1009; m.from != want { // 4 messages in 4096 bytes, then back to the front
			t.Fatalf("message %d starts at %d in the buffer, want %d (decoded in place)", i, m.from, want)
		}
	}
}

// TestReadFewCalls checks that many small messages cost few reads.
func TestReadFewCalls(t *testing.T) {
	in := bytes.Repeat(frameBytes(t, [][]byte{[]byte("12345678")}), 10000) // 100 kB
	r := &chunkReader{chunks: [][]byte{in}}
	d := &decoder{raw: r, maxSize: DefaultMaxMessageSize, maxFrames: DefaultMaxFrames}
	var m Message
	for range 10000 {
		if err := d.readMessage(&m); err != nil {
			t.Fatal(err)
		}
	}
	if n, most := len(r.sizes), len(in)/DefaultBufferSize+2; n > most {
		t.Fatalf("%d reads for %d bytes, want at most %d", n, len(in), most)
	}
}

// TestReadAheadBounded checks that reading a big frame stops near its end,
// so the bytes of the next message carried over by Detach stay few.
func TestReadAheadBounded(t *testing.T) {
	stream := frameBytes(t, [][]byte{bytes.Repeat([]byte("b"), 3<<20)})
	d := &decoder{raw: &loopReader{b: stream}, maxSize: DefaultMaxMessageSize, maxFrames: DefaultMaxFrames}
	m := Message{Retain: 16 << 20}
	for i := range 3 {
		if err := d.readMessage(&m); err != nil {
			t.Fatal(err)
		}
		if ahead := d.w - d.r; ahead > DefaultBufferSize {
			t.Fatalf("message %d: %d bytes read past a 3 MiB frame, want at most %d", i, ahead, DefaultBufferSize)
		}
		m.Detach()
	}
}

// TestReadLimitsBeforeAllocating checks that a header announcing a frame
// the peer never sends costs no more than what was received plus
// growChunk, and one over the limit nothing.
func TestReadLimitsBeforeAllocating(t *testing.T) {
	for _, tc := range []struct {
		name string
		size uint64
		err  error
		most uint64 // bytes allocated at most
	}{
		{"announced, not sent", 60 << 20, io.ErrUnexpectedEOF, growChunk + 2*DefaultBufferSize}, // the first buffer, then one grown by growChunk
		{"over the limit", 65 << 20, ErrMessageTooLarge, DefaultBufferSize + 4<<10},             // the first buffer only
	} {
		in := cat(long(0, tc.size), []byte("only this"))
		d := &decoder{raw: bytes.NewReader(in), maxSize: DefaultMaxMessageSize, maxFrames: DefaultMaxFrames}
		var m Message
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := d.readMessage(&m)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, tc.err) {
			t.Fatalf("%s: error %v, want %v", tc.name, err, tc.err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > tc.most {
			t.Fatalf("%s: %d bytes allocated for a frame announced as %d bytes, want at most %d", tc.name, n, tc.size, tc.most)
		}
	}
}

// TestReadAfterHandshake checks that bytes the handshake's reader read
// past the handshake are decoded first.
func TestReadAfterHandshake(t *testing.T) {
	msgs := [][][]byte{{[]byte("early")}, {[]byte("later"), bytes.Repeat([]byte("z"), 500)}}
	in := cat([]byte("HANDSHAKE"), frameBytes(t, msgs...))
	br := bufio.NewReaderSize(bytes.NewReader(in[:20]), 64) // stops inside message 1
	if _, err := io.ReadFull(br, make([]byte, len("HANDSHAKE"))); err != nil {
		t.Fatal(err)
	}
	if _, err := br.Peek(1); err != nil {
		t.Fatal(err)
	}
	d := newTestDecoder(bytes.NewReader(in[20:]), 1<<20, 4)
	d.takeReadAhead(br)
	var m Message
	for i, want := range msgs {
		if err := d.readMessage(&m); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if !equalFrames(m.Frames, want) {
			t.Fatalf("message %d read back differently", i)
		}
	}
}
