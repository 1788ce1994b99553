package net

import (
	"errors"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

func TestBackoff(t *testing.T) {
	b := backoff{initial: DefaultReconnectInitial, max: DefaultReconnectMax}
	want := []time.Duration{1, 2, 4, 8, 16, 32, 32}
	for i, w := range want {
		if got := b.next(); got != w*time.Second {
			t.Fatalf("wait %d: %v, want %v", i, got, w*time.Second)
		}
	}
	b.reset()
	if got := b.next(); got != time.Second {
		t.Fatalf("after reset: %v, want 1s", got)
	}
}

func TestRing(t *testing.T) {
	var r ring
	for i := range 100 {
		r.push(record{msg: i}, i)
	}
	for i := range 50 {
		if got := r.pop().msg; got != i {
			t.Fatalf("pop %d: got %v", i, got)
		}
	}
	for i := 100; i < 300; i++ { // wraps, then grows
		r.push(record{msg: i}, i)
	}
	var got []int
	r.drain(func(x record) { got = append(got, x.msg.(int)) })
	if len(got) != 250 || got[0] != 50 || got[249] != 299 || r.len() != 0 {
		t.Fatalf("drained %d records from %d to %d, %d left", len(got), got[0], got[len(got)-1], r.len())
	}
	for i, v := range got {
		if v != 50+i {
			t.Fatalf("record %d is %d, out of order", i, v)
		}
	}
}

func TestClientNode(t *testing.T) {
	for _, owner := range []string{"tcp://127.0.0.1:5555", "ipc:///tmp/a/b.sock"} {
		node := clientNode(owner, 42)
		got, id, ok := parseClientNode(node)
		if !ok || got != owner || id != 42 || !IsClientRef(actor.Ref{Node: node, ID: 1}) {
			t.Fatalf("parse %q: %q %d %v", node, got, id, ok)
		}
	}
	for _, bad := range []string{"tcp://x:1", "zmtp-peer:tcp://x:1", "zmtp-peer:x/y"} {
		if _, _, ok := parseClientNode(bad); ok {
			t.Fatalf("parsed %q", bad)
		}
	}
}

func TestAnnounced(t *testing.T) {
	cases := map[string]string{
		"tcp://0.0.0.0:5555":   "tcp://127.0.0.1:5555",
		"tcp://127.0.0.1:5555": "tcp://127.0.0.1:5555",
		"tcp://[::]:5555":      "tcp://127.0.0.1:5555",
		"ipc:///tmp/x.sock":    "ipc:///tmp/x.sock",
	}
	for in, want := range cases {
		if got := announced(in); got != want {
			t.Fatalf("announced(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckAddress(t *testing.T) {
	for _, good := range []string{"tcp://127.0.0.1:1", "ipc:///tmp/x"} {
		if err := checkAddress(good); err != nil {
			t.Fatalf("%q: %v", good, err)
		}
	}
	for _, bad := range []string{"", "tcp://*:1", "tcp://127.0.0.1:0", "udp://x:1", "nonsense"} {
		if err := checkAddress(bad); !errors.Is(err, ErrBadAddress) {
			t.Fatalf("%q: %v, want ErrBadAddress", bad, err)
		}
	}
}

func TestBadOptions(t *testing.T) {
	sys := actor.NewSystem()
	defer shutdown(t, sys)
	bad := []Option{
		WithHeartbeat(0, 3),
		WithHeartbeat(time.Second, 0),
		WithReconnect(time.Second, time.Millisecond),
		WithLinkQueue(0, 0),
		WithLinkQueue(MaxLinkQueue+1, mailbox.Block),
		WithMaxBatch(0),
		WithBatchLimit(0),
		WithMaxMessageSize(10),
		WithLinger(-1),
		WithCodec(nil),
		WithReadSpin(-1, 1),
		WithReadSpin(DefaultReadSpin, -1),
	}
	for i, o := range bad {
		if _, err := Listen(testContext(t), sys, "tcp://127.0.0.1:0", o); !errors.Is(err, ErrBadOption) {
			t.Fatalf("option %d: %v, want ErrBadOption", i, err)
		}
	}
	if _, err := Listen(testContext(t), sys, "tcp://nowhere"); err == nil {
		t.Fatal("Listen accepted a bad endpoint")
	}
}

func TestOneNodePerSystem(t *testing.T) {
	sys, _ := startNode(t, endpoint(t, "tcp"))
	if _, err := Listen(testContext(t), sys, "tcp://127.0.0.1:0"); !errors.Is(err, actor.ErrNameTaken) {
		t.Fatalf("second Listen on a system: %v, want ErrNameTaken", err)
	}
}

func TestSendBadAddress(t *testing.T) {
	sys, _ := startNode(t, endpoint(t, "tcp"))
	err := sys.Send(testContext(t), actor.Ref{Node: "tcp://*:0", Name: "x"}, msgPing{})
	if !errors.Is(err, ErrBadAddress) {
		t.Fatalf("send to a bad node address: %v, want ErrBadAddress", err)
	}
	n := recv(t, watcher(t, sys, actor.Ref{Node: "bogus", Name: "x"}), "Terminated for a bad address")
	if !errors.Is(n.Reason, ErrBadAddress) {
		t.Fatalf("watch of a bad address: %v", n.Reason)
	}
}

// TestRingRelease checks that releasing records in bulk, across the wrap
// of the ring, sums their sizes, keeps the rest in order and lets the
// released messages go.
func TestRingRelease(t *testing.T) {
	var r ring
	lent := map[int]*lentBuf{7: {}, 55: {}, 108: {}} // records that hold a lent buffer
	var freed []*lentBuf
	free := func(e *lentBuf) { freed = append(freed, e) }
	for i := range 60 {
		r.push(record{msg: i, lent: lent[i]}, i)
	}
	if got := r.release(50, free); got != 49*50/2 {
		t.Fatalf("release(50) = %d, want %d", got, 49*50/2)
	}
	if len(freed) != 1 || freed[0] != lent[7] {
		t.Fatalf("release(50) freed %d lent buffers, want record 7's", len(freed))
	}
	for i := 60; i < 110; i++ { // wraps around the 64-slot ring
		r.push(record{msg: i, lent: lent[i]}, i)
	}
	if got, want := r.release(55, free), sumRange(50, 105); got != want {
		t.Fatalf("release(55) across the wrap = %d, want %d", got, want)
	}
	if len(freed) != 2 || freed[1] != lent[55] {
		t.Fatalf("release(55) freed %d lent buffers in all, want records 7 and 55's", len(freed))
	}
	if r.len() != 5 || r.lent != 1 {
		t.Fatalf("%d records left, %d with a lent buffer; want 5 and 1 (record 108)", r.len(), r.lent)
	}
	for i := 105; i < 110; i++ {
		if x := r.pop(); x.msg != i {
			t.Fatalf("after release, popped %v, want record %d", x, i)
		}
	}
	for i, x := range r.buf {
		if x.msg != nil {
			t.Fatalf("slot %d still holds message %v after release", i, x.msg)
		}
	}
}

func sumRange(from, to int) int {
	n := 0
	for i := from; i < to; i++ {
		n += i
	}
	return n
}

func TestSilentLimit(t *testing.T) {
	c := config{interval: 100 * time.Millisecond, liveness: 3}
	for _, tc := range []struct {
		peer time.Duration
		want int
	}{
		{0, 3},                      // not told: own interval × liveness
		{50 * time.Millisecond, 3},  // a faster peer: the same
		{time.Second, 30},           // 3 s, counted in 100 ms ticks
		{250 * time.Millisecond, 8}, // 750 ms: rounded up
		{100 * time.Millisecond, 3}, // equal
	} {
		if got := c.silentLimit(tc.peer); got != tc.want {
			t.Errorf("silentLimit(%v) = %d, want %d", tc.peer, got, tc.want)
		}
	}
}
