package net_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net"
	"github.com/troupe-go/troupe/net/internal/testnode/testmsg"
)

// killStream is the number of ticks streamed across the kill.
const killStream = 20_000

// testKill9 kills the peer process with SIGKILL in the middle of a stream
// of killStream ticks from a node of this process to the peer's counter,
// then restarts the peer on the same endpoint. It checks that:
//
//   - a watcher of the peer's counter gets Terminated (ErrNodeDown) within
//     heartbeat × liveness + 1 s of the kill;
//   - the links recover by themselves: NodeUp, and a later request
//     succeeds;
//   - every tick is accounted for: acknowledged on the connection that
//     died, dead-lettered (ReasonRemote, and counted by the node) because
//     it was written there but never acknowledged, dropped by the link's
//     queue (counted), or counted by the restarted counter, which must
//     have received, in order and without gaps, every tick written on the
//     new connection.
//
// The stream comes from a node of its own (streamer), so that its
// counters hold the stream and nothing else; the watch and the requests
// come from another (local).
func testKill9(t *testing.T, bin string, endpoint func(*testing.T, string) string) {
	peer := startProc(t, bin, endpoint(t, "peer"))
	local := startNode(t, endpoint(t, "local"), nodeOpts()...)
	// Close drains the streaming node's queue: give it time enough.
	streamer := startNode(t, endpoint(t, "streamer"), append(nodeOpts(), net.WithLinger(nodeTimeout))...)
	ctx := ctxFor(t)

	counter, err := local.sys.LookupOn(ctx, peer.addr, "counter")
	if err != nil {
		t.Fatal(err)
	}
	notices := local.watcher(t, counter)
	if _, err := local.sys.Request(ctx, counter, testmsg.Count{}); err != nil {
		t.Fatalf("request before the kill: %v", err) // the watch is registered on the peer by now
	}
	ups, downs := nodeEvents(t, streamer.sys, peer.addr)
	half, sent := stream(streamer, actor.Ref{Node: peer.addr, Name: "counter"})
	epoch := awaitEvent(t, ups, "NodeUp on the streaming node")

	<-half
	peer.kill9(t)
	killed := time.Now()
	tm := awaitTerminated(t, notices, counter, procHeartbeat*procLiveness+time.Second)
	if d := time.Since(killed); !errors.Is(tm.Reason, net.ErrNodeDown) {
		t.Errorf("Terminated after %v with %v, want a reason matching ErrNodeDown", d, tm.Reason)
	}
	awaitEvent(t, downs, "NodeDown on the streaming node")
	// The streaming link waits for the peer now and writes nothing until
	// it answers HELLO again: what it wrote so far went to the dead peer.
	before := streamer.node.Stats()

	peer = startProc(t, bin, peer.addr) // the same endpoint
	if e := awaitEvent(t, ups, "NodeUp on the streaming node after the restart"); e == epoch {
		t.Fatalf("NodeUp after the restart has the old epoch %d", e)
	}
	sendErrs := <-sent
	if err := streamer.node.Close(ctx); err != nil { // writes what is queued, waits for its ACKs
		t.Fatalf("close the streaming node: %v", err)
	}
	after := streamer.node.Stats()

	got, err := local.sys.Request(ctx, actor.Ref{Node: peer.addr, Name: "counter"}, testmsg.Count{})
	c, ok := got.(testmsg.Counted)
	if err != nil || !ok {
		t.Fatalf("request to the restarted counter: %#v, %v", got, err)
	}
	checkAccounts(t, before, after, c, streamer.sys.DeadLetters(), sendErrs)
	peer.exitedCleanly(t)
}

// stream sends killStream ticks from n to target on a goroutine of its
// own. half is closed once half of them are queued; sent yields the
// number of Sends that failed once all are done.
func stream(n *testNode, target actor.Ref) (half <-chan struct{}, sent <-chan uint64) {
	h, s := make(chan struct{}), make(chan uint64, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), procTimeout)
		defer cancel()
		var failed uint64
		for i := uint64(1); i <= killStream; i++ {
			if err := n.sys.Send(ctx, target, testmsg.Tick{Seq: i}); err != nil {
				failed++
			}
			if i == killStream/2 {
				close(h)
			}
		}
		s <- failed
	}()
	return h, s
}

// checkAccounts checks that every tick of the stream is accounted for.
// before is the streaming node's counters while the peer was dead, after
// them once the node was closed, c the restarted counter's.
func checkAccounts(t *testing.T, before, after net.NodeStats, c testmsg.Counted, dead actor.DeadLetterCounts, sendErrs uint64) {
	t.Helper()
	writtenOld := before.EnvelopesOut
	lostOld := before.RemoteDeadLetters
	ackedOld := writtenOld - lostOld
	writtenNew := after.EnvelopesOut - writtenOld
	dropped := after.QueueDropped + after.QueueRefused
	t.Logf("ticks: %d acknowledged by the killed peer, %d lost with it, %d written to the new peer, "+
		"%d counted there (last %d, %d gaps), %d dropped or refused, %d Send errors",
		ackedOld, lostOld, writtenNew, c.N, c.Last, c.Gaps, dropped, sendErrs)
	if after.RemoteDeadLetters != lostOld {
		t.Errorf("%d remote dead letters in the end, %d when the peer died: the new connection lost some",
			after.RemoteDeadLetters, lostOld)
	}
	if dead[actor.ReasonRemote] != lostOld {
		t.Errorf("the system has %d ReasonRemote dead letters, the node counted %d", dead[actor.ReasonRemote], lostOld)
	}
	if c.N != writtenNew {
		t.Errorf("the restarted counter got %d ticks, %d were written to it", c.N, writtenNew)
	}
	if c.N > 0 && (c.Last != killStream || c.Gaps != 0) {
		t.Errorf("the restarted counter saw last tick %d with %d gaps, want %d and no gaps", c.Last, c.Gaps, killStream)
	}
	if sum := ackedOld + lostOld + c.N + dropped; sum != killStream || sendErrs != dropped {
		t.Errorf("delivered %d + lost %d + delivered after the restart %d + dropped %d = %d, want %d (Send errors: %d)",
			ackedOld, lostOld, c.N, dropped, sum, killStream, sendErrs)
	}
}

// nodeEvents subscribes to NodeUp and NodeDown events about node: ups
// yields the epoch of each NodeUp.
func nodeEvents(t *testing.T, sys *actor.System, node string) (ups <-chan uint64, downs <-chan struct{}) {
	u, d := make(chan uint64, 16), make(chan struct{}, 16)
	unsub := sys.SubscribeFunc(actor.TopicEvents+"node", func(p actor.Publication) {
		switch ev := p.Message.(type) {
		case net.NodeUp:
			if ev.Node == node {
				select {
				case u <- ev.Epoch:
				default:
				}
			}
		case net.NodeDown:
			if ev.Node == node {
				select {
				case d <- struct{}{}:
				default:
				}
			}
		}
	})
	t.Cleanup(unsub)
	return u, d
}

// awaitEvent waits for one event, at most nodeTimeout.
func awaitEvent[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	timer := time.NewTimer(nodeTimeout)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatalf("no %s within %v", what, nodeTimeout)
	}
	var zero T
	return zero
}
