package net

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	stdnet "net"
	"strings"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

func TestSendUnregisteredType(t *testing.T) {
	ctx := testContext(t)
	sysA, a := startNode(t, endpoint(t, "tcp"))
	_, b := startNode(t, endpoint(t, "tcp"))
	dead := deadLetters(t, sysA, 4)
	to := actor.Ref{Node: b.Address(), Name: "echo"}
	err := sysA.Send(ctx, to, unregistered{X: 1})
	if !errors.Is(err, ErrUnregistered) {
		t.Fatalf("send of an unregistered type: %v, want ErrUnregistered", err)
	}
	if d := recv(t, dead, "the dead letter"); d.Message != (unregistered{X: 1}) || d.Target != to {
		t.Fatalf("dead letter %+v", d)
	}
	if s := a.Stats(); s.EncodeErrors != 1 || s.EnvelopesOut != 0 {
		t.Fatalf("EncodeErrors %d, EnvelopesOut %d; want 1, 0", s.EncodeErrors, s.EnvelopesOut)
	}
}

func TestSendTooLarge(t *testing.T) {
	sysA, a := startNode(t, endpoint(t, "tcp"), WithMaxMessageSize(1024))
	_, b := startNode(t, endpoint(t, "tcp"))
	err := sysA.Send(testContext(t), actor.Ref{Node: b.Address(), Name: "echo"}, make([]byte, 2000))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("send of a message over the limit: %v, want ErrTooLarge", err)
	}
	if s := a.Stats(); s.TooLarge != 1 {
		t.Fatalf("TooLarge = %d, want 1", s.TooLarge)
	}
}

func TestUnknownTarget(t *testing.T) {
	ctx := testContext(t)
	sysA, _ := startNode(t, endpoint(t, "tcp"))
	sysB, b := startNode(t, endpoint(t, "tcp"))
	deadB := deadLetters(t, sysB, 8)
	nobody := actor.Ref{Node: b.Address(), Name: "nobody"}
	if err := sysA.Send(ctx, nobody, msgPing{N: 1}); err != nil {
		t.Fatalf("send: %v (the receiver dead-letters it)", err)
	}
	if d := recv(t, deadB, "the dead letter at B"); d.Target.Name != "nobody" || d.Message != (msgPing{N: 1}) || d.Reason != actor.ReasonNotFound {
		t.Fatalf("dead letter at B: %+v", d)
	}
	start := time.Now()
	_, err := sysA.Request(ctx, nobody, msgPing{N: 2})
	if !errors.Is(err, actor.ErrNotFound) {
		t.Fatalf("request to nobody: %v, want ErrNotFound", err)
	}
	var re *RemoteError
	if !errors.As(err, &re) || time.Since(start) > 5*time.Second {
		t.Fatalf("request to nobody: %v after %v, want a fast RemoteError", err, time.Since(start))
	}
	recv(t, deadB, "the request's dead letter at B")
	if s := b.Stats(); s.UnknownTargets != 2 {
		t.Fatalf("UnknownTargets at B = %d, want 2", s.UnknownTargets)
	}
}

// unreachable returns the address of a tcp port nobody listens on.
func unreachable(t *testing.T) string {
	t.Helper()
	ln, err := stdnet.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "tcp://" + ln.Addr().String()
	_ = ln.Close()
	return addr
}

func TestLinkQueuePolicies(t *testing.T) {
	const capacity, extra = 4, 3
	cases := []struct {
		policy     mailbox.Policy
		wantErrs   int
		wantReason actor.DeadLetterReason
	}{
		{mailbox.Fail, extra, actor.ReasonFull},
		{mailbox.DropNewest, 0, actor.ReasonDropped},
		{mailbox.DropOldest, 0, actor.ReasonDropped},
	}
	for _, tc := range cases {
		t.Run(tc.policy.String(), func(t *testing.T) {
			ctx := testContext(t)
			sysA, a := startNode(t, endpoint(t, "tcp"), WithLinkQueue(capacity, tc.policy), WithReconnect(time.Hour, time.Hour), WithLinger(0))
			dead := deadLetters(t, sysA, capacity+extra)
			to := actor.Ref{Node: unreachable(t), Name: "x"}
			errs := 0
			for i := range capacity + extra {
				if err := sysA.Send(ctx, to, msgPing{N: int64(i)}); err != nil {
					if !errors.Is(err, mailbox.ErrFull) {
						t.Fatalf("send %d: %v", i, err)
					}
					errs++
				}
			}
			if errs != tc.wantErrs {
				t.Fatalf("%d sends failed, want %d", errs, tc.wantErrs)
			}
			for range extra {
				if d := recv(t, dead, "a dead letter"); d.Reason != tc.wantReason {
					t.Fatalf("dead letter reason %v, want %v", d.Reason, tc.wantReason)
				}
			}
			s := a.Stats()
			if s.QueueDropped+s.QueueRefused != extra {
				t.Fatalf("dropped %d + refused %d, want %d", s.QueueDropped, s.QueueRefused, extra)
			}
		})
	}
}

// TestLinkQueueBlock: under Block, a send to a full link queue waits for
// room until its context ends, then fails and is dead-lettered.
func TestLinkQueueBlock(t *testing.T) {
	const capacity = 2
	ctx := testContext(t)
	sysA, a := startNode(t, endpoint(t, "tcp"), WithLinkQueue(capacity, mailbox.Block), WithReconnect(time.Hour, time.Hour), WithLinger(0))
	dead := deadLetters(t, sysA, capacity+1)
	to := actor.Ref{Node: unreachable(t), Name: "x"}
	for i := range capacity {
		if err := sysA.Send(ctx, to, msgPing{N: int64(i)}); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := sysA.Send(short, to, msgPing{N: 9}); !errors.Is(err, mailbox.ErrFull) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("send to a full queue: %v, want ErrFull after the deadline", err)
	}
	if d := recv(t, dead, "the dead letter"); d.Reason != actor.ReasonTimeout || d.Message != (msgPing{N: 9}) {
		t.Fatalf("dead letter %+v, want msgPing{9} with ReasonTimeout", d)
	}
	if s := a.Stats(); s.QueueRefused != 1 {
		t.Fatalf("QueueRefused = %d, want 1", s.QueueRefused)
	}
}

// TestIdleLinkDropsFreeChain checks that a link keeps the outMsgs it has
// written for its senders while it is busy, and gives them up once it has
// been idle for a heartbeat interval.
func TestIdleLinkDropsFreeChain(t *testing.T) {
	ctx := testContext(t)
	sysB, nB := startNode(t, endpoint(t, "tcp"))
	got := make(chan any, 1)
	to := spawn(t, sysB, echo(got))
	sysA, nA := startNode(t, endpoint(t, "tcp"))
	if err := sysA.Send(ctx, to, msgPing{N: 1}); err != nil {
		t.Fatal(err)
	}
	recv(t, got, "the ping")
	l := nA.existingLink(nB.Address())
	if l == nil {
		t.Fatal("no link to the peer")
	}
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for busy := true; busy; {
		select {
		case <-tick.C:
			busy = l.sends.free.head.Load() != l.sends.free.tail.Load()
		case <-ctx.Done():
			t.Fatal("the idle link kept its free outMsgs")
		}
	}
}

// TestConcurrentSendersOneLink has eight goroutines stream to two actors on
// another node through one link, with bodies of every encoding: inline,
// in a buffer of their own, and []byte sent by reference. The routes,
// the link's queue and its chain of written envelopes are all shared, and
// envelopes are reused while others are in flight: every message must
// arrive intact, and each sender's messages to one actor in order.
func TestConcurrentSendersOneLink(t *testing.T) {
	const senders, each = 8, 1500
	sysB, nB := startNode(t, endpoint(t, "tcp"))
	type seen struct {
		next [senders]int64 // the next sequence number expected from each sender
		bad  error
	}
	results := make(chan seen, 2)
	var targets [2]actor.Ref
	for i := range targets {
		var s seen
		got := 0
		targets[i] = spawn(t, sysB, actor.Func(func(p *actor.Process) error {
			var from, seq int64
			switch m := p.Message().(type) {
			case msgPing:
				from, seq = m.N/each, m.N%each
				if m.Text != bodyText(m.N) && s.bad == nil {
					s.bad = fmt.Errorf("ping %d has text %q", m.N, m.Text)
				}
			case []byte:
				n := int64(binary.BigEndian.Uint64(m))
				from, seq = n/each, n%each
				if !bytes.Equal(m[8:], bytes.Repeat([]byte{byte(n)}, len(m)-8)) && s.bad == nil {
					s.bad = fmt.Errorf("bytes %d are not intact", n)
				}
			default:
				return nil
			}
			if seq < s.next[from] && s.bad == nil {
				s.bad = fmt.Errorf("sender %d: message %d after %d", from, seq, s.next[from])
			}
			s.next[from] = seq + 1
			if got++; got == senders*each/2 {
				results <- s
			}
			return nil
		}), actor.WithMailbox(mailbox.WithCapacity(4096)))
		targets[i].Node = nB.Address()
	}
	sysA, _ := startNode(t, endpoint(t, "tcp"))
	sendConcurrently(t, sysA, senders, each, func(g, i int) (actor.Ref, any) {
		n := int64(g*each + i)
		if i%3 != 0 {
			return targets[i%2], msgPing{N: n, Text: bodyText(n)}
		}
		b := bytes.Repeat([]byte{byte(n)}, 8+int(n%200)+refMin)
		binary.BigEndian.PutUint64(b, uint64(n))
		return targets[i%2], b
	})
	for range targets {
		s := recv(t, results, "a target's count")
		if s.bad != nil {
			t.Fatal(s.bad)
		}
	}
}

// bodyText is a text of 0 to 40 bytes that depends on n: its SEND is
// inline in some envelopes and not in others.
func bodyText(n int64) string { return strings.Repeat(string(rune('a'+n%26)), int(n%41)) }
