package socket_test

import (
	"strconv"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/socket"
)

// A REQ connected by Troupe talks to a libzmq REP: each Request gets its
// own reply, without the envelope.
func TestReqToPyRep(t *testing.T) {
	sys := newSystem(t)
	py := startPeer(t, "rep", "tcp://127.0.0.1:0")
	req, err := socket.Req(testCtx(t), sys, socket.Connect(py.Line(t, "ENDPOINT")))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		m := testMessage(i)
		r, err := socket.Request(testCtx(t), sys, req, m)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		want := socket.Message{Frames: append([][]byte{[]byte("rep")}, m.Frames...)}
		if !equal(r, want) {
			t.Fatalf("reply %d: got %q, want %q", i, r.Strings(), want.Strings())
		}
	}
	if r, err := socket.Request(testCtx(t), sys, req, socket.Text("quit")); err != nil || !equal(r, socket.Text("bye")) {
		t.Fatalf("quit: %q, %v", r.Strings(), err)
	}
	py.Exit(t)
}

// echoReplier answers each request Message m with [re:<first frame>,
// rest of m].
func echoReplier(t *testing.T, sys *actor.System) actor.Ref {
	ref, err := sys.Spawn(testCtx(t), actor.Func(func(p *actor.Process) error {
		if m, ok := p.Message().(socket.Message); ok {
			frames := append([][]byte{[]byte("re:" + string(m.Frames[0]))}, m.Frames[1:]...)
			return p.Reply(socket.Message{Frames: frames})
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// A REP bound by Troupe answers a libzmq REQ through its target actor's
// p.Reply.
func TestPyReqToRep(t *testing.T) {
	for name, ep := range endpointsFor(t) {
		t.Run(name, func(t *testing.T) {
			sys := newSystem(t)
			rep, err := socket.Rep(testCtx(t), sys, echoReplier(t, sys), socket.Bind(ep))
			if err != nil {
				t.Fatal(err)
			}
			py := startPeer(t, "req", endpoint(t, sys, rep), "100")
			if got := py.Line(t, "COUNT"); got != "100" {
				t.Fatalf("pyzmq REQ did %s round trips", got)
			}
			py.Exit(t)
		})
	}
}

// A DEALER connected by Troupe talks to a libzmq ROUTER: the ROUTER sees
// the DEALER's identity, and its echoes reach the DEALER's target.
func TestDealerToPyRouter(t *testing.T) {
	sys := newSystem(t)
	c := newCollector(t, sys)
	py := startPeer(t, "router", "tcp://127.0.0.1:0", "troupe-dealer")
	dealer, err := socket.Dealer(testCtx(t), sys, c.ref, socket.Connect(py.Line(t, "ENDPOINT")),
		socket.WithIdentity([]byte("troupe-dealer")))
	if err != nil {
		t.Fatal(err)
	}
	const n = 100
	for i := range n {
		send(t, sys, dealer, testMessage(i))
	}
	for i := range n {
		if m := c.next(t); !equal(m, testMessage(i)) {
			t.Fatalf("echo %d: got %q", i, m.Strings())
		}
	}
	send(t, sys, dealer, socket.Text("quit"))
	if m := c.next(t); !equal(m, socket.Text("bye")) {
		t.Fatalf("got %q, want bye", m.Strings())
	}
	if got := py.Line(t, "COUNT"); got != strconv.Itoa(n) {
		t.Errorf("ROUTER echoed %s messages", got)
	}
	py.Exit(t)
}

// A ROUTER bound by Troupe delivers a libzmq DEALER's messages with its
// identity first; its target replies by sending a Message that starts
// with that identity to the ROUTER.
func TestPyDealerToRouter(t *testing.T) {
	sys := newSystem(t)
	byName := actor.Ref{Name: "router"} // whoever holds the name
	echo, err := sys.Spawn(testCtx(t), actor.Func(func(p *actor.Process) error {
		if m, ok := p.Message().(socket.Message); ok {
			if string(m.Frames[0]) != "py-dealer" {
				t.Errorf("identity %q, want py-dealer", m.Frames[0])
			}
			frames := append([][]byte{m.Frames[0], []byte("echo")}, m.Frames[1:]...)
			return p.Send(byName, socket.Message{Frames: frames})
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	router, err := socket.Router(testCtx(t), sys, echo, socket.Bind("tcp://127.0.0.1:0"), socket.WithName("router"))
	if err != nil {
		t.Fatal(err)
	}
	py := startPeer(t, "dealer", endpoint(t, sys, router), "100")
	if got := py.Line(t, "COUNT"); got != "100" {
		t.Fatalf("pyzmq DEALER got %s echoes", got)
	}
	py.Exit(t)
	if st := stats(t, sys, router); st.Dropped.Total() != 0 || st.Received != 100 || st.Sent != 100 {
		t.Errorf("stats: received %d, sent %d, dropped %v", st.Received, st.Sent, st.Dropped)
	}
}

// A libzmq peer with ZMTP heartbeats on (ZMQ_HEARTBEAT_IVL) keeps its
// connection through an idle time: the socket answers its PINGs.
func TestPyHeartbeatsAnswered(t *testing.T) {
	sys := newSystem(t)
	up := events(t, sys, socket.TopicPeerUp)
	echo, err := sys.Spawn(testCtx(t), actor.Func(func(p *actor.Process) error {
		if m, ok := p.Message().(socket.Message); ok {
			frames := append([][]byte{m.Frames[0], []byte("echo")}, m.Frames[1:]...)
			return p.Send(actor.Ref{Name: "hb-router"}, socket.Message{Frames: frames})
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	router, err := socket.Router(testCtx(t), sys, echo, socket.Bind("tcp://127.0.0.1:0"), socket.WithName("hb-router"))
	if err != nil {
		t.Fatal(err)
	}
	py := startPeer(t, "dealer", endpoint(t, sys, router), "3", "--heartbeat")
	if got := py.Line(t, "COUNT"); got != "4" {
		t.Fatalf("pyzmq DEALER got %s echoes, want 4", got)
	}
	py.Exit(t)
	peersUp(t, up, router, 1)
	select {
	case e := <-up:
		t.Fatalf("the peer connected again (%+v): its heartbeats went unanswered", e)
	default:
	}
}
