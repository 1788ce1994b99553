package zmtp

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"
)

// TestMessages sends multipart messages both ways over tcp and ipc.
func TestMessages(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	msgs := [][][]byte{
		{[]byte("hello")},
		{{}},
		{[]byte("a"), {}, []byte("b"), {}},
		{bytes.Repeat([]byte("x"), 256), []byte("tail")},
		{[]byte("big"), big},
		{[]byte("after big")},
	}
	for tr, ep := range endpoints(t) {
		t.Run(tr, func(t *testing.T) {
			l := listen(t, ep)
			c, s := connect(t, l, WithIdentity([]byte("go-dealer")))
			if got := s.PeerIdentity(); string(got) != "go-dealer" {
				t.Errorf("server sees identity %q, want go-dealer", got)
			}
			if s.PeerSocketType() != Dealer || c.PeerSocketType() != Router {
				t.Errorf("peer types: server sees %s, client sees %s", s.PeerSocketType(), c.PeerSocketType())
			}
			for _, pair := range [][2]*Conn{{c, s}, {s, c}} {
				done := sendAsync(pair[0], msgs...)
				var m Message
				for i, want := range msgs {
					if err := pair[1].ReadMessage(&m); err != nil {
						t.Fatalf("message %d: %v", i, err)
					}
					if m.Kind != KindData || !equalFrames(m.Frames, want) {
						t.Fatalf("message %d: got %d frames, want %d", i, len(m.Frames), len(want))
					}
				}
				if err := waitErr(t, done); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestBytesAfterHandshakeKept has a hand-written peer send its greeting,
// READY and a first message in one write: nothing may be lost between
// zmq4's handshake and our reader.
func TestBytesAfterHandshakeKept(t *testing.T) {
	raw := newRawPeer(t)
	payload := cat(greeting("NULL"), readyCmd(t, "ROUTER"), frameBytes(t, [][]byte{[]byte("first"), []byte("message")}))
	go raw.serve(func(p *rawPeer) { p.write(payload) })
	c, err := Dial(testCtx(t), raw.endpoint)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	m := readMsg(t, c)
	if !equalFrames(m.Frames, [][]byte{[]byte("first"), []byte("message")}) {
		t.Fatalf("got %q", m.Frames)
	}
}

func TestCommands(t *testing.T) {
	l := listen(t, "tcp://127.0.0.1:0")
	c, s := connect(t, l)
	if err := c.WritePing(3*time.Second, []byte("abc")); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteCommand("FOO", []byte("ignored")); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteMessage([]byte("data")); err != nil {
		t.Fatal(err)
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	m := readMsg(t, s)
	if m.Kind != KindCommand || m.Command.Name != CmdPing || m.Command.PingTTL() != 3*time.Second ||
		string(m.Command.PingContext()) != "abc" {
		t.Fatalf("got %+v, want PING ttl 3s context abc", m.Command)
	}
	ctx := append([]byte(nil), m.Command.PingContext()...)
	if m = readMsg(t, s); m.Kind != KindData || string(m.Frames[0]) != "data" {
		t.Fatalf("got %+v, want the data message after the unknown command", m)
	}
	if n := s.Stats().UnknownCommands; n != 1 {
		t.Fatalf("UnknownCommands = %d, want 1", n)
	}
	if err := s.WritePong(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if m = readMsg(t, c); m.Kind != KindCommand || m.Command.Name != CmdPong || string(m.Command.Body) != "abc" {
		t.Fatalf("got %+v, want PONG abc", m.Command)
	}
}

func TestLimits(t *testing.T) {
	l := listen(t, "tcp://127.0.0.1:0", WithMaxMessageSize(1000), WithMaxFrames(4))
	for name, tc := range map[string]struct {
		frames [][]byte
		err    error
	}{
		"size":   {[][]byte{make([]byte, 500), make([]byte, 501)}, ErrMessageTooLarge},
		"frames": {[][]byte{{}, {}, {}, {}, {}}, ErrTooManyFrames},
	} {
		c, s := connect(t, l)
		done := sendAsync(c, [][]byte{[]byte("ok")}, tc.frames)
		if m := readMsg(t, s); string(m.Frames[0]) != "ok" {
			t.Fatalf("%s: first message %q", name, m.Frames)
		}
		var m Message
		if err := s.ReadMessage(&m); !errors.Is(err, tc.err) {
			t.Fatalf("%s: error %v, want %v", name, err, tc.err)
		}
		_ = s.Close()
		_ = waitErr(t, done) // the write may or may not fail: the server closed
	}
	c, _ := connect(t, l, WithMaxMessageSize(10))
	wantErr(t, c.WriteMessage(make([]byte, 11)), ErrMessageTooLarge)
	if c.Buffered() != 0 {
		t.Fatalf("a refused message left %d bytes buffered", c.Buffered())
	}
}

// TestPeerClosing covers a clean close, a truncated frame and a close in
// the middle of a multipart message.
func TestPeerClosing(t *testing.T) {
	l := listen(t, "ipc://"+ipcPath(t))
	for name, tc := range map[string]struct {
		raw []byte
		err error
	}{
		"clean":           {nil, io.EOF},
		"truncated frame": {[]byte{0, 10, 'a', 'b', 'c'}, io.ErrUnexpectedEOF},
		"mid multipart":   {[]byte{flagMore, 1, 'a'}, io.ErrUnexpectedEOF},
		"truncated hdr":   {[]byte{flagLong, 0, 0}, io.ErrUnexpectedEOF},
		"malformed":       {[]byte{0x40, 0}, ErrMalformed},
	} {
		c, s := connect(t, l)
		if _, err := c.w.Write(tc.raw); err != nil {
			t.Fatal(err)
		}
		if err := c.Flush(); err != nil {
			t.Fatal(err)
		}
		_ = c.Close()
		var m Message
		if err := s.ReadMessage(&m); !errors.Is(err, tc.err) {
			t.Fatalf("%s: error %v, want %v", name, err, tc.err)
		}
	}
}

func TestCloseUnblocksAndIsIdempotent(t *testing.T) {
	l := listen(t, "tcp://127.0.0.1:0")
	c, _ := connect(t, l)
	read := make(chan error, 1)
	go func() {
		var m Message
		read <- c.ReadMessage(&m)
	}()
	if err := c.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}
	wantErr(t, waitErr(t, read), ErrClosed)
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := c.WriteMessage([]byte("x")); err != nil {
		t.Fatalf("buffered write after Close: %v", err)
	}
	wantErr(t, c.Flush(), ErrClosed)
}
