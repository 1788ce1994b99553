package zmtp

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// Limits of the fuzzed decoder: small, so that the fuzzer reaches them.
const (
	fuzzMaxSize   = 64 << 10
	fuzzMaxFrames = 16
)

// FuzzReadMessage feeds arbitrary bytes to the frame decoder. It must
// never panic, never hold a buffer larger than the size limit, return
// only the documented errors, and re-encode every message it accepts
// into bytes that decode to the same message. Inputs of odd length are
// read a few bytes at a time. Seeds are in
// testdata/fuzz/FuzzReadMessage.
func FuzzReadMessage(f *testing.F) {
	f.Add([]byte{0, 2, 'h', 'i', flagMore, 0, 0, 1, 'x'})
	f.Fuzz(func(t *testing.T, data []byte) {
		var r io.Reader = bytes.NewReader(data)
		if len(data)%2 == 1 { // headers and bodies split across reads
			r = &trickleReader{b: data}
		}
		d := newTestDecoder(r, fuzzMaxSize, fuzzMaxFrames)
		var m Message
		for range len(data)/2 + 1 { // every message takes at least 2 bytes
			err := d.readMessage(&m)
			if err != nil {
				checkDecodeError(t, err)
				return
			}
			checkMessage(t, d, &m)
			roundTrip(t, &m)
		}
		t.Fatal("decoder returned more messages than the input can hold")
	})
}

func checkDecodeError(t *testing.T, err error) {
	for _, known := range []error{io.EOF, io.ErrUnexpectedEOF, ErrMalformed, ErrMessageTooLarge, ErrTooManyFrames} {
		if errors.Is(err, known) {
			return
		}
	}
	t.Fatalf("undocumented error %v", err)
}

func checkMessage(t *testing.T, d *decoder, m *Message) {
	if cap(m.data) > d.maxWire() {
		t.Fatalf("buffer of %d bytes, limit %d (with frame headers)", cap(m.data), d.maxWire())
	}
	switch m.Kind {
	case KindData:
		if len(m.Frames) == 0 || len(m.Frames) > fuzzMaxFrames {
			t.Fatalf("%d frames", len(m.Frames))
		}
	case KindCommand:
		if m.Command.Name == "" || len(m.Frames) != 0 {
			t.Fatalf("bad command %+v with %d frames", m.Command, len(m.Frames))
		}
	default:
		t.Fatalf("bad kind %d", m.Kind)
	}
}

// roundTrip encodes m and decodes it again.
func roundTrip(t *testing.T, m *Message) {
	var buf bytes.Buffer
	e := newTestEncoder(&buf)
	e.maxSize, e.maxFrames = fuzzMaxSize, fuzzMaxFrames
	var err error
	if m.Kind == KindCommand {
		err = e.command(m.Command.Name, m.Command.Body)
	} else {
		err = e.message(m.Frames)
	}
	if err == nil {
		err = e.w.Flush()
	}
	if err != nil {
		t.Fatalf("re-encoding an accepted message: %v", err)
	}
	d := newTestDecoder(&buf, fuzzMaxSize, fuzzMaxFrames)
	var got Message
	if err := d.readMessage(&got); err != nil {
		t.Fatalf("decoding the re-encoded message: %v", err)
	}
	if got.Kind != m.Kind || !equalFrames(got.Frames, m.Frames) ||
		got.Command.Name != m.Command.Name || !bytes.Equal(got.Command.Body, m.Command.Body) {
		t.Fatalf("round trip changed the message: %+v became %+v", m, &got)
	}
	if err := d.readMessage(&got); err != io.EOF {
		t.Fatalf("trailing bytes after the re-encoded message: %v", err)
	}
}
