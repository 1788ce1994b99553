package socket_test

import (
	"log/slog"
	"strconv"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net/internal/zmtp"
	"github.com/troupe-go/troupe/net/socket"
)

// A connecting PUSH survives its peer going away and coming back: what
// it accepts meanwhile is held and delivered to the new peer.
func TestPushReconnects(t *testing.T) {
	sys := newSystem(t)
	ep := ipcEndpoint(t)
	up, down := events(t, sys, socket.TopicPeerUp), events(t, sys, socket.TopicPeerDown)
	push, err := socket.Push(testCtx(t), sys, socket.Connect(ep), socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		c := newCollector(t, sys)
		pull, err := socket.Pull(testCtx(t), sys, c.ref, socket.Bind(ep))
		if err != nil {
			t.Fatal(err)
		}
		if round == 0 {
			peersUp(t, up, push, 1)
		}
		for i := range 100 {
			send(t, sys, push, testMessage(round*100+i))
		}
		for i := range 100 {
			if m := c.next(t); !equal(m, testMessage(round*100+i)) {
				t.Fatalf("round %d, message %d: got %q", round, i, m.Strings())
			}
		}
		stop(t, sys, pull)
		waitEvent(t, down, func(e socket.PeerDown) bool { return e.Socket == push })
		// While the peer is away, messages are held for the next one.
		for i := range 100 {
			send(t, sys, push, testMessage(round*100+i))
		}
		if st := stats(t, sys, push); st.Queued != 100 {
			t.Fatalf("round %d: %d messages held, want 100", round, st.Queued)
		}
		c2 := newCollector(t, sys)
		pull2, err := socket.Pull(testCtx(t), sys, c2.ref, socket.Bind(ep))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 100 {
			if m := c2.next(t); !equal(m, testMessage(round*100+i)) {
				t.Fatalf("round %d, after reconnecting, message %d: got %q", round, i, m.Strings())
			}
		}
		stop(t, sys, pull2)
		waitEvent(t, down, func(e socket.PeerDown) bool { return e.Socket == push })
	}
	if st := stats(t, sys, push); st.Dropped.Total() != 0 || st.Sent != 600 {
		t.Errorf("PUSH sent %d (want 600), dropped %v", st.Sent, st.Dropped)
	}
}

// When one of two peers goes away, what was queued for it goes to the
// other: nothing is lost with it but what was already written to its
// connection.
func TestPushRequeuesToOtherPeer(t *testing.T) {
	sys := newSystem(t)
	up, down := events(t, sys, socket.TopicPeerUp), events(t, sys, socket.TopicPeerDown)
	push, err := socket.Push(testCtx(t), sys, socket.Bind(ipcEndpoint(t)), socket.WithHWM(100))
	if err != nil {
		t.Fatal(err)
	}
	ep := endpoint(t, sys, push)
	// The first PULL's target takes one message and blocks, so the
	// connection backs up and the PUSH queues for it.
	stuck := make(chan struct{})
	defer close(stuck)
	first, err := socket.Pull(testCtx(t), sys, blockedTarget(t, sys, stuck), socket.Connect(ep))
	if err != nil {
		t.Fatal(err)
	}
	peersUp(t, up, push, 1)
	const n = 250 // fits: 4 KiB messages fill the connection after a few dozen
	big := make([]byte, 4096)
	for i := range n {
		send(t, sys, push, socket.NewMessage([]byte(strconv.Itoa(i)), big))
	}
	c := newCollector(t, sys)
	if _, err := socket.Pull(testCtx(t), sys, c.ref, socket.Connect(ep)); err != nil {
		t.Fatal(err)
	}
	peersUp(t, up, push, 1)
	if before := stats(t, sys, push); len(before.Peers) != 2 || before.Peers[0].Queued == 0 {
		t.Fatalf("want the first peer's queue to hold messages: %+v", before.Peers)
	}
	// The first PULL stops reading as it stops (its target has no room:
	// see TestStoppingPullStopsReading), so its connection stays full and
	// what the PUSH queued for it is still queued when it closes.
	stop(t, sys, first)
	e := waitEvent(t, down, func(e socket.PeerDown) bool { return e.Socket == push })
	if e.Requeued == 0 {
		t.Fatal("no message requeued from the peer that left")
	}
	// END comes after the requeued messages: they were put back at the
	// head of the queue when the peer went down.
	send(t, sys, push, socket.Text("END"))
	seen := make(map[string]bool)
	received := 0
	for m := c.next(t); string(m.Frames[0]) != "END"; m = c.next(t) {
		seen[string(m.Frames[0])] = true
		received++
	}
	if len(seen) != received {
		t.Errorf("the second PULL got %d messages, %d distinct", received, len(seen))
	}
	// Every message was written to one of the peers, or counted as lost
	// in the batch the first peer's writer had not flushed.
	after := stats(t, sys, push)
	lost := after.Dropped[socket.DropDisconnected]
	if after.Queued != 0 || after.Sent-1+lost != n || after.Dropped.Total() != lost {
		t.Errorf("after: sent %d (END included) + lost %d, want %d; queued %d, dropped %v",
			after.Sent, lost, n, after.Queued, after.Dropped)
	}
	t.Logf("%d requeued from the peer that left, %d lost with it, %d delivered by the second", e.Requeued, lost, received)
}

// A stopping PULL whose target has no room stops reading: the messages
// still on its connection stay unread, where they cost the peer nothing
// more than the connection's buffer (a PUSH keeps the rest queued and
// hands it to its other peers, as above), instead of being read only to
// be dropped.
func TestStoppingPullStopsReading(t *testing.T) {
	sys := newSystem(t)
	up := events(t, sys, socket.TopicPeerUp)
	logger, logs := recordLogsFrom(slog.LevelDebug)
	stuck := make(chan struct{})
	defer close(stuck)
	pull, err := socket.Pull(testCtx(t), sys, blockedTarget(t, sys, stuck),
		socket.Bind(ipcEndpoint(t)), socket.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	peer, err := zmtp.Dial(testCtx(t), endpoint(t, sys, pull), zmtp.WithSocketType(zmtp.Push))
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	peersUp(t, up, pull, 1)
	const n = 100 // small: they all fit in the connection's buffers
	for i := range n {
		if err := peer.WriteMessage([]byte(strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := peer.Flush(); err != nil {
		t.Fatal(err)
	}
	// The target takes one message and its mailbox one more: the reader
	// holds the third until the socket stops, and reads no further.
	for i := 0; stats(t, sys, pull).Received < 3; i++ {
		if i == 1_000_000 {
			t.Fatal("the PULL never read a third message")
		}
	}
	stop(t, sys, pull)
	closed := waitLog(t, logs, func(r slog.Record) bool { return r.Message == "socket: closed" })
	if received, dropped := attr(closed, "received"), attr(closed, "dropped"); received != "3" || dropped != "1" {
		t.Errorf("the stopped PULL received %s messages and dropped %s, want 3 and 1", received, dropped)
	}
}

// blockedTarget returns an actor that blocks on its first message until
// release is closed.
func blockedTarget(t *testing.T, sys *actor.System, release <-chan struct{}) actor.Ref {
	ref, err := sys.Spawn(testCtx(t), actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(socket.Message); ok {
			<-release
		}
		return nil
	}), actor.WithMailbox(mailbox.WithCapacity(1)))
	if err != nil {
		t.Fatal(err)
	}
	return ref
}
