package zmtp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/troupe-go/troupe/internal/testenv"
)

// testTimeout bounds every blocking step of a test; hitting it is a failure.
const testTimeout = 10 * time.Second

// testCtx returns a context that ends after testTimeout or with the test.
func testCtx(t testing.TB) context.Context { return testenv.Context(t, testTimeout) }

// endpoints returns a fresh tcp and ipc endpoint to listen on.
func endpoints(t testing.TB) map[string]string {
	return map[string]string{"tcp": "tcp://127.0.0.1:0", "ipc": "ipc://" + ipcPath(t)}
}

// ipcPath returns a short socket path in a directory removed after the test.
func ipcPath(t testing.TB) string { return testenv.IPCPath(t, "s.sock") }

func listen(t testing.TB, ep string, opts ...Option) *Listener {
	t.Helper()
	l, err := Listen(testCtx(t), ep, opts...)
	if err != nil {
		t.Fatalf("Listen(%s): %v", ep, err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// connect dials l and accepts the connection: client and server side.
func connect(t testing.TB, l *Listener, opts ...Option) (client, server *Conn) {
	t.Helper()
	ctx := testCtx(t)
	client, err := Dial(ctx, l.Endpoint(), opts...)
	if err != nil {
		t.Fatalf("Dial(%s): %v", l.Endpoint(), err)
	}
	t.Cleanup(func() { _ = client.Close() })
	server, err = l.Accept(ctx)
	if err != nil {
		t.Fatalf("Accept: %v", err)
	}
	t.Cleanup(func() { _ = server.Close() })
	return client, server
}

// sendAsync writes and flushes the messages from another goroutine (so
// large messages do not deadlock against a reader in the test goroutine)
// and returns a channel with the result.
func sendAsync(c *Conn, msgs ...[][]byte) <-chan error {
	done := make(chan error, 1)
	go func() {
		for _, m := range msgs {
			if err := c.WriteMessage(m...); err != nil {
				done <- err
				return
			}
		}
		done <- c.Flush()
	}()
	return done
}

func waitErr(t testing.TB, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(testTimeout):
		t.Fatal("timed out waiting for a result")
		return nil
	}
}

func readMsg(t testing.TB, c *Conn) *Message {
	t.Helper()
	var m Message
	if err := c.ReadMessage(&m); err != nil {
		t.Fatalf("ReadMessage: %v", err)
	}
	return &m
}

func equalFrames(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func wantErr(t testing.TB, err error, targets ...error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", targets)
	}
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Fatalf("error %q does not wrap %q", err, target)
		}
	}
}

func newTestEncoder(w io.Writer) *encoder {
	return &encoder{w: newWriter(w, 4096), maxSize: DefaultMaxMessageSize, maxFrames: DefaultMaxFrames}
}

// frameBytes encodes messages with the package encoder.
func frameBytes(t testing.TB, msgs ...[][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := newTestEncoder(&buf)
	for _, m := range msgs {
		if err := w.message(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
