package socket_test

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/troupe-go/troupe/internal/testenv"
	"github.com/troupe-go/troupe/net/socket"
)

// python is Debian's Python with python3-zmq, which the interop tests need.
var python = testenv.NewPython("zmq")

// A pyPeer is a running testdata/peer.py, killed when the test ends or
// after testTimeout.
type pyPeer struct{ *testenv.Peer }

// startPeer runs testdata/peer.py with args.
func startPeer(t testing.TB, args ...string) pyPeer {
	t.Helper()
	peer := testenv.Script{Python: python, Name: "peer.py", Timeout: testTimeout, Wait: testTimeout}
	return pyPeer{peer.Start(t, args...)}
}

// messages reads "MSG" lines until "COUNT" and returns them.
func (p pyPeer) messages(t testing.TB) []socket.Message {
	t.Helper()
	var msgs []socket.Message
	timer := time.NewTimer(testTimeout)
	defer timer.Stop()
	for {
		select {
		case l, ok := <-p.Lines():
			if !ok {
				t.Fatalf("peer.py exited before COUNT; stderr:\n%s", p.Stderr())
			}
			if rest, found := strings.CutPrefix(l, "MSG "); found {
				msgs = append(msgs, decodeFrames(t, rest))
			} else if strings.HasPrefix(l, "MSG") {
				msgs = append(msgs, decodeFrames(t, ""))
			} else if strings.HasPrefix(l, "COUNT") {
				return msgs
			}
		case <-timer.C:
			t.Fatalf("peer.py printed no COUNT within %v", testTimeout)
		}
	}
}

func decodeFrames(t testing.TB, s string) socket.Message {
	t.Helper()
	var m socket.Message
	for _, h := range strings.Split(s, ",") {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatalf("bad MSG line %q: %v", s, err)
		}
		m.Frames = append(m.Frames, b)
	}
	return m
}
