package zmtp

import (
	"context"
	"errors"
	"io"
	stdnet "net"
	"os"
	"testing"
	"time"
)

// failures collects the handshake errors of a Listener.
func failures() (Option, chan error) {
	ch := make(chan error, 16)
	return WithHandshakeErrorFunc(func(err error) {
		select {
		case ch <- err:
		default:
		}
	}), ch
}

func nextFailure(t testing.TB, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(testTimeout):
		t.Fatal("no handshake failure reported")
		return nil
	}
}

func checkCreds(user, pass string) bool { return user == "alice" && pass == "secret" }

func TestPlain(t *testing.T) {
	for tr, ep := range endpoints(t) {
		t.Run(tr, func(t *testing.T) {
			onFail, failed := failures()
			l := listen(t, ep, WithPlainServer(checkCreds), onFail)
			c, s := connect(t, l, WithPlain("alice", "secret"))
			done := sendAsync(c, [][]byte{[]byte("over"), []byte("plain")})
			if m := readMsg(t, s); !equalFrames(m.Frames, [][]byte{[]byte("over"), []byte("plain")}) {
				t.Fatalf("got %q", m.Frames)
			}
			if err := waitErr(t, done); err != nil {
				t.Fatal(err)
			}

			_, err := Dial(testCtx(t), l.Endpoint(), WithPlain("alice", "wrong"))
			wantErr(t, err, ErrHandshake, ErrAuthFailed)
			t.Logf("client error: %v", err)
			wantErr(t, nextFailure(t, failed), ErrHandshake, ErrAuthFailed)

			_, err = Dial(testCtx(t), l.Endpoint()) // NULL against PLAIN
			wantErr(t, err, ErrHandshake)
			wantErr(t, nextFailure(t, failed), ErrHandshake)
			if st := l.Stats(); st.Accepted != 1 || st.HandshakeFailures != 2 {
				t.Fatalf("stats %+v, want 1 accepted and 2 failures", st)
			}
		})
	}
}

func TestIncompatibleSocketType(t *testing.T) {
	onFail, failed := failures()
	l := listen(t, "tcp://127.0.0.1:0", onFail)
	_, err := Dial(testCtx(t), l.Endpoint(), WithSocketType(Push))
	wantErr(t, err, ErrHandshake, ErrIncompatible)
	wantErr(t, nextFailure(t, failed), ErrIncompatible)
}

// TestHostileHandshakes feeds the listener bytes that must fail the
// handshake cleanly: no panic, no huge allocation, a clear error.
func TestHostileHandshakes(t *testing.T) {
	tests := map[string]struct {
		bytes []byte
		err   error
	}{
		"http request":   {[]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), ErrMalformed},
		"huge frame":     {cat(greeting("NULL"), long(flagCommand, 1<<40)), ErrMessageTooLarge},
		"short metadata": {cat(greeting("NULL"), []byte{flagCommand, 8, 5}, []byte("READY"), []byte{11, 'S'}), ErrMalformed},
		"no socket type": {cat(greeting("NULL"), []byte{flagCommand, 6, 5}, []byte("READY")), ErrIncompatible},
		"unknown type":   {cat(greeting("NULL"), readyCmd(t, "STREAM")), ErrIncompatible},
		"peer ERROR":     {cat(greeting("NULL"), []byte{flagCommand, 10, 5}, []byte("ERROR"), []byte{3, 'n', 'o', 'p'}), ErrRefused},
		"data not READY": {cat(greeting("NULL"), []byte{0, 1, 'x'}), ErrHandshake},
		"ZMTP 2":         {cat(greeting("NULL")[:10], []byte{1, 0}, make([]byte, 52)), ErrHandshake},
	}
	onFail, failed := failures()
	l := listen(t, "tcp://127.0.0.1:0", onFail)
	for name, tc := range tests {
		conn, err := stdnet.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Write(tc.bytes); err != nil {
			t.Fatal(err)
		}
		err = nextFailure(t, failed)
		if !errors.Is(err, tc.err) || !errors.Is(err, ErrHandshake) {
			t.Errorf("%s: error %v, want %v", name, err, tc.err)
		}
		// The listener closed the connection: reading ends (EOF or reset).
		_ = conn.SetReadDeadline(time.Now().Add(testTimeout))
		_, err = io.Copy(io.Discard, conn)
		var ne stdnet.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("%s: the listener kept the connection open", name)
		}
		_ = conn.Close()
	}
	if st := l.Stats(); st.Accepted != 0 || st.HandshakeFailures != uint64(len(tests)) {
		t.Fatalf("stats %+v", st)
	}
}

// TestDialContext checks that a peer that never answers is bounded by the
// context (cancel and deadline) and by the handshake timeout.
func TestDialContext(t *testing.T) {
	ln, err := stdnet.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan stdnet.Conn, 4)
	go func() {
		defer close(accepted)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c // silent peer: never writes
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		for c := range accepted {
			_ = c.Close()
		}
	})
	ep := "tcp://" + ln.Addr().String()

	ctx, cancel := context.WithCancel(testCtx(t))
	go func() {
		c := <-accepted
		accepted <- c // keep it for cleanup
		// Cancel once the client's greeting arrived: Dial is in the handshake.
		_, _ = io.ReadFull(c, make([]byte, greetingSize))
		cancel()
	}()
	_, err = Dial(ctx, ep)
	wantErr(t, err, ErrHandshake, context.Canceled)

	ctx, cancel = context.WithTimeout(testCtx(t), 50*time.Millisecond)
	defer cancel()
	_, err = Dial(ctx, ep)
	wantErr(t, err, ErrHandshake, context.DeadlineExceeded)

	_, err = Dial(testCtx(t), ep, WithHandshakeTimeout(50*time.Millisecond))
	wantErr(t, err, ErrHandshake, context.DeadlineExceeded)
}

func TestListenerClose(t *testing.T) {
	onFail, failed := failures()
	l, err := Listen(testCtx(t), "tcp://127.0.0.1:0", onFail)
	if err != nil {
		t.Fatal(err)
	}
	// A connection stuck in its handshake, and one handshaken but never accepted.
	stuck, err := stdnet.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	waiting, err := Dial(testCtx(t), l.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer waiting.Close()

	accepted := make(chan error, 1)
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	go func() {
		<-ctx.Done()
		_, err := l.Accept(testCtx(t))
		accepted <- err
	}()
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	cancel()
	wantErr(t, waitErr(t, accepted), ErrClosed)
	wantErr(t, nextFailure(t, failed), context.Canceled)
	if err := l.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	// The stuck connection failed; the waiting one was either handshaken
	// and closed unaccepted, or cut while the server read its READY.
	if st := l.Stats(); st.Accepted != st.Unaccepted || st.Unaccepted+st.HandshakeFailures != 2 {
		t.Errorf("stats %+v: want both connections closed and counted", st)
	}
	var m Message
	if err := waiting.ReadMessage(&m); !errors.Is(err, io.EOF) && !errors.Is(err, stdnet.ErrClosed) {
		var ne stdnet.Error
		if !errors.As(err, &ne) {
			t.Fatalf("the unaccepted connection was not closed: %v", err)
		}
	}
}

func TestAcceptUnblocksOnClose(t *testing.T) {
	l, err := Listen(testCtx(t), "ipc://"+ipcPath(t))
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan error, 1)
	go func() {
		_, err := l.Accept(context.Background())
		accepted <- err
	}()
	_ = l.Close()
	wantErr(t, waitErr(t, accepted), ErrClosed)
}

func TestAcceptContext(t *testing.T) {
	l := listen(t, "tcp://127.0.0.1:0")
	ctx, cancel := context.WithCancel(testCtx(t))
	cancel()
	_, err := l.Accept(ctx)
	wantErr(t, err, context.Canceled)
}

func TestIPCFiles(t *testing.T) {
	path := ipcPath(t)
	ep := "ipc://" + path

	// A stale socket file: its listener is gone without removing it.
	stale, err := stdnet.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	stale.(*stdnet.UnixListener).SetUnlinkOnClose(false)
	_ = stale.Close()
	l, err := Listen(testCtx(t), ep)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	if l.Endpoint() != ep {
		t.Errorf("Endpoint() = %q, want %q", l.Endpoint(), ep)
	}
	if _, err := Listen(testCtx(t), ep); err == nil {
		t.Fatal("a second Listen on a live socket succeeded")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket file still there after Close: %v", err)
	}

	if err := os.WriteFile(path, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Listen(testCtx(t), ep)
	wantErr(t, err, ErrBadEndpoint)
	if b, _ := os.ReadFile(path); string(b) != "data" {
		t.Fatal("Listen clobbered a regular file")
	}
}

func TestListenEndpoint(t *testing.T) {
	l := listen(t, "tcp://*:0")
	ep, err := ParseEndpoint(l.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	if _, port, _ := stdnet.SplitHostPort(ep.Addr); port == "0" {
		t.Fatalf("Endpoint() = %q has no real port", l.Endpoint())
	}
	c, _ := connect(t, l)
	if c.PeerSocketType() != Router {
		t.Fatal("no handshake over tcp://*:0")
	}
}
