package zmtp

import (
	"bytes"
	"context"
	"io"
	stdnet "net"
	"testing"

	"github.com/go-zeromq/zmq4"
)

// A rawPeer is a hand-written ZMTP server on a plain TCP listener, for
// byte-exact tests.
type rawPeer struct {
	t        testing.TB
	ln       stdnet.Listener
	endpoint string
	conn     stdnet.Conn
	done     chan struct{}
}

func newRawPeer(t testing.TB) *rawPeer {
	var lc stdnet.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &rawPeer{t: t, ln: ln, endpoint: "tcp://" + ln.Addr().String(), done: make(chan struct{})}
	t.Cleanup(func() {
		_ = ln.Close()
		<-p.done
		if p.conn != nil {
			_ = p.conn.Close()
		}
	})
	return p
}

// serve accepts one connection, runs f on it, then drains it until the
// other side closes (so that closing does not reset unread data).
func (p *rawPeer) serve(f func(*rawPeer)) {
	defer close(p.done)
	conn, err := p.ln.Accept()
	if err != nil {
		return
	}
	p.conn = conn
	f(p)
	_, _ = io.Copy(io.Discard, conn)
}

func (p *rawPeer) write(b []byte) {
	if _, err := p.conn.Write(b); err != nil {
		p.t.Errorf("raw peer write: %v", err)
	}
}

// greeting returns a ZMTP 3.0 greeting for a mechanism.
func greeting(mech string) []byte {
	g := make([]byte, greetingSize)
	g[0], g[9], g[10], g[11] = 0xFF, 0x7F, 3, 0
	copy(g[12:32], mech)
	return g
}

// readyCmd returns a READY command frame announcing a socket type.
func readyCmd(t testing.TB, socketType string) []byte {
	md, err := zmq4.Metadata{propSocketType: socketType}.MarshalZMTP()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	e := newTestEncoder(&buf)
	if err := e.command(zmq4.CmdReady, md); err != nil {
		t.Fatal(err)
	}
	_ = e.w.Flush()
	return buf.Bytes()
}
