package net

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// batchOfThree lends a read buffer with three 600-byte messages handed
// out of it, as a node connection does with a batch.
func batchOfThree(r *recycler) (e *lentBuf, buf []byte, bodies [][]byte) {
	buf = r.alloc(64 << 10)
	e = r.lendBatch(buf, 3)
	for i := range 3 {
		b := buf[10+600*i : 610+600*i : 610+600*i]
		if !e.handOut(b) {
			panic("handOut refused a body of its buffer")
		}
		bodies = append(bodies, b)
	}
	return e, buf, bodies
}

// TestRecyclerBatch: a batch buffer is pooled when the last of its
// messages is given back, not before; giving one back twice, or a slice
// from inside one, counts for nothing; a link sending one on holds the
// buffer until it lets go.
func TestRecyclerBatch(t *testing.T) {
	var r recycler
	e, buf, bodies := batchOfThree(&r)
	r.recycle(bodies[0]) // before the reader has counted them
	r.recycle(bodies[0]) // twice: ignored
	r.recycle(bodies[1][5:])
	r.settle(e)
	if r.pooled.Load() != 0 {
		t.Fatal("a batch buffer was pooled with two of its messages in use")
	}
	sent := r.hold(bodies[2]) // sent on to another node
	if sent == nil {
		t.Fatal("hold of a batch message found nothing")
	}
	r.recycle(bodies[1])
	r.recycle(bodies[2])
	if got := r.alloc(64 << 10); same(got, buf) {
		t.Fatal("a batch buffer was handed out while a link still sends from it")
	}
	r.release(sent) // acknowledged
	if got := r.alloc(64 << 10); !same(got, buf) {
		t.Fatal("a batch buffer given back whole was not read into again")
	}

	// All given back before the reader counts them: settle pools it.
	e, buf, bodies = batchOfThree(&r)
	for _, b := range bodies {
		r.recycle(b)
	}
	r.settle(e)
	if got := r.alloc(64 << 10); !same(got, buf) {
		t.Fatal("a batch buffer given back before settle was not pooled by it")
	}
}

// TestRecyclerBatchRefuses: handOut takes only messages in its buffer,
// in order, up to the count it was made for; a buffer pushed out of the
// node's memory by later batches is left to the collector.
func TestRecyclerBatchRefuses(t *testing.T) {
	var r recycler
	buf := r.alloc(64 << 10)
	e := r.lendBatch(buf, 2)
	if e.handOut(make([]byte, 600)) {
		t.Error("handOut took a body from another buffer")
	}
	if !e.handOut(buf[1000:1600]) || e.handOut(buf[100:700]) {
		t.Error("handOut took a body before the last one")
	}
	if !e.handOut(buf[2000:2600]) || e.handOut(buf[3000:3600]) {
		t.Error("handOut took more bodies than the batch was made for")
	}
	r.settle(e)
	for range batchSlots {
		other := r.alloc(64 << 10)
		r.settle(r.lendBatch(other, 1)) // pushes the first out of the node's memory
	}
	r.recycle(buf[1000:1600])
	r.recycle(buf[2000:2600])
	if got := r.alloc(64 << 10); same(got, buf) {
		t.Fatal("a forgotten batch buffer was pooled")
	}
}

// checker returns an actor that checks the count []byte messages of size
// bytes it gets against numbered, in order, and passes each to then (if
// not nil); done is closed after the last, and bad says what went wrong.
func checker(count, size int, then func(p *actor.Process, m []byte) error) (b actor.Behavior, done chan struct{}, bad chan string) {
	done, bad = make(chan struct{}), make(chan string, 1)
	next := uint64(0)
	return actor.Func(func(p *actor.Process) error {
		m, ok := p.Message().([]byte)
		if !ok {
			return nil
		}
		if err := checkNumbered(m, next, size); err != nil {
			select {
			case bad <- err.Error():
			default:
			}
		}
		if then != nil {
			if err := then(p, m); err != nil {
				return err
			}
		}
		if next++; next == uint64(count) {
			close(done)
		}
		return nil
	}), done, bad
}

// awaitChecked waits for a checker to have had all its messages, failing
// the test on the first bad one or after testTimeout.
func awaitChecked(t *testing.T, done <-chan struct{}, bad <-chan string) {
	t.Helper()
	select {
	case <-done:
	case msg := <-bad:
		t.Fatal(msg)
	case <-testContext(t).Done():
		t.Fatal("the stream did not arrive")
	}
	select {
	case msg := <-bad:
		t.Fatal(msg)
	default:
	}
}

// recycledStream streams count []byte messages of size bytes, each
// numbered in its first and last eight bytes, from one node to an actor
// on another, which checks each, forwards it to sink if not nil, and
// recycles it if recycle is set. It returns the receiving node.
func recycledStream(t *testing.T, count, size int, sink *actor.Ref, recycle bool) *Node {
	t.Helper()
	ctx := testContext(t)
	sysA, _ := startNode(t, endpoint(t, "tcp"))
	sysB, b := startNode(t, endpoint(t, "tcp"))
	behavior, done, bad := checker(count, size, func(p *actor.Process, m []byte) error {
		if sink != nil {
			if err := p.Send(*sink, m); err != nil {
				return err
			}
		}
		if recycle {
			b.Recycle(m)
		}
		return nil
	})
	ref := spawn(t, sysB, behavior, actor.WithMailbox(mailbox.WithCapacity(4096), mailbox.WithPolicy(mailbox.Block)))
	ref.Node = b.Address()
	for i := range count {
		if err := sysA.Send(ctx, ref, numbered(uint64(i), size)); err != nil {
			t.Fatal(err)
		}
	}
	awaitChecked(t, done, bad)
	return b
}

// numbered returns a message of size bytes that carries n at both ends.
func numbered(n uint64, size int) []byte {
	m := bytes.Repeat([]byte{byte(n)}, size)
	binary.BigEndian.PutUint64(m, n)
	binary.BigEndian.PutUint64(m[size-8:], n)
	return m
}

// checkNumbered reports how m differs from numbered(n, size).
func checkNumbered(m []byte, n uint64, size int) error {
	if !bytes.Equal(m, numbered(n, size)) {
		return fmt.Errorf("message %d arrived changed (starts with %d): its buffer was read into while in use", n, binary.BigEndian.Uint64(m))
	}
	return nil
}

// TestRecycleBatchedStream: a stream of 600-byte messages, batched, each
// recycled by its receiver once checked: every message arrives intact,
// and the node reads later batches into buffers given back.
func TestRecycleBatchedStream(t *testing.T) {
	b := recycledStream(t, 20_000, 600, nil, true)
	if s := b.Stats(); s.Recycled == 0 || s.Reused == 0 {
		t.Errorf("%d buffers recycled, %d reused; want some of each", s.Recycled, s.Reused)
	}
}

// TestRecycleBatchedForwarded: each message of a batched stream is sent
// on to a third node, then recycled at once: the forwarding node must not
// read into a buffer while a link still sends from it, so every message
// reaches the third node intact.
func TestRecycleBatchedForwarded(t *testing.T) {
	const count, size = 40_000, 600
	sysC, c := startNode(t, endpoint(t, "tcp"))
	behavior, done, bad := checker(count, size, nil)
	sink := spawn(t, sysC, behavior, actor.WithMailbox(mailbox.WithCapacity(4096), mailbox.WithPolicy(mailbox.Block)))
	sink.Node = c.Address()
	b := recycledStream(t, count, size, &sink, true)
	awaitChecked(t, done, bad)
	if s := b.Stats(); s.Recycled == 0 {
		t.Error("the forwarding node recycled no buffer")
	}
}

// TestBatchesRememberedOnceRecycling: a node whose actors never recycle
// keeps no books on batch buffers; the first Recycle turns them on.
func TestBatchesRememberedOnceRecycling(t *testing.T) {
	b := recycledStream(t, 2000, 600, nil, false)
	if n := b.recycler.nextBat.Load(); n != 0 {
		t.Fatalf("%d batch buffers remembered by a node that never recycles", n)
	}
	b.Recycle(make([]byte, 600)) // not the node's: does nothing, but says the actors recycle
	if !b.recycler.recycles.Load() {
		t.Fatal("Recycle did not turn the batch books on")
	}
}

// TestRecyclerBatchReadAgain: a batch buffer pooled and read into again
// has two entries in the node's memory, the old one spent; Recycle and
// hold count the new batch's messages on the new entry, so the buffer
// is pooled again once they are all back, and not while a link holds
// one.
func TestRecyclerBatchReadAgain(t *testing.T) {
	var r recycler
	e, buf, bodies := batchOfThree(&r)
	r.settle(e)
	for _, b := range bodies {
		r.recycle(b)
	}
	again := r.alloc(64 << 10)
	if !same(again, buf) {
		t.Fatal("the batch buffer was not pooled")
	}
	e2 := r.lendBatch(again, 3)
	for _, b := range bodies { // the same offsets, in the same buffer
		if !e2.handOut(b) {
			t.Fatal("handOut refused a body of the buffer read into again")
		}
	}
	r.settle(e2)
	sent := r.hold(bodies[0])
	if sent != e2 {
		t.Fatal("hold counted on the spent entry")
	}
	for _, b := range bodies {
		r.recycle(b)
	}
	if got := r.alloc(64 << 10); same(got, buf) {
		t.Fatal("the buffer was pooled while a link held one of its messages")
	}
	r.release(sent)
	if got := r.alloc(64 << 10); !same(got, buf) {
		t.Fatal("the buffer read into again was not pooled again")
	}
}
