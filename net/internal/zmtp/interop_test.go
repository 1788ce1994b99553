package zmtp

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// peerTimeout bounds each Python peer process.
const peerTimeout = 30 * time.Second

// TestInteropLibzmqDealer: a pyzmq DEALER talks to our ROUTER listener
// (multipart, empty frames, > 255 bytes, 1 MiB) over tcp and ipc.
func TestInteropLibzmqDealer(t *testing.T) {
	python.Require(t)
	for tr, ep := range endpoints(t) {
		t.Run(tr, func(t *testing.T) {
			l := listen(t, ep)
			py := startPeer(t, peerTimeout, "dealer", l.Endpoint())
			s := acceptSession(t, l)
			if err := s.echo(t); !errors.Is(err, io.EOF) {
				t.Fatalf("connection ended with %v, want io.EOF", err)
			}
			py.Line(t, "DONE")
			py.Exit(t)
			if got := string(s.c.PeerIdentity()); got != "py-dealer" || s.c.PeerSocketType() != Dealer {
				t.Errorf("peer %s identity %q, want DEALER py-dealer", s.c.PeerSocketType(), got)
			}
		})
	}
}

func acceptSession(t testing.TB, l *Listener) *session {
	t.Helper()
	c, err := l.Accept(testCtx(t))
	if err != nil {
		t.Fatalf("Accept: %v", err)
	}
	return startSession(t, c)
}

// TestInteropHeartbeat: a pyzmq DEALER with ZMQ_HEARTBEAT_IVL=100 ms and
// HEARTBEAT_TIMEOUT=300 ms stays connected 1.5 s (our PONGs keep it
// alive) and still exchanges messages; it checks it never disconnected.
func TestInteropHeartbeat(t *testing.T) {
	python.Require(t)
	l := listen(t, "tcp://127.0.0.1:0")
	py := startPeer(t, peerTimeout, "dealer", l.Endpoint(), "--heartbeat")
	s := acceptSession(t, l)
	if err := s.echo(t); !errors.Is(err, io.EOF) {
		t.Fatalf("connection ended with %v, want io.EOF", err)
	}
	py.Line(t, "DONE")
	py.Exit(t)
	if n := s.pings.Load(); n < 5 {
		t.Errorf("answered %d PINGs in 1.5 s at 100 ms, want at least 5", n)
	}
	if st := l.Stats(); st.Accepted != 1 {
		t.Errorf("%d connections accepted, want 1 (a reconnect means a PONG was missed)", st.Accepted)
	}
	t.Logf("answered %d PINGs", s.pings.Load())
}

// TestInteropPlain: pyzmq as a PLAIN client, with good and bad credentials.
func TestInteropPlain(t *testing.T) {
	python.Require(t)
	onFail, failed := failures()
	l := listen(t, "tcp://127.0.0.1:0", WithPlainServer(checkCreds), onFail)
	py := startPeer(t, peerTimeout, "dealer", l.Endpoint(), "--plain", "alice", "secret")
	s := acceptSession(t, l)
	if err := s.echo(t); !errors.Is(err, io.EOF) {
		t.Fatalf("connection ended with %v, want io.EOF", err)
	}
	py.Line(t, "DONE")
	py.Exit(t)

	bad := startPeer(t, peerTimeout, "badauth", l.Endpoint(), "alice", "wrong")
	wantErr(t, nextFailure(t, failed), ErrAuthFailed)
	t.Logf("libzmq event: %s", bad.Line(t, "REFUSED"))
	bad.Exit(t)
	if st := l.Stats(); st.Accepted != 1 {
		t.Errorf("stats %+v: want only the good client accepted", st)
	}
}

// TestInteropPlainLibzmqServer: our DEALER against a pyzmq PLAIN server
// (ZAP): good credentials work, bad ones fail with ErrAuthFailed although
// libzmq 4.3 misspells its ERROR command.
func TestInteropPlainLibzmqServer(t *testing.T) {
	python.Require(t)
	py := startPeer(t, peerTimeout, "router", "tcp://127.0.0.1:*", "go-dealer", "--plain-server", "alice", "secret")
	ep := py.Line(t, "ENDPOINT")
	_, err := Dial(testCtx(t), ep, WithPlain("alice", "wrong"))
	wantErr(t, err, ErrHandshake, ErrAuthFailed)
	t.Logf("client error: %v", err)
	c, err := Dial(testCtx(t), ep, WithPlain("alice", "secret"), WithIdentity([]byte("go-dealer")))
	if err != nil {
		t.Fatal(err)
	}
	s := startSession(t, c)
	s.send(t, outItem{frames: [][]byte{[]byte("quit")}})
	if got := s.recv(t); len(got) != 1 || string(got[0]) != "bye" {
		t.Fatalf("got %q, want bye", got)
	}
	py.Line(t, "DONE")
	py.Exit(t)
}

// TestInteropLibzmqRouter: our DEALER dials a pyzmq ROUTER (tcp and ipc),
// which sees our identity, echoes multipart messages and answers PING.
func TestInteropLibzmqRouter(t *testing.T) {
	python.Require(t)
	for tr, ep := range map[string]string{"tcp": "tcp://127.0.0.1:*", "ipc": "ipc://" + ipcPath(t)} {
		t.Run(tr, func(t *testing.T) {
			py := startPeer(t, peerTimeout, "router", ep, "go-dealer", "--heartbeat")
			bound := py.Line(t, "ENDPOINT")
			c, err := Dial(testCtx(t), bound, WithIdentity([]byte("go-dealer")))
			if err != nil {
				t.Fatal(err)
			}
			s := startSession(t, c)
			msgs := [][][]byte{
				{[]byte("one")},
				{{}, []byte("empty first"), {}},
				{[]byte(strings.Repeat("y", 300)), []byte("z")},
				{[]byte("big"), []byte(strings.Repeat("0123456789abcdef", 1<<16))},
			}
			for _, m := range msgs {
				s.send(t, outItem{frames: m})
			}
			for i, want := range msgs {
				if got := s.recv(t); !equalFrames(got, want) {
					t.Fatalf("echo %d: got %d frames, want %d", i, len(got), len(want))
				}
			}
			s.send(t, outItem{cmd: CmdPing, ctx: []byte("ctx-42")})
			select {
			case ctx := <-s.pongs:
				if string(ctx) != "ctx-42" {
					t.Fatalf("PONG context %q, want ctx-42", ctx)
				}
			case <-time.After(testTimeout):
				t.Fatal("no PONG from libzmq")
			}
			s.send(t, outItem{frames: [][]byte{[]byte("quit")}})
			if got := s.recv(t); len(got) != 1 || string(got[0]) != "bye" {
				t.Fatalf("got %q, want bye", got)
			}
			py.Line(t, "DONE")
			py.Exit(t)
			if c.PeerSocketType() != Router {
				t.Errorf("peer socket type %s", c.PeerSocketType())
			}
		})
	}
}
