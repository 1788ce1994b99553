package socket

import "github.com/troupe-go/troupe/actor"

// An item is a message held by the socket actor, with its sender (the
// requester, for REQ).
type item struct {
	msg  Message
	from actor.Ref
}

// A fifo is the socket actor's queue of held messages. It is bounded by
// the caller (the actor stops reading its mailbox at the HWM), except for
// messages handed back by a peer that disconnected: those were accepted
// already and are never thrown away.
type fifo struct {
	items []item
	head  int
}

func (q *fifo) len() int { return len(q.items) - q.head }

func (q *fifo) push(it item) { q.items = append(q.items, it) }

func (q *fifo) peek() item { return q.items[q.head] }

func (q *fifo) pop() item {
	it := q.items[q.head]
	q.items[q.head] = item{}
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	} else if q.head > 64 && q.head*2 > len(q.items) {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	return it
}

// pushFront puts msgs back at the head, in order: they were sent before
// anything still held.
func (q *fifo) pushFront(msgs []Message) {
	if len(msgs) == 0 {
		return
	}
	rest := q.items[q.head:]
	items := make([]item, 0, len(msgs)+len(rest))
	for _, m := range msgs {
		items = append(items, item{msg: m})
	}
	q.items, q.head = append(items, rest...), 0
}

// drain empties the queue and returns what it held.
func (q *fifo) drain() []item {
	out := append([]item(nil), q.items[q.head:]...)
	q.items, q.head = nil, 0
	return out
}
