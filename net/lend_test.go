package net

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// TestSenderWritesRequests makes sequential requests over idle links: the
// requester writes most requests itself, and the echo most replies (see
// lend.go); a stream of plain sends is left to the link's goroutine.
func TestSenderWritesRequests(t *testing.T) {
	const requests, sends = 40, 200
	ctx := testContext(t)
	sysA, a := startNode(t, endpoint(t, "tcp"))
	sysB, b := startNode(t, endpoint(t, "tcp"))
	got := make(chan any, requests+sends)
	ref := spawn(t, sysB, echo(got), actor.WithName("echo"))
	remote := actor.Ref{Node: b.Address(), Name: ref.Name, ID: ref.ID}
	for i := range int64(requests) {
		if reply, err := sysA.Request(ctx, remote, msgPing{N: i}); err != nil || reply != (msgPong{N: i}) {
			t.Fatalf("request %d: %#v, %v", i, reply, err)
		}
		recv(t, got, "the request")
	}
	if n := a.Stats().SenderWrites; n < requests/2 {
		t.Errorf("the requester wrote %d of %d requests itself, want most", n, requests)
	}
	if n := b.Stats().SenderWrites; n < requests/2 {
		t.Errorf("the echo wrote %d of %d replies itself, want most", n, requests)
	}
	before := a.Stats().SenderWrites
	for i := range int64(sends) {
		if err := sysA.Send(ctx, remote, msgPing{N: -1, Text: "plain"}); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	for range sends {
		recv(t, got, "a plain send")
	}
	if n := a.Stats().SenderWrites - before; n != 0 {
		t.Errorf("senders wrote %d plain SENDs themselves, want none", n)
	}
}

// TestLentSessionTakenBack holds a requester while it owns the lent
// session, and meanwhile wakes the link's goroutine with a plain send and
// a lookup: the link's goroutine waits for the session, takes it back
// once the requester lets go, and everything arrives.
func TestLentSessionTakenBack(t *testing.T) {
	ctx := testContext(t)
	sysA, _ := startNode(t, endpoint(t, "tcp"))
	sysB, b := startNode(t, endpoint(t, "tcp"))
	got := make(chan any, 10)
	ref := spawn(t, sysB, echo(got), actor.WithName("echo"))
	remote := actor.Ref{Node: b.Address(), Name: ref.Name, ID: ref.ID}
	if _, err := sysA.Request(ctx, remote, msgPing{N: 0}); err != nil { // the link is up
		t.Fatal(err)
	}
	recv(t, got, "the first request")

	holding, release := make(chan struct{}), make(chan struct{})
	var once atomic.Bool
	testHookLent = func() {
		if once.CompareAndSwap(false, true) {
			close(holding)
			<-release
		}
	}
	t.Cleanup(func() { testHookLent = nil })
	replied := make(chan error, 1)
	go func() {
		reply, err := sysA.Request(ctx, remote, msgPing{N: 1})
		if err == nil && reply != (msgPong{N: 1}) {
			t.Errorf("reply %#v", reply)
		}
		replied <- err
	}()
	select {
	case <-holding: // some sender (the requester, or B's echo: the hook is global) owns a lent session
	case <-time.After(testTimeout):
		t.Fatal("no sender wrote on a lent session")
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := sysA.Send(ctx, remote, msgPing{N: -1, Text: "while lent"}); err != nil {
			t.Errorf("send: %v", err)
		}
		if _, err := sysA.LookupOn(ctx, b.Address(), "echo"); err != nil {
			t.Errorf("lookup: %v", err)
		}
	})
	close(release)
	wg.Wait()
	if err := <-replied; err != nil {
		t.Fatalf("request: %v", err)
	}
	seen := map[any]bool{}
	for range 2 {
		seen[recv(t, got, "the request and the send")] = true
	}
	if !seen[msgPing{N: 1}] || !seen[msgPing{N: -1, Text: "while lent"}] {
		t.Errorf("got %v", seen)
	}
}

// TestLendUnderLoad mixes concurrent requesters, streaming senders and
// fast heartbeats (ticks that take the session back from senders) on one
// link: every reply matches its request, every plain send arrives.
func TestLendUnderLoad(t *testing.T) {
	const requesters, requests, senders, sends = 8, 100, 2, 2000
	ctx := testContext(t)
	beat := WithHeartbeat(5*time.Millisecond, 50)
	sysA, _ := startNode(t, endpoint(t, "tcp"), beat)
	sysB, b := startNode(t, endpoint(t, "tcp"), beat)
	got := make(chan any, requesters*requests+senders*sends)
	ref := spawn(t, sysB, echo(got), actor.WithName("echo"))
	remote := actor.Ref{Node: b.Address(), Name: ref.Name, ID: ref.ID}
	var wg sync.WaitGroup
	for r := range int64(requesters) {
		wg.Go(func() {
			for i := range int64(requests) {
				n := r*requests + i
				if reply, err := sysA.Request(ctx, remote, msgPing{N: n}); err != nil || reply != (msgPong{N: n}) {
					t.Errorf("request %d: %#v, %v", n, reply, err)
					return
				}
			}
		})
	}
	for range senders {
		wg.Go(func() {
			for range sends {
				if err := sysA.Send(ctx, remote, msgPing{N: -1, Text: "plain"}); err != nil {
					t.Errorf("send: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	plain := 0
	for range requesters*requests + senders*sends {
		if m, ok := recv(t, got, "a message").(msgPing); ok && m.Text == "plain" {
			plain++
		}
	}
	if plain != senders*sends {
		t.Errorf("%d plain sends arrived, want %d", plain, senders*sends)
	}
}

// TestLendKeepsOrder watches remote actors and stops each right away: the
// WATCH waits in the link's system lane, and the stop, a request that its
// sender might write itself on the lent session, must not pass it (see
// lend.go), or the watch would find the actor gone.
func TestLendKeepsOrder(t *testing.T) {
	ctx := testContext(t)
	sysA, _ := startNode(t, endpoint(t, "tcp"))
	sysB, b := startNode(t, endpoint(t, "tcp"))
	if _, err := sysA.LookupOn(ctx, b.Address(), NodeActorName); err != nil { // the link is up
		t.Fatal(err)
	}
	for i := range 20 {
		target := spawn(t, sysB, echo(nil))
		target.Node = b.Address()
		notices := watcher(t, sysA, target)
		if err := sysA.Stop(ctx, target); err != nil {
			t.Fatalf("remote stop %d: %v", i, err)
		}
		if n := recv(t, notices, "Terminated"); !errors.Is(n.Reason, actor.ErrNormal) {
			t.Fatalf("target %d: Terminated with %v, want ErrNormal: the stop passed the watch", i, n.Reason)
		}
	}
}
