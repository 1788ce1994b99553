package socket_test

import (
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/socket"
)

// Every Troupe socket talks to its Troupe counterpart, in both
// directions of binding, over tcp and ipc.
func TestGoPairs(t *testing.T) {
	type pair struct {
		name string
		run  func(t *testing.T, sys *actor.System, bind, connect func(string) socket.Option)
	}
	pairs := []pair{
		{"push-pull", pushPull},
		{"pub-sub", pubSub},
		{"req-rep", reqRep},
		{"dealer-router", dealerRouter},
	}
	for _, p := range pairs {
		for _, bindFirst := range []bool{true, false} {
			name := p.name + "/first-binds"
			if !bindFirst {
				name = p.name + "/second-binds"
			}
			t.Run(name, func(t *testing.T) {
				sys := newSystem(t)
				ep := ipcEndpoint(t)
				bind, connect := socket.Bind, socket.Connect
				if !bindFirst {
					bind, connect = socket.Connect, socket.Bind
				}
				p.run(t, sys, func(string) socket.Option { return bind(ep) }, func(string) socket.Option { return connect(ep) })
			})
		}
	}
}

func pushPull(t *testing.T, sys *actor.System, first, second func(string) socket.Option) {
	c := newCollector(t, sys)
	push, err := socket.Push(testCtx(t), sys, first(""), socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := socket.Pull(testCtx(t), sys, c.ref, second(""), socket.WithReconnect(5e6, 5e7)); err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		send(t, sys, push, testMessage(i))
	}
	for i := range 300 {
		if m := c.next(t); !equal(m, testMessage(i)) {
			t.Fatalf("message %d: got %q", i, m.Strings())
		}
	}
}

func pubSub(t *testing.T, sys *actor.System, first, second func(string) socket.Option) {
	c := newCollector(t, sys)
	subs := events(t, sys, socket.TopicSubscription)
	pub, err := socket.Pub(testCtx(t), sys, first(""), socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	sub, err := socket.Sub(testCtx(t), sys, c.ref, []string{"even", "end"}, second(""), socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		waitEvent(t, subs, func(e socket.Subscription) bool { return e.Socket == pub })
	}
	for i := range 100 {
		topic := map[bool]string{true: "even", false: "odd"}[i%2 == 0]
		send(t, sys, pub, socket.Text(topic, strconv.Itoa(i)))
	}
	send(t, sys, pub, socket.Text("end"))
	for i := 0; i < 100; i += 2 {
		if m := c.next(t); !equal(m, socket.Text("even", strconv.Itoa(i))) {
			t.Fatalf("got %q, want even %d", m.Strings(), i)
		}
	}
	if m := c.next(t); !equal(m, socket.Text("end")) {
		t.Fatalf("got %q, want end", m.Strings())
	}
	if st := stats(t, sys, sub); st.Received != 51 || st.Filtered != 0 {
		t.Errorf("SUB received %d (want 51), filtered %d", st.Received, st.Filtered)
	}
}

func reqRep(t *testing.T, sys *actor.System, first, second func(string) socket.Option) {
	req, err := socket.Req(testCtx(t), sys, first(""), socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := socket.Rep(testCtx(t), sys, echoReplier(t, sys), second(""), socket.WithReconnect(5e6, 5e7)); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		r, err := socket.Request(testCtx(t), sys, req, socket.Text(strconv.Itoa(i), "", "body"))
		if err != nil {
			t.Fatal(err)
		}
		if want := socket.Text("re:"+strconv.Itoa(i), "", "body"); !equal(r, want) {
			t.Fatalf("reply %q, want %q", r.Strings(), want.Strings())
		}
	}
}

func dealerRouter(t *testing.T, sys *actor.System, first, second func(string) socket.Option) {
	fromRouter, fromDealer := newCollector(t, sys), newCollector(t, sys)
	up := events(t, sys, socket.TopicPeerUp)
	dealer, err := socket.Dealer(testCtx(t), sys, fromRouter.ref, first(""), socket.WithIdentity([]byte("d1")),
		socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	router, err := socket.Router(testCtx(t), sys, fromDealer.ref, second(""), socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	peersUp(t, up, router, 1)
	send(t, sys, dealer, socket.Text("hello", ""))
	if m := fromDealer.next(t); !equal(m, socket.Text("d1", "hello", "")) {
		t.Fatalf("ROUTER target got %q", m.Strings())
	}
	send(t, sys, router, socket.Text("d1", "hi", "there"))
	send(t, sys, router, socket.Text("nobody", "lost"))
	if m := fromRouter.next(t); !equal(m, socket.Text("hi", "there")) {
		t.Fatalf("DEALER target got %q", m.Strings())
	}
	if st := stats(t, sys, router); st.Dropped[socket.DropUnroutable] != 1 {
		t.Errorf("ROUTER drops %v, want one unroutable", st.Dropped)
	}
}

// A ROUTER refuses a second peer announcing an identity in use (libzmq
// without ZMQ_ROUTER_HANDOVER); a DEALER made without a target counts
// what it receives.
func TestRouterDuplicateIdentityAndDealerWithoutTarget(t *testing.T) {
	sys := newSystem(t)
	c := newCollector(t, sys)
	up := events(t, sys, socket.TopicPeerUp)
	routerLog, routerLogs := recordLogs()
	router, err := socket.Router(testCtx(t), sys, c.ref, socket.Bind(ipcEndpoint(t)), socket.WithLogger(routerLog))
	if err != nil {
		t.Fatal(err)
	}
	ep := endpoint(t, sys, router)
	logger, firstLogs := recordLogs()
	first, err := socket.Dealer(testCtx(t), sys, actor.Ref{}, socket.Connect(ep), socket.WithIdentity([]byte("twin")),
		socket.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	peersUp(t, up, router, 1)
	second, err := socket.Dealer(testCtx(t), sys, actor.Ref{}, socket.Connect(ep), socket.WithIdentity([]byte("twin")),
		socket.WithReconnect(time.Second, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	peersUp(t, up, second, 1) // its handshake succeeds; the ROUTER then closes it
	waitLog(t, routerLogs, func(r slog.Record) bool { return strings.Contains(r.Message, "identity is in use") })
	send(t, sys, first, socket.Text("from the first"))
	if m := c.next(t); !equal(m, socket.Text("twin", "from the first")) {
		t.Fatalf("ROUTER target got %q", m.Strings())
	}
	if st := stats(t, sys, router); len(st.Peers) != 1 {
		t.Fatalf("ROUTER has %d peers, want 1: %+v", len(st.Peers), st.Peers)
	}
	send(t, sys, router, socket.Text("twin", "reply"))
	rec := waitLog(t, firstLogs, func(r slog.Record) bool { return attr(r, "reason") == "no-receiver" })
	if rec.Level != slog.LevelWarn {
		t.Errorf("first drop of its kind logged at %v, want WARN", rec.Level)
	}
	if st := stats(t, sys, first); st.Dropped[socket.DropNoReceiver] != 1 || st.Received != 1 {
		t.Errorf("DEALER received %d, dropped %v; want 1 and one no-receiver", st.Received, st.Dropped)
	}
}
