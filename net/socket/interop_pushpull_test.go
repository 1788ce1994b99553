package socket_test

import (
	"testing"

	"github.com/troupe-go/troupe/net/socket"
)

// endpointsFor returns a tcp and an ipc endpoint for a Go socket to bind.
func endpointsFor(t *testing.T) map[string]string {
	return map[string]string{"tcp": "tcp://127.0.0.1:0", "ipc": ipcEndpoint(t)}
}

// A PUSH bound by Troupe feeds a libzmq PULL: multipart messages with
// empty frames arrive whole and in order.
func TestPushToPyPull(t *testing.T) {
	for name, ep := range endpointsFor(t) {
		t.Run(name, func(t *testing.T) {
			sys := newSystem(t)
			up := events(t, sys, socket.TopicPeerUp)
			push, err := socket.Push(testCtx(t), sys, socket.Bind(ep))
			if err != nil {
				t.Fatal(err)
			}
			py := startPeer(t, "pull", endpoint(t, sys, push))
			peersUp(t, up, push, 1)
			const n = 200
			for i := range n {
				send(t, sys, push, testMessage(i))
			}
			send(t, sys, push, socket.Text("END"))
			got := py.messages(t)
			py.Exit(t)
			if len(got) != n {
				t.Fatalf("pyzmq PULL got %d messages, want %d", len(got), n)
			}
			for i, m := range got {
				if !equal(m, testMessage(i)) {
					t.Fatalf("message %d: got %q, want %q", i, m.Strings(), testMessage(i).Strings())
				}
			}
			if st := stats(t, sys, push); st.Sent != n+1 || st.Dropped.Total() != 0 {
				t.Errorf("stats: sent %d (want %d), dropped %v", st.Sent, n+1, st.Dropped)
			}
		})
	}
}

// A libzmq PUSH feeds a PULL bound by Troupe, which delivers every
// message whole to its target actor.
func TestPyPushToPull(t *testing.T) {
	for name, ep := range endpointsFor(t) {
		t.Run(name, func(t *testing.T) {
			sys := newSystem(t)
			c := newCollector(t, sys)
			pull, err := socket.Pull(testCtx(t), sys, c.ref, socket.Bind(ep))
			if err != nil {
				t.Fatal(err)
			}
			const n = 500
			py := startPeer(t, "push", endpoint(t, sys, pull), "500")
			for i := range n {
				if m := c.next(t); !equal(m, testMessage(i)) {
					t.Fatalf("message %d: got %q, want %q", i, m.Strings(), testMessage(i).Strings())
				}
			}
			if m := c.next(t); !equal(m, socket.Text("END")) {
				t.Fatalf("got %q after %d messages, want END", m.Strings(), n)
			}
			py.Exit(t)
			if st := stats(t, sys, pull); st.Received != n+1 || st.Dropped.Total() != 0 {
				t.Errorf("stats: received %d (want %d), dropped %v", st.Received, n+1, st.Dropped)
			}
		})
	}
}

// PUSH round-robins over its peers as libzmq does: two pyzmq PULLs get
// half of the messages each, to within one.
func TestPushRoundRobinTwoPyPulls(t *testing.T) {
	sys := newSystem(t)
	up := events(t, sys, socket.TopicPeerUp)
	push, err := socket.Push(testCtx(t), sys, socket.Bind("tcp://127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	ep := endpoint(t, sys, push)
	a, b := startPeer(t, "pull", ep), startPeer(t, "pull", ep)
	peersUp(t, up, push, 2)
	const n = 1001
	for i := range n {
		send(t, sys, push, testMessage(i))
	}
	send(t, sys, push, socket.Text("END"))
	send(t, sys, push, socket.Text("END"))
	ga, gb := a.messages(t), b.messages(t)
	a.Exit(t)
	b.Exit(t)
	if len(ga)+len(gb) != n {
		t.Fatalf("the PULLs got %d + %d messages, want %d in all", len(ga), len(gb), n)
	}
	if d := len(ga) - len(gb); d < -1 || d > 1 {
		t.Errorf("uneven split: %d and %d", len(ga), len(gb))
	}
	seen := make(map[string]bool)
	for _, m := range append(ga, gb...) {
		seen[string(m.Frames[0])] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct messages, want %d", len(seen), n)
	}
}

// A PUSH that connects before its peer exists holds the messages (up to
// the HWM) and hands them over once the peer is up: nothing is lost to a
// late peer.
func TestPushQueuesBeforePyPullBinds(t *testing.T) {
	sys := newSystem(t)
	ep := ipcEndpoint(t)
	push, err := socket.Push(testCtx(t), sys, socket.Connect(ep), socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	const n = 100
	for i := range n {
		send(t, sys, push, testMessage(i))
	}
	if st := stats(t, sys, push); st.Queued != n || len(st.Peers) != 0 {
		t.Fatalf("before the peer: queued %d, peers %d; want %d, 0", st.Queued, len(st.Peers), n)
	}
	send(t, sys, push, socket.Text("END"))
	py := startPeer(t, "pull", ep, "--bind")
	got := py.messages(t)
	py.Exit(t)
	if len(got) != n {
		t.Fatalf("pyzmq PULL got %d messages, want %d", len(got), n)
	}
	for i, m := range got {
		if !equal(m, testMessage(i)) {
			t.Fatalf("message %d: got %q", i, m.Strings())
		}
	}
}
