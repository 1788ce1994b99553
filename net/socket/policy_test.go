package socket_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net/socket"
)

// fillNoPeer sends messages to a PUSH with no peer until it holds hwm of
// them (StatsOf after each send makes the socket take it from its
// mailbox first), then fills its mailbox (hwm slots): after that, the
// socket neither holds nor accepts more.
func fillNoPeer(t *testing.T, sys *actor.System, push actor.Ref, hwm int) {
	t.Helper()
	for i := range hwm {
		send(t, sys, push, testMessage(i))
		if st := stats(t, sys, push); st.Queued != i+1 {
			t.Fatalf("queued %d after %d sends", st.Queued, i+1)
		}
	}
	for i := range hwm {
		send(t, sys, push, testMessage(hwm+i))
	}
}

// Under mailbox.Fail, a PUSH whose peers cannot take more refuses sends
// with mailbox.ErrFull once it holds HWM messages and its mailbox is full.
func TestPushFailPolicy(t *testing.T) {
	sys := newSystem(t)
	ep := ipcEndpoint(t)
	push, err := socket.Push(testCtx(t), sys, socket.Connect(ep), socket.WithHWM(3),
		socket.WithPolicy(mailbox.Fail), socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	fillNoPeer(t, sys, push, 3)
	if err := sys.Send(testCtx(t), push, testMessage(6)); !errors.Is(err, mailbox.ErrFull) {
		t.Fatalf("Send to a full PUSH: %v, want mailbox.ErrFull", err)
	}
	// A peer comes: everything accepted is delivered, in order.
	c := newCollector(t, sys)
	if _, err := socket.Pull(testCtx(t), sys, c.ref, socket.Bind(ep)); err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		if m := c.next(t); !equal(m, testMessage(i)) {
			t.Fatalf("message %d: got %q", i, m.Strings())
		}
	}
}

// Under mailbox.Block (the default), a PUSH whose peers cannot take more
// makes senders wait, bounded by their context; once a peer connects the
// wait ends.
func TestPushBlockPolicy(t *testing.T) {
	sys := newSystem(t)
	ep := ipcEndpoint(t)
	push, err := socket.Push(testCtx(t), sys, socket.Connect(ep), socket.WithHWM(2), socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	fillNoPeer(t, sys, push, 2)
	short, cancel := context.WithTimeout(testCtx(t), 50*time.Millisecond)
	defer cancel()
	if err := sys.Send(short, push, testMessage(4)); !errors.Is(err, mailbox.ErrFull) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send to a full PUSH: %v, want mailbox.ErrFull after the deadline", err)
	}
	blocked := make(chan error, 1)
	go func() { blocked <- sys.Send(testCtx(t), push, testMessage(4)) }()
	c := newCollector(t, sys)
	if _, err := socket.Pull(testCtx(t), sys, c.ref, socket.Bind(ep)); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if m := c.next(t); !equal(m, testMessage(i)) {
			t.Fatalf("message %d: got %q", i, m.Strings())
		}
	}
	if err := <-blocked; err != nil {
		t.Fatalf("blocked Send: %v", err)
	}
}

// A PULL delivering to a target whose mailbox is full and Block holds the
// peer back instead of dropping: with a tiny target mailbox and a slow
// consumer, everything still arrives.
func TestPullBackpressure(t *testing.T) {
	sys := newSystem(t)
	release := make(chan struct{})
	got := make(chan int, 1000)
	target, err := sys.Spawn(testCtx(t), actor.Func(func(p *actor.Process) error {
		if m, ok := p.Message().(socket.Message); ok {
			<-release
			n, _ := strconv.Atoi(string(m.Frames[0]))
			got <- n
		}
		return nil
	}), actor.WithMailbox(mailbox.WithCapacity(1)))
	if err != nil {
		t.Fatal(err)
	}
	pull, err := socket.Pull(testCtx(t), sys, target, socket.Bind(ipcEndpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	push, err := socket.Push(testCtx(t), sys, socket.Connect(endpoint(t, sys, pull)), socket.WithHWM(5))
	if err != nil {
		t.Fatal(err)
	}
	const n = 200
	for i := range n {
		send(t, sys, push, testMessage(i))
	}
	close(release)
	for i := range n {
		select {
		case m := <-got:
			if m != i {
				t.Fatalf("message %d arrived as number %d", m, i)
			}
		case <-time.After(testTimeout):
			t.Fatalf("only %d messages arrived", i)
		}
	}
	if st := stats(t, sys, pull); st.Dropped.Total() != 0 {
		t.Errorf("PULL dropped %v", st.Dropped)
	}
}

// A stopping PUSH lingers: the messages it accepted are written before
// its connections close.
func TestPushLingersOnStop(t *testing.T) {
	sys := newSystem(t)
	c := newCollector(t, sys)
	up := events(t, sys, socket.TopicPeerUp)
	pull, err := socket.Pull(testCtx(t), sys, c.ref, socket.Bind(ipcEndpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	push, err := socket.Push(testCtx(t), sys, socket.Connect(endpoint(t, sys, pull)))
	if err != nil {
		t.Fatal(err)
	}
	peersUp(t, up, push, 1)
	const n = 1000
	for i := range n {
		send(t, sys, push, testMessage(i))
	}
	stop(t, sys, push)
	for i := range n {
		if m := c.next(t); !equal(m, testMessage(i)) {
			t.Fatalf("message %d: got %q", i, m.Strings())
		}
	}
}
