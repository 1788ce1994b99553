package net

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// TestHeartbeatsOfDifferentNodes links a node with a short heartbeat
// (30 ms × 3) to one with a long one (300 ms): the idle slow node sends a
// heartbeat only every 300 ms, and the fast one, told so in HELLO, waits
// for three of those before it declares it silent, instead of declaring
// it down between every two.
func TestHeartbeatsOfDifferentNodes(t *testing.T) {
	ctx := testContext(t)
	sysA, a := startNode(t, endpoint(t, "tcp"), WithHeartbeat(30*time.Millisecond, 3))
	downs := make(chan NodeDown, 16)
	t.Cleanup(sysA.SubscribeFunc(TopicNodeDown, func(p actor.Publication) { downs <- p.Message.(NodeDown) }))
	sysB, b := startNode(t, endpoint(t, "tcp"), WithHeartbeat(300*time.Millisecond, 3))
	spawn(t, sysB, echo(nil), actor.WithName("echo"))
	echoRef := actor.Ref{Node: b.Address(), Name: "echo"}
	if _, err := sysA.Request(ctx, echoRef, msgPing{N: 1}); err != nil {
		t.Fatal(err)
	}
	select { // the link idles through three of the slow node's heartbeats
	case d := <-downs:
		t.Fatalf("the slow node was declared down between its heartbeats: %v", d.Reason)
	case <-time.After(time.Second):
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	}
	if _, err := sysA.Request(ctx, echoRef, msgPing{N: 2}); err != nil {
		t.Fatal(err)
	}
	if s := a.Stats(); s.NodeDowns != 0 || s.Reconnects != 0 {
		t.Fatalf("%d node-downs and %d reconnects on an idle, healthy link, want none", s.NodeDowns, s.Reconnects)
	}
}

// TestNoStallBetweenRequests sends sequential requests over links whose
// heartbeat is long: a SEND that a link's goroutine failed to notice (a
// lost wake-up) would wait for the next heartbeat tick, 5 s, and miss
// its 2 s deadline. The link's goroutine yields between finding its queue
// empty and going to sleep, where a SEND slipped in unnoticed before.
func TestNoStallBetweenRequests(t *testing.T) {
	testHookIdle = func() {
		for range 20 {
			runtime.Gosched()
		}
	}
	t.Cleanup(func() { testHookIdle = nil })
	beat := WithHeartbeat(5*time.Second, 3)
	sysA, _ := startNode(t, endpoint(t, "tcp"), beat)
	sysB, b := startNode(t, endpoint(t, "tcp"), beat)
	spawn(t, sysB, echo(nil), actor.WithName("echo"))
	echoRef := actor.Ref{Node: b.Address(), Name: "echo"}
	for i := range 3000 {
		ctx, cancel := context.WithTimeout(testContext(t), 2*time.Second)
		_, err := sysA.Request(ctx, echoRef, msgPing{N: int64(i)})
		cancel()
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
}
