package net

import (
	"bytes"
	"testing"
	"unsafe"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

func TestSizeClasses(t *testing.T) {
	for _, n := range []int{recycleMin, recycleMin + 1, 100_000, 512 << 10, 512<<10 + 50, 3 << 20, 8<<20 + 1} {
		size := classSize(n)
		if size < n || size > n+n/8+1 {
			t.Errorf("classSize(%d) = %d: not within an eighth above", n, size)
		}
		if classOf(size) != size {
			t.Errorf("classOf(classSize(%d)) = %d, want %d", n, classOf(size), size)
		}
		if c := classOf(size + 7); c > size+7 || c < size {
			t.Errorf("classOf(%d) = %d, want a class between %d and it", size+7, c, size)
		}
	}
}

// lentBody lends a body that lies in a fresh buffer of its class, as a
// node connection does, and returns both.
func lentBody(r *recycler, ring *lentRing, n int) (body, buf []byte) {
	buf = r.alloc(n + 40)
	body = buf[40 : 40+n : 40+n]
	r.lend(body, buf, ring)
	return body, buf
}

func same(a, b []byte) bool { return unsafe.SliceData(a) == unsafe.SliceData(b) }

func TestRecyclerReusesGivenBack(t *testing.T) {
	var (
		r    recycler
		ring lentRing
	)
	body, buf := lentBody(&r, &ring, 200_000)
	r.recycle(body)
	r.recycle(body) // a second time: ignored
	if got := r.alloc(200_040); !same(got, buf) {
		t.Fatal("a given-back buffer was not read into again")
	}
	if got := r.alloc(200_040); same(got, buf) {
		t.Fatal("a buffer given back twice was handed out twice")
	}
	if r.pooled.Load() != 1 || r.reused.Load() != 1 {
		t.Fatalf("pooled %d, reused %d; want 1 and 1", r.pooled.Load(), r.reused.Load())
	}
}

func TestRecyclerWaitsForSends(t *testing.T) {
	var (
		r    recycler
		ring lentRing
	)
	body, buf := lentBody(&r, &ring, 200_000)
	e := r.hold(body) // sent on: a link holds it until the peer acknowledges it
	if e == nil {
		t.Fatal("hold of a lent body found nothing")
	}
	r.recycle(body)
	if got := r.alloc(200_040); same(got, buf) {
		t.Fatal("a buffer still being sent was handed out")
	}
	r.release(e) // acknowledged
	if got := r.alloc(200_040); !same(got, buf) {
		t.Fatal("a buffer was not reused once its send was acknowledged")
	}
	if r.hold(body) != nil {
		t.Fatal("a pooled buffer was held again")
	}
}

func TestRecyclerIgnoresOthers(t *testing.T) {
	var (
		r    recycler
		ring lentRing
	)
	r.recycle(make([]byte, 200_000)) // not lent by the node
	body, _ := lentBody(&r, &ring, 200_000)
	r.recycle(body[1:]) // a slice of a lent body
	for range lentPerConn {
		lentBody(&r, &ring, 200_000) // pushes the first out of the connection's memory
	}
	r.recycle(body)
	if r.pooled.Load() != 0 {
		t.Fatalf("%d buffers pooled, want none", r.pooled.Load())
	}
	small := zmtp.NewBuffer(1000)
	r.lend(small[10:900], small, &ring)
	if r.hold(small[10:900]) != nil {
		t.Fatal("a small body was tracked")
	}
}

// TestRecycleEndToEnd: an echo replies with each 200 kB request and gives
// it back at once; the requester gives each reply back once checked. Every
// reply is its request, byte for byte, and both nodes read later messages
// into given-back buffers.
func TestRecycleEndToEnd(t *testing.T) {
	ctx := testContext(t)
	sysA, a := startNode(t, endpoint(t, "tcp"))
	sysB, b := startNode(t, endpoint(t, "tcp"))
	spawn(t, sysB, actor.Func(func(p *actor.Process) error {
		m, ok := p.Message().([]byte)
		if !ok {
			return nil
		}
		err := p.Reply(m)
		b.Recycle(m)
		return err
	}), actor.WithName("echo"))
	echoRef := actor.Ref{Node: b.Address(), Name: "echo"}
	for i := range 40 {
		req := bytes.Repeat([]byte{byte(i)}, 200_000)
		reply, err := sysA.Request(ctx, echoRef, req)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if got, ok := reply.([]byte); !ok || !bytes.Equal(got, req) {
			t.Fatalf("reply %d differs from its request", i)
		}
		a.Recycle(reply.([]byte))
	}
	for _, n := range []*Node{a, b} {
		if s := n.Stats(); s.Recycled == 0 || s.Reused == 0 {
			t.Errorf("node %s: %d buffers recycled, %d reused; want some of each", n.Address(), s.Recycled, s.Reused)
		}
	}
}

// TestRecyclerKeepsTheNewerLend: a buffer given back and read into again
// holds its next body at the same address; when the connection forgets
// the first lend, the second stays known.
func TestRecyclerKeepsTheNewerLend(t *testing.T) {
	var (
		r    recycler
		ring lentRing
	)
	first, buf := lentBody(&r, &ring, 200_000)
	r.recycle(first)
	again := r.alloc(200_040)
	if !same(again, buf) {
		t.Fatal("the buffer given back was not read into again")
	}
	second := again[40 : 40+200_000 : 40+200_000] // the same address as first
	r.lend(second, again, &ring)
	for range lentPerConn - 1 { // the ring forgets first's lend, then no more
		lentBody(&r, &ring, 200_000)
	}
	r.recycle(second)
	if r.pooled.Load() != 2 {
		t.Fatalf("%d buffers pooled, want 2: forgetting the first lend lost the second", r.pooled.Load())
	}
}

// TestRecyclerPoolsAreBounded: buffers given back beyond the pools'
// budget are left to the collector.
func TestRecyclerPoolsAreBounded(t *testing.T) {
	var r recycler
	size := classSize(8 << 20)
	for range poolBytes/size + 3 {
		r.put(zmtp.NewBuffer(size))
	}
	if got := int(r.pooled.Load()); got != poolBytes/size {
		t.Fatalf("%d buffers of %d bytes pooled, want %d (the budget)", got, size, poolBytes/size)
	}
	if r.bytes.Load() > poolBytes {
		t.Fatalf("%d bytes pooled, over the budget of %d", r.bytes.Load(), poolBytes)
	}
	r.alloc(size)
	if r.bytes.Load() != int64((poolBytes/size-1)*size) {
		t.Fatalf("%d bytes pooled after taking one, want %d", r.bytes.Load(), (poolBytes/size-1)*size)
	}
}

// TestRecycleAfterForwarding: a node forwards each 200 kB blob it gets to
// two other nodes and recycles it at once; the buffer is reused only once
// both links have had their copy acknowledged, so every blob arrives
// intact at both, though the forwarder recycles its buffers.
func TestRecycleAfterForwarding(t *testing.T) {
	ctx := testContext(t)
	const blobs, size = 30, 200_000
	sysA, _ := startNode(t, endpoint(t, "tcp"))
	sysB, b := startNode(t, endpoint(t, "tcp"))
	got := make(chan []byte, 2*blobs)
	var sinks []actor.Ref
	for range 2 {
		sys, n := startNode(t, endpoint(t, "tcp"))
		ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
			if m, ok := p.Message().([]byte); ok {
				got <- bytes.Clone(m)
			}
			return nil
		}))
		ref.Node = n.Address()
		sinks = append(sinks, ref)
	}
	spawn(t, sysB, actor.Func(func(p *actor.Process) error {
		m, ok := p.Message().([]byte)
		if !ok {
			return nil
		}
		for _, s := range sinks {
			if err := p.Send(s, m); err != nil {
				return err
			}
		}
		b.Recycle(m)
		return p.Reply("forwarded")
	}), actor.WithName("fork"))
	fork := actor.Ref{Node: b.Address(), Name: "fork"}
	// One at a time, so that each comes alone in its ZMTP message and is
	// lent; the next comes as soon as the fork has forwarded the last,
	// while its links may still be writing it.
	for i := range blobs {
		if _, err := sysA.Request(ctx, fork, bytes.Repeat([]byte{byte(i + 1)}, size)); err != nil {
			t.Fatal(err)
		}
	}
	seen := make(map[byte]int)
	for range 2 * blobs {
		m := recv(t, got, "a forwarded blob")
		if len(m) != size || !bytes.Equal(m, bytes.Repeat(m[:1], size)) {
			t.Fatal("a forwarded blob arrived changed: its buffer was read into while it was sent")
		}
		seen[m[0]]++
	}
	for i := range blobs {
		if seen[byte(i+1)] != 2 {
			t.Fatalf("blob %d arrived %d times, want 2", i+1, seen[byte(i+1)])
		}
	}
	if s := b.Stats(); s.Recycled == 0 {
		t.Error("the forwarder recycled no buffer")
	}
}
