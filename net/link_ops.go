package net

import (
	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// Operations posted on a link's system lane, handled by its goroutine in
// order. Besides these, the lane carries *outMsg control envelopes
// (troupe.Terminated notices), which are written ahead of the user queue
// and held while the link is down. An operation is handled before any
// SEND queued after it (see session.addSend), so a watch set up before a
// remote stop reaches the peer first.
type (
	// watchOp registers a watch and writes its troupe.Watch envelope.
	watchOp struct {
		key    watchKey
		target actor.Ref
		o      *outMsg
	}
	// unwatchOp cancels a watch and writes its troupe.Unwatch envelope.
	unwatchOp struct {
		key watchKey
		o   *outMsg
	}
	// exitOp delivers a troupe.Terminated that came from the peer, if
	// the watch is still registered (exactly one notice per watch).
	exitOp struct {
		key    watchKey
		reason error
	}
	// pingOp asks the writer to answer a ZMTP PING read on session s.
	pingOp struct {
		s   *session
		ctx []byte
	}
)

// postOp queues an operation on the system lane and wakes the link. An
// operation that comes after the link finished is handled here.
func (l *link) postOp(op any) {
	l.q.PostSystem(op)
	l.poke()
	if l.finished.Load() {
		l.q.DrainSystem(l.orphan)
	}
}

// Dropped implements mailbox.DropHandler for q, whose user lane is not
// used: it never drops anything.
func (l *link) Dropped(msg any, why mailbox.DropReason) {
	if o, ok := msg.(*outMsg); ok {
		l.dropped(o, why)
	}
}

// dropped is called by sends for each SEND it discards: by its policy
// (DropNewest, DropOldest), or because the link finished.
func (l *link) dropped(o *outMsg, why mailbox.DropReason) {
	if why == mailbox.DroppedClosed {
		l.lose(o)
		return
	}
	l.stats[cDropped].Add(1)
	l.n.sys.DeadLetter(o.route.to, o.route.from, o.msg, actor.ReasonDropped)
	o.release()
}

// lose dead-letters an envelope that will never be written.
func (l *link) lose(o *outMsg) {
	l.stats[cRemoteDead].Add(1)
	l.n.sys.DeadLetter(o.route.to, o.route.from, o.msg, actor.ReasonRemote)
	o.release()
}

// orphan handles an operation found after the link finished.
func (l *link) orphan(v any) {
	switch op := v.(type) {
	case *outMsg:
		l.lose(op)
	case watchOp:
		l.n.sys.Notify(op.key.watcher, actor.Terminated{Ref: op.target, Reason: l.lastDown})
		op.o.release()
	case unwatchOp:
		op.o.release()
	}
}

// drainOps handles the operations posted so far. With a session, the
// control envelopes among them are written and flushed at once; without
// one, they are held for the next connection and watches fail at once.
func (l *link) drainOps(s *session) error {
	var sent uint64
	if s != nil {
		sent = s.sent
	}
	l.q.DrainSystem(func(v any) { l.op(s, v) })
	if s == nil {
		return nil
	}
	if len(s.batch) > 0 || s.sent != sent || s.dirty {
		s.emit()
		s.flush()
	}
	return s.err
}

func (l *link) op(s *session, v any) {
	switch op := v.(type) {
	case *outMsg:
		l.control(s, op)
	case watchOp:
		if s == nil {
			l.n.sys.Notify(op.key.watcher, actor.Terminated{Ref: op.target, Reason: l.lastDown})
			op.o.release()
			return
		}
		l.watches[op.key] = op.target
		l.control(s, op.o)
	case unwatchOp:
		delete(l.watches, op.key)
		l.control(s, op.o)
	case exitOp:
		if target, ok := l.watches[op.key]; ok {
			delete(l.watches, op.key)
			l.n.sys.Notify(op.key.watcher, actor.Terminated{Ref: target, Reason: op.reason})
		}
	case pingOp:
		if s != nil && op.s == s {
			s.pong(op.ctx)
		}
	}
}

// control writes a control envelope, or holds it until the link is up
// (at most as many as the queue's capacity; more are dead-lettered).
func (l *link) control(s *session, o *outMsg) {
	if s != nil {
		s.add(o)
		return
	}
	if _, ok := o.msg.(Unwatch); ok {
		o.release() // moot: the watch ended with a node-down notice
		return
	}
	if len(l.held) >= l.sends.Capacity() {
		l.lose(o)
		return
	}
	l.held = append(l.held, o)
}
