package socket_test

import (
	"errors"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net/socket"
)

// Outbound messages over the limits, or malformed, are refused with a
// clear error to a requester and counted; the socket carries on.
func TestOutboundLimitsAndBadInput(t *testing.T) {
	sys := newSystem(t)
	c := newCollector(t, sys)
	pull, err := socket.Pull(testCtx(t), sys, c.ref, socket.Bind(ipcEndpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	push, err := socket.Push(testCtx(t), sys, socket.Connect(endpoint(t, sys, pull)),
		socket.WithMaxMessageSize(8), socket.WithMaxFrames(2))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		msg    any
		target error
	}{
		{socket.Text("123456789"), socket.ErrTooLarge},
		{socket.Text("a", "b", "c"), socket.ErrTooLarge},
		{socket.Message{}, socket.ErrBadMessage},
		{"not a message", socket.ErrBadMessage},
	}
	for _, tc := range cases {
		if _, err := sys.Request(testCtx(t), push, tc.msg); !errors.Is(err, tc.target) {
			t.Errorf("request %#v: %v, want %v", tc.msg, err, tc.target)
		}
		if err := sys.Send(testCtx(t), push, tc.msg); err != nil {
			t.Fatal(err)
		}
	}
	send(t, sys, push, socket.Text("fits"))
	if m := c.next(t); !equal(m, socket.Text("fits")) {
		t.Fatalf("got %q", m.Strings())
	}
	st := stats(t, sys, push)
	if st.Dropped[socket.DropTooLarge] != 4 || st.Dropped[socket.DropInvalid] != 4 {
		t.Errorf("drops %v, want 4 too-large, 4 invalid", st.Dropped)
	}
}

// A peer that sends a message over the limit is disconnected (ZMTP
// cannot skip it) and the message counted; the socket serves the next
// connection.
func TestInboundLimit(t *testing.T) {
	sys := newSystem(t)
	c := newCollector(t, sys)
	up := events(t, sys, socket.TopicPeerUp)
	pull, err := socket.Pull(testCtx(t), sys, c.ref, socket.Bind(ipcEndpoint(t)), socket.WithMaxMessageSize(100))
	if err != nil {
		t.Fatal(err)
	}
	push, err := socket.Push(testCtx(t), sys, socket.Connect(endpoint(t, sys, pull)), socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	peersUp(t, up, pull, 1)
	send(t, sys, push, socket.NewMessage(make([]byte, 101)))
	peersUp(t, up, pull, 1) // the PUSH reconnected
	send(t, sys, push, socket.Text("small"))
	if m := c.next(t); !equal(m, socket.Text("small")) {
		t.Fatalf("got %q", m.Strings())
	}
	if st := stats(t, sys, pull); st.Dropped[socket.DropTooLarge] != 1 {
		t.Errorf("PULL drops %v, want one too-large", st.Dropped)
	}
}

// Sockets that cannot send count what is sent to them; a ROUTER drops
// messages for unknown peers.
func TestCannotSend(t *testing.T) {
	sys := newSystem(t)
	c := newCollector(t, sys)
	pull, err := socket.Pull(testCtx(t), sys, c.ref, socket.Bind(ipcEndpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sys.Request(testCtx(t), pull, socket.Text("x")); !errors.Is(err, socket.ErrBadMessage) {
		t.Errorf("request to a PULL: %v, want ErrBadMessage", err)
	}
	router, err := socket.Router(testCtx(t), sys, c.ref, socket.Bind(ipcEndpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sys.Request(testCtx(t), router, socket.Text("only-identity")); !errors.Is(err, socket.ErrBadMessage) {
		t.Errorf("one-frame ROUTER message: %v, want ErrBadMessage", err)
	}
	send(t, sys, router, socket.Text("nobody", "x"))
	if st := stats(t, sys, router); st.Dropped[socket.DropUnroutable] != 1 || st.Dropped[socket.DropInvalid] != 1 {
		t.Errorf("ROUTER drops %v", st.Dropped)
	}
}

// Options are checked against the socket kind, with clear errors.
func TestOptionErrors(t *testing.T) {
	sys := newSystem(t)
	target := newCollector(t, sys).ref
	ep := socket.Bind("tcp://127.0.0.1:0")
	cases := []struct {
		name string
		open func() (actor.Ref, error)
		want error
	}{
		{"no endpoint", func() (actor.Ref, error) { return socket.Push(testCtx(t), sys) }, socket.ErrNoEndpoint},
		{"hwm 0", func() (actor.Ref, error) { return socket.Push(testCtx(t), sys, ep, socket.WithHWM(0)) }, socket.ErrBadOption},
		{"push drop-oldest", func() (actor.Ref, error) {
			return socket.Push(testCtx(t), sys, ep, socket.WithPolicy(mailbox.DropOldest))
		}, socket.ErrBadOption},
		{"pub block", func() (actor.Ref, error) { return socket.Pub(testCtx(t), sys, ep, socket.WithPolicy(mailbox.Block)) }, socket.ErrBadOption},
		{"pull policy", func() (actor.Ref, error) {
			return socket.Pull(testCtx(t), sys, target, ep, socket.WithPolicy(mailbox.Fail))
		}, socket.ErrBadOption},
		{"pull no target", func() (actor.Ref, error) { return socket.Pull(testCtx(t), sys, actor.Ref{}, ep) }, socket.ErrBadOption},
		{"sub no topic", func() (actor.Ref, error) { return socket.Sub(testCtx(t), sys, target, nil, ep) }, socket.ErrBadOption},
		{"identity too long", func() (actor.Ref, error) {
			return socket.Dealer(testCtx(t), sys, target, ep, socket.WithIdentity(make([]byte, 256)))
		}, socket.ErrBadOption},
		{"bad reconnect", func() (actor.Ref, error) {
			return socket.Push(testCtx(t), sys, ep, socket.WithReconnect(0, 1))
		}, socket.ErrBadOption},
		{"negative read spin", func() (actor.Ref, error) {
			return socket.Push(testCtx(t), sys, ep, socket.WithReadSpin(-time.Microsecond, 0))
		}, socket.ErrBadOption},
		{"negative spinners", func() (actor.Ref, error) {
			return socket.Push(testCtx(t), sys, ep, socket.WithReadSpin(time.Microsecond, -1))
		}, socket.ErrBadOption},
		{"bad endpoint", func() (actor.Ref, error) { return socket.Push(testCtx(t), sys, socket.Bind("udp://x:1")) }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ref, err := tc.open()
			if err == nil {
				t.Fatalf("opened %v, want an error", ref)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("error %q does not wrap %q", err, tc.want)
			}
		})
	}
	// A port in use is a bind error, and the name stays free.
	first, err := socket.Push(testCtx(t), sys, socket.Bind("tcp://127.0.0.1:0"), socket.WithName("first"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := socket.Push(testCtx(t), sys, socket.Bind(endpoint(t, sys, first))); err == nil {
		t.Fatal("bound a port in use")
	}
	if _, err := socket.Push(testCtx(t), sys, socket.Bind("tcp://127.0.0.1:0"), socket.WithName("first")); !errors.Is(err, actor.ErrNameTaken) {
		t.Fatalf("name taken: %v", err)
	}
}
