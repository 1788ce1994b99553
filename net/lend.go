package net

// A link's goroutine that has written everything and waits lends its
// session to the link's senders. A sender that queues a request or a
// reply (a SEND that someone waits for) then takes the session with one
// compare-and-swap, writes the SEND itself and gives the session back,
// instead of waking the link's goroutine to write it. The request goes
// out on the requester's goroutine and the reply on the answering
// actor's, each without a hand-over to another goroutine: on a small
// machine whose CPUs are busy (nodes polling their sockets, see
// WithReadSpin), the runtime runs a goroutine handed over on another
// thread, which must wait for a CPU, sometimes for a scheduler tick (W5's
// request/reply p99: see bench/README.md). Streams are left to the
// writer, which writes them in parallel with their senders and in
// batches.
//
// Who owns the session's state (its frames, unacknowledged SENDs, the
// link's pending requests, the queue's consumer side) is the writer word:
// the link's goroutine (ownLink), nobody while it is lent (ownLent), or
// one sender (ownSender). Ownership passes only by compare-and-swap, so
// one goroutine at a time touches the state, and each hand-over orders
// its writes before the next owner's reads. A sender that finds the
// session taken does not wait: it wakes the link's goroutine, as it
// always did. The link's goroutine, woken for anything while a sender
// writes, says so (wantBack) and waits for its wake channel: the sender
// wakes it as it gives the session back.
//
// Order is kept: a sender does not write while operations (a WATCH, an
// UNWATCH…) wait in the link's system lane, which the link's goroutine
// handles before the SENDs queued after them (session.addSend); so a
// watch set up before a remote stop reaches the peer first.
//
// A sender writes only what cannot block it: SENDs up to lendBytes in
// all, and only while the peer has acknowledged all but lendBytes of what
// was written (so the socket's send buffer, 16 KiB or more, has room: an
// acknowledged SEND has left it). Anything more, a write error or a SEND
// still queued wakes the link's goroutine, which writes as before.

// testHookLent, if set, runs while a sender owns a lent session, before
// it writes.
var testHookLent func()

// The states of link.writer.
const (
	ownLink   int32 = iota // the link's goroutine owns the session
	ownLent                // the link's goroutine waits: a sender may take the session
	ownSender              // a sender writes
)

// lendBytes bounds what a sender writes on a lent session, and the
// unacknowledged bytes under which it may.
const lendBytes = 8 << 10

// lend lends s to the link's senders, for the link's goroutine's wait.
func (l *link) lend(s *session) {
	l.lent = s
	l.writer.Store(ownLent)
}

// takeBack ends a lend: it returns once the link's goroutine owns its
// session again, waiting for the sender that writes, if any.
func (l *link) takeBack() {
	if l.writer.CompareAndSwap(ownLent, ownLink) {
		return
	}
	l.wantBack.Store(true)
	for !l.writer.CompareAndSwap(ownLent, ownLink) {
		<-l.wake // the sender gives the session back, then sees wantBack
	}
	l.wantBack.Store(false)
	l.poke() // the wake-up taken here may have been for something else
}

// kick is the queue's wake-up: a SEND was queued while the link's
// goroutine waits. If the session is lent and the oldest SEND is a request
// or a reply, the caller writes on it; otherwise it wakes the link's
// goroutine.
func (l *link) kick() {
	if !l.writer.CompareAndSwap(ownLent, ownSender) {
		l.poke()
		return
	}
	more := l.lent.writeLent()
	l.writer.Store(ownLent)
	if more || l.wantBack.Load() {
		l.poke()
	}
}

// writeLent writes what a sender may on a lent session and reports
// whether the link's goroutine has more to do: SENDs still queued, or an
// error to handle.
func (s *session) writeLent() (more bool) {
	q := &s.l.sends
	if o := q.peek(); o == nil || !o.route.urgent {
		return o != nil
	}
	if s.l.q.HasSystem() {
		return true // control envelopes (a WATCH…) queued before go first: the link's goroutine writes them
	}
	if s.err != nil || s.applyAcks() != nil {
		return true
	}
	n := 0
	for o := q.peek(); o != nil && o.route.urgent && s.inFlight+s.size+o.size <= lendBytes && s.open(); o = q.peek() {
		s.add(q.unlink()) // o itself: peek paid the evictions owed
		n++
	}
	if n > 0 {
		if testHookLent != nil {
			testHookLent()
		}
		s.emit()
		q.done(n)
		s.flush()
		s.l.stats[cLentWrites].Add(uint64(n))
	}
	return s.err != nil || q.Len() > 0
}
