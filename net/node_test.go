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
