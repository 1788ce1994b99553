package net

import (
	"context"
	"fmt"
	"time"
)

// Close stops the node: the NodeActorName actor, the listeners, the
// inbound connections (each first acknowledges what it delivered) and the
// links, which first write what they still hold and wait for it to be
// acknowledged, for up to the linger time (WithLinger) or until ctx's
// deadline, whichever comes first. Whatever is left is dead-lettered and
// counted; watchers of remote actors get Terminated and waiting requests
// fail, both with an error wrapping ErrNodeDown and ErrClosed. Close
// returns once every goroutine of the node has exited, or with ctx's error
// if ctx ends first (the connections are closed then, so the goroutines
// exit soon after). System.Shutdown calls Close after stopping the actors.
// Close is idempotent: later calls wait for the first and return its
// result. Afterwards Send and the other methods return ErrClosed.
func (n *Node) Close(ctx context.Context) error {
	if !n.closing.CompareAndSwap(false, true) {
		select {
		case <-n.closed:
			return n.closeErr
		case <-ctx.Done():
			return fmt.Errorf("net: close %s: %w", n.addr, context.Cause(ctx))
		}
	}
	defer close(n.closed)
	n.closeErr = n.close(ctx)
	return n.closeErr
}

func (n *Node) close(ctx context.Context) error {
	if err := n.sys.Stop(ctx, n.self); err != nil {
		n.log.Debug("net: stop the node actor", "err", err)
	}
	deadline := time.Now().Add(n.cfg.linger)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	linger := time.AfterFunc(time.Until(deadline), n.cancelLinks)
	defer linger.Stop()
	defer n.cancelLinks()
	close(n.stop)
	n.closeListeners()
	<-n.mgrDone
	n.cancel()
	for l := range n.uniqueLinks() {
		close(l.stop)
	}
	for _, c := range *n.conns.Load() {
		c.stopReading()
	}
	return n.wait(ctx, deadline)
}

// wait waits for the node's goroutines until the drain deadline, then
// closes every connection and waits for them until ctx ends.
func (n *Node) wait(ctx context.Context, deadline time.Time) error {
	done := make(chan struct{})
	go func() { // exits when the node's goroutines have, even if Close gave up
		n.wg.Wait()
		close(done)
	}()
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-done:
		return nil
	case <-t.C:
	case <-ctx.Done():
	}
	n.cancelLinks()
	n.forceClose()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("net: close %s: goroutines still running: %w", n.addr, context.Cause(ctx))
	}
}

// forceClose closes every connection, which unblocks every goroutine of
// the node that waits on one.
func (n *Node) forceClose() {
	for l := range n.uniqueLinks() {
		if c := l.conn.Load(); c != nil {
			_ = c.Close()
		}
	}
	for _, c := range *n.conns.Load() {
		_ = c.conn.Close()
	}
}

func (n *Node) closeListeners() {
	for _, ln := range n.listeners {
		if err := ln.Close(); err != nil {
			n.log.Debug("net: close listener", "err", err)
		}
	}
}

// uniqueLinks returns the links once each (a link may have several names).
func (n *Node) uniqueLinks() map[*link]bool {
	seen := map[*link]bool{}
	for _, l := range *n.links.Load() {
		seen[l] = true
	}
	return seen
}
