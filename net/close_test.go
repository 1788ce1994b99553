package net

import (
	"context"
	"errors"
	"testing"

	"github.com/troupe-go/troupe/actor"
)

// TestCloseDelivers checks that Close first delivers what the links hold.
func TestCloseDelivers(t *testing.T) {
	const total = 500
	ctx := testContext(t)
	sysB, b := startNode(t, endpoint(t, "tcp"))
	got := make(chan int64, total)
	spawn(t, sysB, sink(got), actor.WithName("sink"))

	sysA := actor.NewSystem()
	a, err := Listen(ctx, sysA, endpoint(t, "ipc"), testOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	to := actor.Ref{Node: b.Address(), Name: "sink"}
	for i := range total {
		if err := sysA.Send(ctx, to, msgPing{N: int64(i)}); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if err := sysA.Shutdown(ctx); err != nil { // closes the node
		t.Fatalf("shutdown: %v", err)
	}
	for i := range total {
		if n := recv(t, got, "a message sent before Close"); n != int64(i) {
			t.Fatalf("got message %d, want %d", n, i)
		}
	}
	if s := a.Stats(); s.RemoteDeadLetters != 0 || s.EnvelopesOut != total {
		t.Fatalf("after Close: %+v", s)
	}
	if err := a.Close(ctx); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := a.Send(ctx, to, actor.Ref{}, msgPing{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("send after Close: %v, want ErrClosed", err)
	}
}

// TestCloseDeadLetters checks that what cannot be delivered by Close is
// dead-lettered: the peer never answers.
func TestCloseDeadLetters(t *testing.T) {
	ctx := testContext(t)
	peer := startSilentPeer(t)
	sysA := actor.NewSystem()
	a, err := Listen(ctx, sysA, endpoint(t, "tcp"), testOptions(WithLinger(0))...)
	if err != nil {
		t.Fatal(err)
	}
	dead := deadLetters(t, sysA, 8)
	to := actor.Ref{Node: peer.addr, Name: "x"}
	for i := range 3 {
		if err := sysA.Send(ctx, to, msgPing{N: int64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sysA.Shutdown(context.WithoutCancel(ctx)); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	for range 3 {
		if d := recv(t, dead, "a dead letter"); d.Reason != actor.ReasonRemote {
			t.Fatalf("dead letter %+v, want ReasonRemote", d)
		}
	}
	if s := a.Stats(); s.RemoteDeadLetters != 3 {
		t.Fatalf("RemoteDeadLetters = %d, want 3", s.RemoteDeadLetters)
	}
}
