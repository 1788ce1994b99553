package socket_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/troupe-go/troupe/net/socket"
)

// A PUB bound by Troupe filters at the publisher with the subscriptions a
// libzmq SUB sends: the SUB gets exactly the matching messages, and the
// others are never written to it.
func TestPubToPySub(t *testing.T) {
	for name, ep := range endpointsFor(t) {
		t.Run(name, func(t *testing.T) {
			sys := newSystem(t)
			subs := events(t, sys, socket.TopicSubscription)
			pub, err := socket.Pub(testCtx(t), sys, socket.Bind(ep))
			if err != nil {
				t.Fatal(err)
			}
			py := startPeer(t, "sub", endpoint(t, sys, pub), "a.", "c.")
			for range 2 {
				waitEvent(t, subs, func(e socket.Subscription) bool { return e.Socket == pub && e.Subscribe })
			}
			const n = 100
			var want []socket.Message
			for i := range n {
				topic := fmt.Sprintf("%c.%d", "abc"[i%3], i)
				m := socket.NewMessage([]byte(topic), []byte{}, []byte(strconv.Itoa(i)))
				if !strings.HasPrefix(topic, "b.") {
					want = append(want, m)
				}
				send(t, sys, pub, m)
			}
			send(t, sys, pub, socket.Text("a.END"))
			got := py.messages(t)
			py.Exit(t)
			if len(got) != len(want) {
				t.Fatalf("pyzmq SUB got %d messages, want %d", len(got), len(want))
			}
			for i := range got {
				if !equal(got[i], want[i]) {
					t.Fatalf("message %d: got %q, want %q", i, got[i].Strings(), want[i].Strings())
				}
			}
			st := stats(t, sys, pub)
			if st.Sent != uint64(len(want)+1) || st.Dropped[socket.DropNoSubscriber] != uint64(n-len(want)) {
				t.Errorf("stats: sent %d (want %d), dropped %v (want %d no-subscriber)",
					st.Sent, len(want)+1, st.Dropped, n-len(want))
			}
		})
	}
}

// A SUB connected by Troupe sends its subscription to a libzmq publisher
// (an XPUB, which is libzmq's PUB that shows the subscriptions, so it
// knows when to start) and delivers only matching messages.
func TestPyPubToSub(t *testing.T) {
	sys := newSystem(t)
	c := newCollector(t, sys)
	py := startPeer(t, "xpub", "tcp://127.0.0.1:0", "100")
	ep := py.Line(t, "ENDPOINT")
	sub, err := socket.Sub(testCtx(t), sys, c.ref, []string{"a."}, socket.Connect(ep))
	if err != nil {
		t.Fatal(err)
	}
	if got := py.Line(t, "SUBSCRIBED"); got != "01612e" {
		t.Fatalf("libzmq saw subscription %s, want 01612e (\\x01a.)", got)
	}
	for i := range 100 {
		want := socket.NewMessage([]byte("a."+strconv.Itoa(i)), []byte{}, []byte("payload"))
		if m := c.next(t); !equal(m, want) {
			t.Fatalf("message %d: got %q, want %q", i, m.Strings(), want.Strings())
		}
	}
	if m := c.next(t); !equal(m, socket.Text("a.END")) {
		t.Fatalf("got %q, want a.END", m.Strings())
	}
	py.Exit(t)
	if st := stats(t, sys, sub); st.Received != 101 || st.Filtered != 0 {
		t.Errorf("stats: received %d (want 101), filtered %d (want 0: the publisher filters)", st.Received, st.Filtered)
	}
}

// One libzmq SUB that never reads cannot stall a PUB: another SUB
// receives every message, while the stuck one's queue fills and the
// messages it misses are counted against it.
func TestPubStuckPySubDoesNotStallOthers(t *testing.T) {
	sys := newSystem(t)
	subs := events(t, sys, socket.TopicSubscription)
	pub, err := socket.Pub(testCtx(t), sys, socket.Bind("tcp://127.0.0.1:0"), socket.WithHWM(10_000), socket.WithLinger(0))
	if err != nil {
		t.Fatal(err)
	}
	ep := endpoint(t, sys, pub)
	stuck := startPeer(t, "stucksub", ep)
	waitEvent(t, subs, func(e socket.Subscription) bool { return e.Subscribe })
	healthy := startPeer(t, "countsub", ep)
	waitEvent(t, subs, func(e socket.Subscription) bool { return e.Subscribe })

	const n = 30_000
	payload := make([]byte, 1024)
	for range n {
		send(t, sys, pub, socket.NewMessage([]byte("t"), payload))
	}
	send(t, sys, pub, socket.Text("END"))
	if got := healthy.Line(t, "COUNT"); got != strconv.Itoa(n) {
		t.Errorf("the healthy SUB got %s messages, want all %d", got, n)
	}
	healthy.Exit(t)
	st := stats(t, sys, pub)
	var stuckPeer *socket.PeerStats
	for i := range st.Peers {
		if st.Peers[i].Dropped > 0 {
			stuckPeer = &st.Peers[i]
		}
	}
	if stuckPeer == nil {
		t.Fatalf("no drops counted for the stuck SUB: %+v", st.Peers)
	}
	// Every message is written (some into a flush that is stuck), queued
	// or dropped, but the one the blocked writer may hold between its
	// queue and the connection's buffer.
	accounted := stuckPeer.Sent + stuckPeer.Dropped + uint64(stuckPeer.Queued)
	if stuckPeer.Dropped != st.Dropped[socket.DropHWM] || accounted != n+1 && accounted != n {
		t.Errorf("stuck SUB: sent %d + dropped %d + queued %d, want %d; socket drops %v",
			stuckPeer.Sent, stuckPeer.Dropped, stuckPeer.Queued, n+1, st.Dropped)
	}
	t.Logf("stuck SUB: written %d, queued %d, dropped %d of %d", stuckPeer.Sent, stuckPeer.Queued, stuckPeer.Dropped, n+1)
	_ = stuck.CloseStdin()
	stuck.Exit(t)
}
