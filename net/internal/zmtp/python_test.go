package zmtp

import (
	"testing"
	"time"

	"github.com/troupe-go/troupe/internal/testenv"
)

// python is Debian's Python with python3-zmq, which the interop tests need.
var python = testenv.NewPython("zmq")

// startPeer runs testdata/peer.py with args, bounded by timeout; the
// process is killed when the test ends or after its time bound.
func startPeer(t testing.TB, timeout time.Duration, args ...string) *testenv.Peer {
	t.Helper()
	peer := testenv.Script{Python: python, Name: "peer.py", Timeout: timeout, Wait: testTimeout}
	return peer.Start(t, args...)
}
