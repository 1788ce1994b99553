package mailbox

import "sync/atomic"

// systemLane is a lock-free multi-producer queue (a Treiber stack taken
// whole and reversed). Posting never blocks and never fails, which is what
// stop, watch and failure notices need.
type systemLane struct {
	head atomic.Pointer[systemNode]
}

type systemNode struct {
	msg  any
	next *systemNode
}

func (l *systemLane) push(msg any) {
	n := &systemNode{msg: msg}
	for {
		n.next = l.head.Load()
		if l.head.CompareAndSwap(n.next, n) {
			return
		}
	}
}

// takeAll removes every queued node and returns them oldest first.
func (l *systemLane) takeAll() *systemNode {
	n := l.head.Swap(nil)
	var fifo *systemNode
	for n != nil {
		next := n.next
		n.next = fifo
		fifo = n
		n = next
	}
	return fifo
}

// PostSystem queues msg on the system lane. It never blocks and works on a
// closed mailbox too (the owner, or whoever finalises it, drains the lane).
func (m *Mailbox) PostSystem(msg any) { m.system.push(msg) }

// HasSystem reports whether system messages are waiting.
func (m *Mailbox) HasSystem() bool { return m.system.head.Load() != nil }

// DrainSystem removes the system messages queued so far and calls f with
// each, oldest first. It returns the number handled. Concurrent callers
// each get a disjoint share, so every message is handled exactly once.
func (m *Mailbox) DrainSystem(f func(msg any)) int {
	n := 0
	for node := m.system.takeAll(); node != nil; node = node.next {
		f(node.msg)
		n++
	}
	return n
}
