package net

import (
	"errors"
	"testing"

	"github.com/troupe-go/troupe/actor"
)

func TestPlain(t *testing.T) {
	ctx := testContext(t)
	check := func(user, pass string) bool { return user == "alice" && pass == "secret" }
	sysB, b := startNode(t, endpoint(t, "tcp"), WithPlainServer(check))
	target := spawn(t, sysB, echo(nil), actor.WithName("echo"))
	target.Node = b.Address()

	sysA, _ := startNode(t, endpoint(t, "tcp"), WithPlainClient("alice", "secret"))
	if reply, err := sysA.Request(ctx, target, msgPing{N: 1}); err != nil || reply != (msgPong{N: 1}) {
		t.Fatalf("request with good credentials: %#v, %v", reply, err)
	}

	sysC, c := startNode(t, endpoint(t, "tcp"), WithPlainClient("alice", "wrong"))
	n := recv(t, watcher(t, sysC, target), "Terminated for a node that refuses us")
	if !errors.Is(n.Reason, ErrNodeDown) {
		t.Fatalf("watch with bad credentials: %v, want ErrNodeDown", n.Reason)
	}
	if s := c.Stats(); s.HandshakeFailures < 1 {
		t.Fatalf("HandshakeFailures at C = %d", s.HandshakeFailures)
	}
	if err := b.Close(ctx); err != nil { // joins the handshakes: the counters are final
		t.Fatal(err)
	}
	if s := b.Stats(); s.HandshakeFailures < 1 {
		t.Fatalf("HandshakeFailures at B = %d", s.HandshakeFailures)
	}
}
