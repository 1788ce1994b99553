package net

import (
	"errors"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// watcher spawns an actor that watches target and sends every Terminated
// it gets to the returned channel.
func watcher(t *testing.T, sys *actor.System, target actor.Ref) <-chan actor.Terminated {
	t.Helper()
	ch := make(chan actor.Terminated, 4)
	spawn(t, sys, actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case actor.Started:
			_ = p.Watch(target) // an error comes as a Terminated too
		case actor.Terminated:
			ch <- m
		}
		return nil
	}))
	return ch
}

func TestWatchAndStop(t *testing.T) {
	transports(t, func(t *testing.T, tr string) {
		ctx := testContext(t)
		sysA, _ := startNode(t, endpoint(t, tr))
		sysB, b := startNode(t, endpoint(t, tr))
		target := spawn(t, sysB, echo(nil), actor.WithName("target"))
		target.Node = b.Address()
		notices := watcher(t, sysA, target)

		// The watch is registered once the remote node actor has handled
		// it; a request through the same link is answered after it.
		if _, err := sysA.Request(ctx, target, msgPing{N: 1}); err != nil {
			t.Fatalf("request: %v", err)
		}
		if err := sysA.Stop(ctx, target); err != nil {
			t.Fatalf("remote stop: %v", err)
		}
		if sysB.Alive(target) {
			t.Fatal("target still alive after a remote Stop returned")
		}
		n := recv(t, notices, "Terminated")
		if n.Ref != target || !errors.Is(n.Reason, actor.ErrNormal) {
			t.Fatalf("Terminated{%v, %v}, want the target with ErrNormal", n.Ref, n.Reason)
		}
		if err := sysA.Stop(ctx, target); err != nil {
			t.Fatalf("stopping a dead remote actor: %v, want nil", err)
		}
		select {
		case n := <-notices:
			t.Fatalf("a second Terminated: %v", n)
		default:
		}
	})
}

func TestWatchDeadRemoteActor(t *testing.T) {
	sysA, _ := startNode(t, endpoint(t, "tcp"))
	_, b := startNode(t, endpoint(t, "tcp"))
	gone := actor.Ref{Node: b.Address(), Name: "never", ID: 42}
	n := recv(t, watcher(t, sysA, gone), "Terminated for a dead actor")
	if n.Ref != gone || !errors.Is(n.Reason, actor.ErrNotFound) {
		t.Fatalf("Terminated{%v, %v}, want ErrNotFound", n.Ref, n.Reason)
	}
}

func TestNodeDownOnClose(t *testing.T) {
	ctx := testContext(t)
	sysA, a := startNode(t, endpoint(t, "tcp"))
	sysB, b := startNode(t, endpoint(t, "tcp"))
	target := spawn(t, sysB, echo(nil), actor.WithName("target"))
	target.Node = b.Address()
	arrived := make(chan struct{}, 1)
	silent := spawn(t, sysB, actor.Func(func(p *actor.Process) error { // never answers
		if _, ok := p.Message().(msgPing); ok {
			arrived <- struct{}{}
		}
		return nil
	}), actor.WithName("silent"))
	silent.Node = b.Address()
	events := make(chan any, 4)
	unsub := sysA.SubscribeFunc(actor.TopicEvents+"node", func(p actor.Publication) { events <- p.Message })
	defer unsub()
	notices := watcher(t, sysA, target)
	if _, err := sysA.Request(ctx, target, msgPing{}); err != nil {
		t.Fatalf("request: %v", err)
	}
	if up, ok := recv(t, events, "NodeUp").(NodeUp); !ok || up.Node != b.Address() {
		t.Fatalf("first event %#v, want NodeUp for %s", up, b.Address())
	}
	pending := make(chan error, 1)
	go func() { // a request that the silent actor never answers
		_, err := sysA.Request(ctx, silent, msgPing{})
		pending <- err
	}()
	recv(t, arrived, "the request at the silent actor") // in flight now

	// Closing the node (not its system: the actors would say goodbye)
	// cuts the link.
	if err := b.Close(ctx); err != nil {
		t.Fatalf("close B: %v", err)
	}
	n := recv(t, notices, "Terminated after node down")
	if n.Ref != target || !errors.Is(n.Reason, ErrNodeDown) {
		t.Fatalf("Terminated{%v, %v}, want the target with ErrNodeDown", n.Ref, n.Reason)
	}
	if err := recv(t, pending, "the failed request"); !errors.Is(err, ErrNodeDown) {
		t.Fatalf("request in flight: %v, want ErrNodeDown", err)
	}
	if down, ok := recv(t, events, "NodeDown").(NodeDown); !ok || down.Node != b.Address() || !errors.Is(down.Reason, ErrNodeDown) {
		t.Fatalf("event %#v, want NodeDown for %s", down, b.Address())
	}
	if s := a.Stats(); s.NodeDowns != 1 {
		t.Fatalf("NodeDowns = %d, want 1", s.NodeDowns)
	}
	// A watch made while the node is down is answered at once.
	n = recv(t, watcher(t, sysA, target), "Terminated for a watch of a down node")
	if !errors.Is(n.Reason, ErrNodeDown) {
		t.Fatalf("watch while down: %v, want ErrNodeDown", n.Reason)
	}
}

// TestNodeDownSilentPeer checks Paranoid Pirate liveness: a peer that
// keeps its connection open but says nothing after HELLO is declared
// down after heartbeat interval × liveness.
func TestNodeDownSilentPeer(t *testing.T) {
	sysA, a := startNode(t, endpoint(t, "tcp"), WithHeartbeat(fastInterval, fastLiveness))
	peer := startSilentPeer(t)
	target := actor.Ref{Node: peer.addr, Name: "target", ID: 7}
	start := time.Now()
	notices := watcher(t, sysA, target)
	n := recv(t, notices, "Terminated for a silent node")
	elapsed := time.Since(start)
	if !errors.Is(n.Reason, ErrNodeDown) {
		t.Fatalf("Terminated reason %v, want ErrNodeDown", n.Reason)
	}
	window := fastInterval * (fastLiveness + 1)
	if elapsed < fastInterval*fastLiveness || elapsed > window+2*time.Second {
		t.Fatalf("declared down after %v, want about %v", elapsed, window)
	}
	if got := recv(t, peer.watches, "the Watch at the silent peer"); got.Target != target {
		t.Fatalf("the silent peer got Watch for %v", got.Target)
	}
	if s := a.Stats(); s.NodeDowns < 1 {
		t.Fatalf("NodeDowns = %d", s.NodeDowns)
	}
}
