package socket_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/socket"
)

// slowReplier answers each request with [re:<first frame>], but waits for
// release before answering "slow".
func slowReplier(t *testing.T, sys *actor.System, release <-chan struct{}) actor.Ref {
	ref, err := sys.Spawn(testCtx(t), actor.Func(func(p *actor.Process) error {
		if m, ok := p.Message().(socket.Message); ok {
			if string(m.Frames[0]) == "slow" {
				<-release
			}
			return p.Reply(socket.Text("re:" + string(m.Frames[0])))
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// A request whose caller gives up is abandoned when the next one comes:
// its connection is closed (Lazy Pirate), so its late reply cannot be
// taken for the next one's; the next request goes through once the
// connection is back.
func TestReqAbandonsTimedOutRequest(t *testing.T) {
	sys := newSystem(t)
	release := make(chan struct{})
	defer close(release)
	down := events(t, sys, socket.TopicPeerDown)
	rep, err := socket.Rep(testCtx(t), sys, slowReplier(t, sys, release), socket.Bind(ipcEndpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	req, err := socket.Req(testCtx(t), sys, socket.Connect(endpoint(t, sys, rep)), socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(testCtx(t), 50*time.Millisecond)
	defer cancel()
	var te *actor.TimeoutError
	if _, err := socket.Request(short, sys, req, socket.Text("slow")); !errors.As(err, &te) {
		t.Fatalf("slow request: %v, want a timeout", err)
	}
	next := make(chan error, 1)
	var reply socket.Message
	go func() {
		var err error
		reply, err = socket.Request(testCtx(t), sys, req, socket.Text("fast"))
		next <- err
	}()
	// The REQ closes the abandoned connection; the REP, answering "slow"
	// once released, finds its peer gone.
	waitEvent(t, down, func(e socket.PeerDown) bool { return e.Socket == req })
	release <- struct{}{}
	if err := <-next; err != nil {
		t.Fatalf("next request: %v", err)
	}
	if !equal(reply, socket.Text("re:fast")) {
		t.Fatalf("reply %q, want re:fast", reply.Strings())
	}
	if st := stats(t, sys, req); st.Dropped[socket.DropAbandoned] != 1 {
		t.Errorf("REQ drops %v, want one abandoned", st.Dropped)
	}
	if st := stats(t, sys, rep); st.Dropped[socket.DropDisconnected] != 1 {
		t.Errorf("REP drops %v, want the late reply counted as disconnected", st.Dropped)
	}
}

// A request in flight fails with ErrPeerLost when its peer goes away.
func TestReqPeerLost(t *testing.T) {
	sys := newSystem(t)
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{})
	target, err := sys.Spawn(testCtx(t), actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(socket.Message); ok {
			close(started)
			<-release
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := socket.Rep(testCtx(t), sys, target, socket.Bind(ipcEndpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	req, err := socket.Req(testCtx(t), sys, socket.Connect(endpoint(t, sys, rep)))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := socket.Request(testCtx(t), sys, req, socket.Text("never answered"))
		done <- err
	}()
	<-started
	stop(t, sys, rep)
	if err := <-done; !errors.Is(err, socket.ErrPeerLost) {
		t.Fatalf("request: %v, want ErrPeerLost", err)
	}
}

// An actor can use a REQ with p.Send: the reply comes back to it as a
// Message from the socket.
func TestReqFromActor(t *testing.T) {
	sys := newSystem(t)
	rep, err := socket.Rep(testCtx(t), sys, echoReplier(t, sys), socket.Bind(ipcEndpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	req, err := socket.Req(testCtx(t), sys, socket.Connect(endpoint(t, sys, rep)))
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan socket.Message, 1)
	_, err = sys.Spawn(testCtx(t), actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case actor.Started:
			return p.Send(req, socket.Text("ping"))
		case socket.Message:
			if p.Sender() != req {
				t.Errorf("reply from %v, want the REQ %v", p.Sender(), req)
			}
			got <- m
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		if !equal(m, socket.Text("re:ping")) {
			t.Fatalf("reply %q", m.Strings())
		}
	case <-time.After(testTimeout):
		t.Fatal("no reply")
	}
}

// Requests wait their turn: many concurrent callers each get their own
// reply.
func TestReqConcurrentCallers(t *testing.T) {
	sys := newSystem(t)
	rep, err := socket.Rep(testCtx(t), sys, echoReplier(t, sys), socket.Bind(ipcEndpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	req, err := socket.Req(testCtx(t), sys, socket.Connect(endpoint(t, sys, rep)))
	if err != nil {
		t.Fatal(err)
	}
	const callers = 20
	errs := make(chan error, callers)
	for i := range callers {
		go func() {
			body := string(rune('a' + i))
			r, err := socket.Request(testCtx(t), sys, req, socket.Text(body))
			if err == nil && !equal(r, socket.Text("re:"+body)) {
				err = errors.New("caller " + body + " got " + string(r.Frames[0]))
			}
			errs <- err
		}()
	}
	for range callers {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
