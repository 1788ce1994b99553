package net

import (
	"errors"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// TestLinkExpires sends to a node that never answers: after the link
// expiry the queued message is dead-lettered, NodeGone is published and
// the link is gone; the next send makes a new link.
func TestLinkExpires(t *testing.T) {
	ctx := testContext(t)
	sys, n := startNode(t, endpoint(t, "tcp"), WithReconnect(5*time.Millisecond, 10*time.Millisecond),
		WithLinkExpiry(100*time.Millisecond))
	dead := deadLetters(t, sys, 4)
	gone := make(chan NodeGone, 2)
	t.Cleanup(sys.SubscribeFunc(TopicNodeGone, func(p actor.Publication) { gone <- p.Message.(NodeGone) }))
	addr := unreachable(t)
	to := actor.Ref{Node: addr, Name: "nobody"}
	if err := sys.Send(ctx, to, msgPing{N: 1}); err != nil {
		t.Fatalf("send to an unreachable node: %v (want it queued)", err)
	}
	if n.Stats().Links != 1 {
		t.Fatalf("links %d, want 1", n.Stats().Links)
	}
	d := recv(t, dead, "the queued message as a dead letter")
	if d.Reason != actor.ReasonRemote || d.Message != (msgPing{N: 1}) {
		t.Fatalf("dead letter %+v, want msgPing 1 for reason remote", d)
	}
	g := recv(t, gone, "NodeGone")
	if g.Node != addr || !errors.Is(g.Reason, ErrNodeDown) {
		t.Fatalf("NodeGone %+v", g)
	}
	if s := n.Stats(); s.Links != 0 || s.RemoteDeadLetters != 1 {
		t.Fatalf("after expiry: links %d, remote dead letters %d; want 0, 1", s.Links, s.RemoteDeadLetters)
	}
	if err := sys.Send(ctx, to, msgPing{N: 2}); err != nil {
		t.Fatal(err)
	}
	if s := n.Stats(); s.Links != 1 || s.RemoteDeadLetters != 1 {
		t.Fatalf("after a new send: links %d, remote dead letters %d; want 1, 1", s.Links, s.RemoteDeadLetters)
	}
	if g := recv(t, gone, "NodeGone of the second link"); g.Node != addr {
		t.Fatalf("NodeGone %+v", g)
	}
	if d := recv(t, dead, "the second message as a dead letter"); d.Message != (msgPing{N: 2}) {
		t.Fatalf("dead letter %+v", d)
	}
}

// TestExpiryCountsFromTheLoss links to a node that works for longer than
// the expiry, then goes away: the link gives up no sooner than the expiry
// after the loss.
func TestExpiryCountsFromTheLoss(t *testing.T) {
	ctx := testContext(t)
	const expiry = 300 * time.Millisecond
	beat := WithHeartbeat(50*time.Millisecond, 4) // both nodes: each judges the other's silence by it
	sysA, _ := startNode(t, endpoint(t, "tcp"), WithLinkExpiry(expiry),
		WithReconnect(5*time.Millisecond, 10*time.Millisecond), beat)
	down := make(chan NodeDown, 1)
	gone := make(chan NodeGone, 1)
	t.Cleanup(sysA.SubscribeFunc(TopicNodeDown, func(p actor.Publication) { down <- p.Message.(NodeDown) }))
	t.Cleanup(sysA.SubscribeFunc(TopicNodeGone, func(p actor.Publication) { gone <- p.Message.(NodeGone) }))
	sysB, b := startNode(t, endpoint(t, "tcp"), beat)
	spawn(t, sysB, echo(nil), actor.WithName("echo"))
	echoRef := actor.Ref{Node: b.Address(), Name: "echo"}
	if _, err := sysA.Request(ctx, echoRef, msgPing{N: 1}); err != nil {
		t.Fatal(err)
	}
	select { // the link has been up for longer than the expiry
	case <-time.After(2 * expiry):
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	}
	if _, err := sysA.Request(ctx, echoRef, msgPing{N: 2}); err != nil {
		t.Fatalf("the link did not outlive the expiry while up: %v", err)
	}
	if err := b.Close(ctx); err != nil {
		t.Fatal(err)
	}
	recv(t, down, "NodeDown")
	lost := time.Now()
	recv(t, gone, "NodeGone")
	if waited := time.Since(lost); waited < expiry-20*time.Millisecond { // the loss was noticed a little before NodeDown
		t.Fatalf("the link gave up %v after losing its node, before the expiry (%v)", waited, expiry)
	}
}
