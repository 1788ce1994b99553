package net

import (
	"errors"
	"testing"

	"github.com/troupe-go/troupe/actor"
)

// transports runs f over tcp and over ipc.
func transports(t *testing.T, f func(t *testing.T, transport string)) {
	for _, tr := range []string{"tcp", "ipc"} {
		t.Run(tr, func(t *testing.T) { f(t, tr) })
	}
}

func TestSendRequestLookup(t *testing.T) {
	transports(t, func(t *testing.T, tr string) {
		ctx := testContext(t)
		sysA, _ := startNode(t, endpoint(t, tr))
		sysB, b := startNode(t, endpoint(t, tr))
		got := make(chan any, 10)
		spawn(t, sysB, echo(got), actor.WithName("echo"))

		ref, err := sysA.LookupOn(ctx, b.Address(), "echo")
		if err != nil {
			t.Fatalf("lookup: %v", err)
		}
		if ref.Node != b.Address() || ref.Name != "echo" || ref.ID == 0 {
			t.Fatalf("lookup: got %v", ref)
		}
		if err := sysA.Send(ctx, ref, msgPing{N: 1, Text: "one"}); err != nil {
			t.Fatalf("send: %v", err)
		}
		if m := recv(t, got, "the msgPing"); m != (msgPing{N: 1, Text: "one"}) {
			t.Fatalf("echo got %#v", m)
		}
		reply, err := sysA.Request(ctx, ref, msgPing{N: 2})
		if err != nil || reply != (msgPong{N: 2}) {
			t.Fatalf("request: %#v, %v", reply, err)
		}
		recv(t, got, "the request")

		_, err = sysA.LookupOn(ctx, b.Address(), "nobody-here")
		if !errors.Is(err, actor.ErrNotFound) {
			t.Fatalf("lookup of a missing name: %v, want ErrNotFound", err)
		}
	})
}

// TestEndpoints: a node listens on tcp and ipc; a peer that reaches it
// through its second endpoint talks to the same node, over one link.
func TestEndpoints(t *testing.T) {
	ctx := testContext(t)
	ipc := endpoint(t, "ipc")
	sysB, b := startNode(t, "tcp://127.0.0.1:0", WithEndpoints(ipc))
	spawn(t, sysB, echo(nil), actor.WithName("echo"))
	if eps := b.Endpoints(); len(eps) != 2 || eps[0] != b.Address() || eps[1] != ipc {
		t.Fatalf("endpoints %v, address %s", eps, b.Address())
	}
	sysA, a := startNode(t, endpoint(t, "tcp"))
	reply, err := sysA.Request(ctx, actor.Ref{Node: ipc, Name: "echo"}, msgPing{N: 1})
	if err != nil || reply != (msgPong{N: 1}) {
		t.Fatalf("request through the ipc endpoint: %#v, %v", reply, err)
	}
	// The link is also known by B's address now: no second link.
	if _, err := sysA.Request(ctx, actor.Ref{Node: b.Address(), Name: "echo"}, msgPing{N: 2}); err != nil {
		t.Fatalf("request through the address: %v", err)
	}
	if s := a.Stats(); s.Links != 1 {
		t.Fatalf("%d links, want 1", s.Links)
	}
	// B sends to its own second endpoint: delivered locally.
	if reply, err := sysB.Request(ctx, actor.Ref{Node: ipc, Name: "echo"}, msgPing{N: 3}); err != nil || reply != (msgPong{N: 3}) {
		t.Fatalf("request to itself through an endpoint: %#v, %v", reply, err)
	}
}

// TestSelfByEndpoint: refs that name this node by another of its
// endpoints are local for every operation.
func TestSelfByEndpoint(t *testing.T) {
	ctx := testContext(t)
	ipc := endpoint(t, "ipc")
	sys, n := startNode(t, "tcp://127.0.0.1:0", WithEndpoints(ipc))
	ref := spawn(t, sys, echo(nil), actor.WithName("echo"))
	alias := actor.Ref{Node: ipc, Name: ref.Name, ID: ref.ID}
	got, err := sys.LookupOn(ctx, ipc, "echo")
	if err != nil || got.ID != ref.ID {
		t.Fatalf("lookup through an endpoint: %v, %v", got, err)
	}
	notices := watcher(t, sys, alias)
	if err := sys.Stop(ctx, alias); err != nil || sys.Alive(ref) {
		t.Fatalf("stop through an endpoint: %v (alive: %v)", err, sys.Alive(ref))
	}
	if m := recv(t, notices, "Terminated"); !errors.Is(m.Reason, actor.ErrNormal) {
		t.Fatalf("Terminated %v", m.Reason)
	}
	if s := n.Stats(); s.Links != 0 {
		t.Fatalf("%d links: the node dialed itself", s.Links)
	}
}
