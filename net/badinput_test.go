package net

import (
	"errors"
	"io"
	stdnet "net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// rawSend connects to addr with plain TCP, writes b, and waits for the
// node to close the connection.
func rawSend(t *testing.T, addr string, b []byte) {
	t.Helper()
	c, err := stdnet.Dial("tcp", strings.TrimPrefix(addr, "tcp://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(b); err != nil {
		t.Fatalf("raw write: %v", err)
	}
	_ = c.SetReadDeadline(time.Now().Add(testTimeout))
	if _, err := io.Copy(io.Discard, c); err != nil {
		t.Fatalf("waiting for the node to close a bad connection: %v", err)
	}
}

// zmtpSend connects to addr as a ZMTP DEALER, writes one message made of
// frames, and waits for the node to close the connection.
func zmtpSend(t *testing.T, addr string, frames ...[]byte) {
	t.Helper()
	c, err := zmtp.Dial(testContext(t), addr, zmtp.WithMaxFrames(1<<16), zmtp.WithMaxMessageSize(1<<30))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.WriteMessage(frames...); err != nil {
		t.Fatalf("zmtp write: %v", err)
	}
	if err := c.Flush(); err != nil {
		t.Fatalf("zmtp flush: %v", err)
	}
	_ = c.SetReadDeadline(time.Now().Add(testTimeout))
	var m zmtp.Message
	for {
		err := c.ReadMessage(&m)
		// The node closes at the bad frame's header, before reading its
		// body: with bytes left unread, the close is a reset.
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) {
			return
		}
		if err != nil {
			t.Fatalf("waiting for the node to close a bad connection: %v", err)
		}
	}
}

// TestBadInput throws garbage at a node, then checks that it still
// serves a good peer and counted every case.
func TestBadInput(t *testing.T) {
	ctx := testContext(t)
	sysB, b := startNode(t, endpoint(t, "tcp"), WithMaxMessageSize(1024), WithMaxBatch(4))
	spawn(t, sysB, echo(nil), actor.WithName("echo"))

	greeting := make([]byte, 64)
	greeting[0], greeting[9], greeting[10] = 0xFF, 0x7F, 3
	copy(greeting[12:], "CURVE")
	rawSend(t, b.Address(), []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"+strings.Repeat("x", 64)))
	rawSend(t, b.Address(), greeting)
	zmtpSend(t, b.Address(), make([]byte, 2000))                  // over the size limit
	zmtpSend(t, b.Address(), []byte{0x91, 4}, nil, nil, nil, nil) // five frames, over the batch limit
	zmtpSend(t, b.Address(), []byte{0xc1, 0xc1})                  // not msgpack
	zmtpSend(t, b.Address(), []byte{0x92, 9, 9})                  // unknown kind
	zmtpSend(t, b.Address(), []byte{0x91, 5})                     // ACK without its count
	zmtpSend(t, b.Address(), []byte{0x92, 6, 0xc0})               // NEXT first in its message
	zmtpSend(t, b.Address(), []byte{0x91, 4}, []byte{0x92, 6, 1}) // NEXT after a HEARTBEAT

	sysA, _ := startNode(t, endpoint(t, "tcp"))
	if reply, err := sysA.Request(ctx, actor.Ref{Node: b.Address(), Name: "echo"}, msgPing{N: 3}); err != nil || reply != (msgPong{N: 3}) {
		t.Fatalf("request after the bad input: %#v, %v", reply, err)
	}
	if err := b.Close(ctx); err != nil { // joins the handshakes: the counters are final
		t.Fatal(err)
	}
	s := b.Stats()
	if s.HandshakeFailures != 2 || s.TooLarge != 2 || s.Malformed != 5 {
		t.Fatalf("handshake failures %d, too large %d, malformed %d; want 2, 2, 5",
			s.HandshakeFailures, s.TooLarge, s.Malformed)
	}
}

// TestNextRepeatsTheSend sends one SEND and two NEXTs in one message: each
// NEXT is delivered as the SEND with its own body, in order.
func TestNextRepeatsTheSend(t *testing.T) {
	sysB, b := startNode(t, endpoint(t, "tcp"))
	got := make(chan any, 3)
	spawn(t, sysB, echo(got), actor.WithName("echo"))
	c := dialClient(t, b.Address(), zmtp.Dealer)
	send := wire.Append(nil, &wire.Envelope{Kind: wire.Send, To: actor.Ref{Name: "echo"}, Type: TypeString, Body: wire.AppendStr(nil, "a")})
	next := func(s string) []byte {
		return wire.Append(nil, &wire.Envelope{Kind: wire.Next, Body: wire.AppendStr(nil, s)})
	}
	if err := c.c.WriteMessage(send, next("b"), next("c")); err != nil {
		t.Fatal(err)
	}
	if err := c.c.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"a", "b", "c"} {
		if m := recv(t, got, "a message"); m != want {
			t.Fatalf("got %#v, want %q", m, want)
		}
	}
}

// TestMalformedBody checks that a body that does not decode is
// dead-lettered and answered, and the connection stays open.
func TestMalformedBody(t *testing.T) {
	sysB, b := startNode(t, endpoint(t, "tcp"))
	spawn(t, sysB, echo(nil), actor.WithName("echo"))
	dead := deadLetters(t, sysB, 4)
	c := dialClient(t, b.Address(), zmtp.Dealer)
	// SEND to "echo" of a test.ping whose body is a string, corr 7.
	c.send(t, []byte{0x96, 1, 0x93, 0xc0, 0xa4, 'e', 'c', 'h', 'o', 0, 0xc0, 0xa9, 't', 'e', 's', 't', '.', 'p', 'i', 'n', 'g', 0xa1, 'x', 7})
	e := c.recv(t)
	if e.Kind != 3 || e.Corr != 7 || e.Code != 3 {
		t.Fatalf("answer %+v, want ERROR corr 7 code 3 (malformed)", e)
	}
	if d := recv(t, dead, "the dead letter"); d.Target.Name != "echo" {
		t.Fatalf("dead letter %+v", d)
	}
	if s := b.Stats(); s.Malformed != 1 {
		t.Fatalf("Malformed = %d, want 1", s.Malformed)
	}
}
