package actor

import (
	"context"
	"slices"
)

// handleSystem handles one system-lane message on the goroutine that owns
// the cell.
func (c *cell) handleSystem(msg any) {
	if c.status.Load() == dead {
		c.handleDead(msg)
		return
	}
	switch m := msg.(type) {
	case *stopRequest:
		c.stopRequested(m)
	case watchRequest:
		if k := c.kinship(); !slices.Contains(k.watchers, m.watcher) {
			k.watchers = append(k.watchers, m.watcher)
		}
	case unwatchRequest:
		if k := c.kin; k != nil {
			k.watchers = slices.DeleteFunc(k.watchers, func(r Ref) bool { return r == m.watcher })
		}
	case childStarted:
		k := c.kinship()
		k.children = append(k.children, m.child)
		if c.status.Load() == stopping && k.stopChild == nil {
			c.stopNextChild()
		}
	case childExited:
		c.childExited(m.child, m.reason)
	case loopReturned:
		c.loopRunning = false
		if c.status.Load() == alive {
			c.beginStop(m.reason, nil, false)
		} else {
			c.stopNextChild()
		}
	case notice:
		c.handleNotice(m.msg)
	}
}

// handleDead answers system messages that reach a dead cell. Any goroutine
// may call it.
func (c *cell) handleDead(msg any) {
	switch m := msg.(type) {
	case *stopRequest:
		if m.done != nil {
			m.done <- nil
		}
	case watchRequest:
		c.sys.notify(m.watcher, Terminated{Ref: c.ref, Reason: c.reason})
	case childStarted:
		// The child was spawned while its parent died: it must not outlive it.
		m.child.postSystem(&stopRequest{reason: ErrShutdown})
	case notice:
		c.sys.deadLetter(c.ref, Ref{}, m.msg, ReasonNotFound)
	}
}

func (c *cell) handleNotice(msg any) {
	if c.status.Load() != alive {
		c.sys.deadLetter(c.ref, Ref{}, msg, ReasonStopped)
		return
	}
	if c.handler != nil {
		if err := c.deliver(msg); err != nil {
			c.exit(err)
		}
		return
	}
	// A loop actor reads notices from its inbox. Waiting there for room must
	// not hold up the system lane (a stop request behind it could never
	// cancel the wait), so a goroutine does it, bounded by the actor's own
	// lifetime.
	ctx := c.context()
	c.sys.goroutineStarted()
	go func() {
		defer c.sys.goroutineDone()
		if err := c.mb.Post(ctx, msg); err != nil {
			c.sys.deadLetter(c.ref, Ref{}, msg, ReasonFull)
		}
	}()
}

// beginStop starts the stop sequence: Stopping, children in reverse start
// order, Stopped, then death. waiter, if not nil, is told when it is over.
func (c *cell) beginStop(reason error, waiter chan error, graceful bool) {
	if waiter != nil {
		k := c.kinship()
		k.stopWaiters = append(k.stopWaiters, waiter)
	}
	if c.status.Load() != alive {
		return
	}
	if r := c.killReason(); r != nil {
		reason, graceful = r, false // a kill overtakes a graceful stop queued before it
	}
	c.reason = reason
	c.graceful = graceful
	c.status.Store(stopping)
	c.cancelContext(reason)
	if c.handler != nil && graceful {
		c.deliverLast(Stopping{Reason: reason})
	}
	c.stopNextChild()
}

// deliverLast delivers Stopping or Stopped. An error or panic there
// becomes the exit reason if the actor was stopping normally, so watchers
// learn of it; but a stop that was asked for is never restarted (see
// stopAsked).
func (c *cell) deliverLast(msg any) {
	err := c.deliver(msg)
	if err == nil || err == ErrNormal {
		return
	}
	c.sys.log.Warn("actor: error while stopping", "actor", c.ref, "step", typeName(msg), "err", err)
	if c.reason == ErrNormal {
		c.reason = err
	}
}

// stopRequested handles a stop request. A normal stop (ErrNormal,
// ErrShutdown) of a handler-form actor first lets it handle the messages
// already queued when the request is seen; later arrivals become dead
// letters when the mailbox closes. A stop with an abnormal reason (a slow
// consumer, say) begins after the current message.
func (c *cell) stopRequested(m *stopRequest) {
	if c.status.Load() == alive {
		c.stopAsked = true
	}
	k := c.kinship()
	if m.brutal || IsFailure(m.reason) || c.handler == nil || c.status.Load() != alive {
		k.pendingStop = nil
		c.beginStop(m.reason, m.done, !m.brutal)
		return
	}
	if m.done != nil {
		k.stopWaiters = append(k.stopWaiters, m.done)
	}
	if k.pendingStop != nil {
		return // already draining toward a stop
	}
	if k.drainLeft = c.mb.Len() + c.batched(); k.drainLeft == 0 {
		c.beginStop(m.reason, nil, true)
		return
	}
	k.pendingStop = m
}

// drained counts a handled message against a pending stop, and begins the
// stop when the messages queued before it are done (or the lane is empty).
func (c *cell) drained(handled bool) {
	k := c.kin
	if k == nil || k.pendingStop == nil {
		return
	}
	if handled {
		k.drainLeft--
	}
	if k.drainLeft <= 0 || !handled {
		m := k.pendingStop
		k.pendingStop = nil
		c.beginStop(m.reason, nil, true)
	}
}

// stopNextChild stops the youngest remaining child, or finishes when none
// is left. It runs again each time a child exits.
func (c *cell) stopNextChild() {
	if c.loopRunning {
		return // wait for the loop to return first
	}
	k := c.kin
	if k != nil && k.stopChild != nil {
		return // wait for it
	}
	if k == nil || len(k.children) == 0 {
		c.finish()
		return
	}
	k.stopChild = k.children[len(k.children)-1]
	k.stopChild.postSystem(&stopRequest{reason: ErrShutdown, brutal: !c.graceful})
}

func (c *cell) childExited(child *cell, reason error) {
	k := c.kinship()
	k.children = slices.DeleteFunc(k.children, func(x *cell) bool { return x == child })
	if c.status.Load() == stopping {
		if k.stopChild == child {
			k.stopChild = nil
		}
		c.stopNextChild()
		return
	}
	c.supervise(child, reason)
}

// finish makes the cell dead and tells everyone who needs to know.
func (c *cell) finish() {
	if c.handler != nil && c.graceful && c.killReason() == nil {
		c.deliverLast(Stopped{Reason: c.reason})
	}
	c.cancelContext(c.reason)
	s := c.sys
	if c.ref.Name != "" {
		// Before the actor looks dead: whoever sees it dead (a Watch that
		// gets Terminated at once) must find its name free.
		s.names.unregister(c.ref.Name, c.ref)
	}
	c.status.Store(dead)
	s.cells.remove(c.seq(), c)
	if c.subscribed.Load() {
		s.unsubscribeAll(c.ref)
	}
	c.mb.Close()
	c.dropBatch()
	if k := c.kin; k != nil {
		for _, w := range k.watchers {
			s.notify(w, Terminated{Ref: c.ref, Reason: c.reason})
		}
		for _, w := range k.stopWaiters {
			w <- nil
		}
		k.watchers, k.stopWaiters, k.children = nil, nil, nil
	}
	if s.hasSubscribers() {
		s.publishEvent(TopicStopped, ActorStopped{Ref: c.ref, Reason: c.reason})
	}
	if c.parent != nil {
		c.parent.postSystem(childExited{child: c, reason: c.reason})
	} else {
		s.superviseTopLevel(c)
	}
}

// startLoop runs a loop-form actor's function on its own goroutine.
func (c *cell) startLoop(f LoopFunc) {
	ctx := c.context()
	c.loopRunning = true
	c.sys.goroutineStarted()
	go func() {
		defer c.sys.goroutineDone()
		reason := c.runLoop(ctx, f)
		c.postSystem(loopReturned{reason: reason})
	}()
}

func (c *cell) runLoop(ctx context.Context, f LoopFunc) (reason error) {
	defer func() {
		if r := recover(); r != nil {
			reason = panicFailure(r)
		}
	}()
	err := f(&c.proc, c.mb.C())
	if cause := context.Cause(ctx); cause != nil {
		// Stopped or killed: the stop's reason wins over what the loop
		// returned (typically ctx.Err()), even if the stop request itself
		// is not handled yet.
		return cause
	}
	switch {
	case err == nil:
		return ErrNormal
	case IsFailure(err):
		return &Failure{Err: err}
	}
	return err
}
