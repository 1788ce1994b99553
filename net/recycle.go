package net

import (
	"math/bits"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"
	"weak"

	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// Recycling of big received bodies. Every []byte message of recycleMin
// bytes or more that a node hands to an actor lies in a read buffer of its
// own, which the actor owns; without recycling, each such message is new
// memory, and a process that exchanges big messages collects garbage
// every few of them (in bench/remote, the one-way latency of 512 kB
// request/reply went from 323 µs to 125 µs with recycling).
//
// Node.Recycle gives such a message back. The node remembers the buffers
// it lent (weakly: a buffer nobody recycles is collected as usual), counts
// who holds each — the receiving actor, and each link that is sending it
// on, until the peer acknowledges it — and puts the buffer in a pool when
// the last holder lets go. Node connections read big messages into pooled
// buffers when there are any.
//
// Smaller []byte messages (detachMin bytes or more) that came in a batch
// are handed out inside the batch's read buffer too, many to a buffer.
// Once its actors recycle, the node remembers the last batchSlots such
// buffers (a node whose actors never do spends nothing on it), each with
// the count of its messages not given back yet; Recycle finds a
// message's buffer by address, and the last message given back pools the
// buffer.
// A stream of 512-byte messages whose receiver recycles them then reads
// into the same few buffers instead of new memory for each batch (in
// bench/remote, at 512 B: fewer garbage collections and no page faults).

// recycleMin is the smallest body that is tracked and recycled: smaller
// ones are copied out of their read buffer or share it with others (see
// detachMin and decodeBody), and a fresh allocation costs little. (At
// 16 kB and 32 kB, recycling took request/reply from 55 and 65 µs to 38
// and 49.)
const recycleMin = 16 << 10

// lentPerConn is how many lent buffers a connection remembers: the map of
// lent buffers holds the most recent ones only.
const lentPerConn = 16

// A lentBuf is a read buffer lent to an actor with the body it holds.
type lentBuf struct {
	buf     weak.Pointer[byte] // the buffer's first byte
	size    int                // its capacity
	holders atomic.Int32       // 0 when given back (or -1 once pooled)

	// A batch buffer's (see lendBatch): its bytes, where each message
	// handed out from it starts (in order), how many have been, and which
	// have been given back.
	start, end uintptr
	starts     []atomic.Uint32 // offsets from start
	count      atomic.Int32
	back       []atomic.Uint64 // a bit per message
}

// A recycler is a node's lent buffers and its pool of buffers to read into.
type recycler struct {
	lent     sync.Map     // uintptr (a body's first byte) → *lentBuf
	pools    sync.Map     // size class → chan []byte, the buffers of that class
	bytes    atomic.Int64 // in the pools
	pooled   atomic.Uint64
	reused   atomic.Uint64
	batches  [batchSlots]atomic.Pointer[lentBuf] // the last batch buffers lent (see lendBatch)
	nextBat  atomic.Uint32                       // where the next one goes
	recycles atomic.Bool                         // Recycle was called with a body a batch may hold: lend batches
}

// batchSlots is how many batch buffers a node remembers. Recycle looks
// through them for a message's buffer: a message recycled after this
// many later batches were read is left to the collector.
const batchSlots = 64

// maxBatchBuffer is the largest batch buffer lent: a message's offset in
// it must fit in a uint32.
const maxBatchBuffer = 1<<32 - 1

// batchBias is a batch buffer's count of holders while its reader is
// still handing out its messages: no Recycle can bring it to zero before
// the reader has counted them (see settle).
const batchBias = 1 << 30

// poolBytes bounds the memory a node keeps in its pools: a buffer given
// back when they are full is left to the collector.
const poolBytes = 64 << 20

// A lentRing is a connection's memory of the last buffers it lent: the
// map of lent buffers keeps only these.
type lentRing struct {
	keys    [lentPerConn]uintptr
	entries [lentPerConn]*lentBuf
	next    int
}

// lend records that body, a slice of buf, is handed to an actor; the
// connection's ring forgets its oldest entry for it.
func (r *recycler) lend(body, buf []byte, ring *lentRing) {
	if len(body) < recycleMin || !within(body, buf) {
		return
	}
	e := &lentBuf{buf: weak.Make(unsafe.SliceData(buf)), size: cap(buf)}
	e.holders.Store(1)
	key := uintptr(unsafe.Pointer(unsafe.SliceData(body)))
	i := ring.next
	if old := ring.entries[i]; old != nil {
		r.lent.CompareAndDelete(ring.keys[i], old) // unless a newer lend took the key
	}
	ring.keys[i], ring.entries[i], ring.next = key, e, (i+1)%lentPerConn
	r.lent.Store(key, e)
}

// within reports whether body lies in buf[:cap(buf)].
func within(body, buf []byte) bool {
	if cap(buf) == 0 {
		return false
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	at := uintptr(unsafe.Pointer(unsafe.SliceData(body)))
	return at >= start && at+uintptr(len(body)) <= start+uintptr(cap(buf))
}

// hold counts one more holder of body, a lent message being sent on; it
// returns the entry to release once the peer has it, or nil.
func (r *recycler) hold(body []byte) *lentBuf {
	if len(body) < detachMin {
		return nil
	}
	var e *lentBuf
	if len(body) >= recycleMin {
		if v, ok := r.lent.Load(uintptr(unsafe.Pointer(unsafe.SliceData(body)))); ok {
			e = v.(*lentBuf)
		}
	}
	if e == nil && r.nextBat.Load() != 0 { // this node has lent batch buffers
		e = r.batchOf(body)
	}
	if e == nil {
		return nil
	}
	for {
		h := e.holders.Load()
		if h <= 0 {
			return nil // already given back: do not resurrect it
		}
		if e.holders.CompareAndSwap(h, h+1) {
			return e
		}
	}
}

// recycle lets go of body for its receiver (Node.Recycle).
func (r *recycler) recycle(body []byte) {
	if len(body) < detachMin {
		return
	}
	if !r.recycles.Load() {
		r.recycles.Store(true) // from now on, batch buffers are remembered
	}
	if len(body) >= recycleMin {
		key := uintptr(unsafe.Pointer(unsafe.SliceData(body)))
		if v, ok := r.lent.Load(key); ok {
			r.release(v.(*lentBuf))
			return
		}
	}
	if e := r.batchOf(body); e != nil && e.giveBack(body) {
		r.release(e)
	}
}

// lendBatch records buf, a read buffer with up to n messages to hand out
// by reference, before the first of them is (see handOut): the entry
// counts them as batchBias holders until settle.
func (r *recycler) lendBatch(buf []byte, n int) *lentBuf {
	buf = buf[:cap(buf)]
	start := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	e := &lentBuf{buf: weak.Make(unsafe.SliceData(buf)), size: cap(buf), start: start, end: start + uintptr(cap(buf)),
		starts: make([]atomic.Uint32, n), back: make([]atomic.Uint64, (n+63)/64)}
	e.holders.Store(batchBias)
	r.batches[r.nextBat.Add(1)%batchSlots].Store(e)
	return e
}

// handOut records that body, which lies in e's buffer after the bodies
// handed out before it, is handed to an actor. It reports false if e
// has no room for it (it is then not counted, and never recycled).
func (e *lentBuf) handOut(body []byte) bool {
	i := int(e.count.Load())
	at := uintptr(unsafe.Pointer(unsafe.SliceData(body)))
	if i == len(e.starts) || at < e.start || at+uintptr(len(body)) > e.end ||
		i > 0 && uint32(at-e.start) <= e.starts[i-1].Load() {
		return false // not in the buffer (a big frame read apart), or out of order
	}
	e.starts[i].Store(uint32(at - e.start))
	e.count.Store(int32(i + 1))
	return true
}

// giveBack marks the message that starts at body as given back, and
// reports whether it was handed out and not given back before.
func (e *lentBuf) giveBack(body []byte) bool {
	off := uint32(uintptr(unsafe.Pointer(unsafe.SliceData(body))) - e.start)
	n := int(e.count.Load())
	i := sort.Search(n, func(i int) bool { return e.starts[i].Load() >= off })
	if i == n || e.starts[i].Load() != off {
		return false // a slice of a message, or none of this buffer's
	}
	word, bit := &e.back[i/64], uint64(1)<<(i%64)
	for {
		w := word.Load()
		if w&bit != 0 {
			return false // given back twice
		}
		if word.CompareAndSwap(w, w|bit) {
			return true
		}
	}
}

// settle sets e's count of holders to the messages its reader handed
// out, less those already given back; the buffer is pooled if that is
// all of them.
func (r *recycler) settle(e *lentBuf) {
	if e.holders.Add(e.count.Load()-batchBias) == 0 {
		r.give(e)
	}
}

// batchOf returns the remembered batch buffer that body lies in, or nil.
// Entries whose buffer was pooled (and may be read into again, under a
// newer entry) or collected (its memory may be another buffer's now) are
// passed over: only the live entry of body's buffer may count it, so
// that hold and Recycle always count on the same one.
func (r *recycler) batchOf(body []byte) *lentBuf {
	at := uintptr(unsafe.Pointer(unsafe.SliceData(body)))
	end := at + uintptr(len(body))
	for i := range r.batches {
		e := r.batches[i].Load()
		if e != nil && at >= e.start && end <= e.end && e.holders.Load() >= 0 && e.buf.Value() != nil {
			return e
		}
	}
	return nil
}

// release lets go of one holder of e; the last one pools the buffer.
func (r *recycler) release(e *lentBuf) {
	for {
		h := e.holders.Load()
		if h <= 0 {
			return // a second Recycle of one message: ignored
		}
		if !e.holders.CompareAndSwap(h, h-1) {
			continue
		}
		if h == 1 {
			r.give(e)
		}
		return
	}
}

// give puts e's buffer in the pools, once nobody holds it.
func (r *recycler) give(e *lentBuf) {
	if p := e.buf.Value(); p != nil && e.holders.CompareAndSwap(0, -1) {
		r.put(unsafe.Slice(p, e.size))
	}
}

// put pools b, unless the pools are full.
func (r *recycler) put(b []byte) {
	if r.bytes.Add(int64(cap(b))) > poolBytes {
		r.bytes.Add(-int64(cap(b)))
		return
	}
	select {
	case r.pool(classOf(cap(b))) <- b:
		r.pooled.Add(1)
	default: // this class's pool is full
		r.bytes.Add(-int64(cap(b)))
	}
}

// alloc returns a buffer of n bytes or more for a node connection to read
// a big message into (zmtp.Message.Alloc): a pooled one if any, else a new
// one rounded up to its size class, so that it can be pooled in its turn.
// It returns nil for a small message.
func (r *recycler) alloc(n int) []byte {
	if n < recycleMin {
		return nil
	}
	size := classSize(n)
	select {
	case b := <-r.pool(size):
		r.bytes.Add(-int64(cap(b)))
		r.reused.Add(1)
		return b
	default:
		return zmtp.NewBuffer(size)
	}
}

// pool returns the pool of a size class, made on first use.
func (r *recycler) pool(class int) chan []byte {
	if p, ok := r.pools.Load(class); ok {
		return p.(chan []byte)
	}
	p, _ := r.pools.LoadOrStore(class, make(chan []byte, max(1, poolBytes/class)))
	return p.(chan []byte)
}

// Size classes: eight per power of two, so that a buffer rounded up to
// its class wastes at most an eighth.

// classSize rounds n up to its size class.
func classSize(n int) int {
	step := 1 << max(bits.Len(uint(n))-4, 0)
	return (n + step - 1) &^ (step - 1)
}

// classOf names the class of a buffer of size bytes, rounded down: a
// pooled buffer is at least its class's size.
func classOf(size int) int {
	shift := max(bits.Len(uint(size))-4, 0)
	return size >> shift << shift
}

// Recycle gives back a []byte message of 512 bytes or more that this
// node received from another node, once the actor is done with it: the
// node reads later messages into its memory instead of new memory, which
// spares the allocation and, above all, the garbage collections that
// streams of such messages otherwise cause. After Recycle, neither b nor
// any slice of it may be used.
//
// A message of 16 KiB or more that came alone in its ZMTP message (a
// request, a reply, a slow stream) has a read buffer of its own, which
// Recycle gives back at once. Smaller ones, and those of a batch, share
// their read buffer with the others read with them: the buffer is given
// back with the last of them, so a receiver that recycles some of a
// stream's messages and keeps others only keeps their buffers from reuse.
// The node remembers the buffers of its last 64 batches, from the first
// Recycle on: a message recycled later is left to the collector.
//
// A message the actor has sent on to other nodes (forwarded, or returned
// to a remote requester with Reply) may be recycled at once: the node
// waits until every link sending it has had it acknowledged by the peer.
// One sent to a local actor may not: that actor gets the very slice.
// Recycling anything else — a smaller message, a local one, a slice from
// inside a message, the same message twice — does nothing. Not recycling is
// harmless too: the message is then collected as usual.
func (n *Node) Recycle(b []byte) { n.recycler.recycle(b) }
