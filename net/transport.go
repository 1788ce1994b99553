package net

import (
	"context"
	"errors"
	"fmt"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net/internal/wire"
)

// This file is the actor.Transport side of a Node: what the System calls
// for refs of other nodes.

// Send encodes msg on the caller's goroutine and queues it on the link to
// to's node (making the link on first use). It fails, and dead-letters
// the message, if msg's type is not registered in the node's Codec (an
// error wrapping ErrUnregistered), if the envelope is over the maximum
// message size (ErrTooLarge), if the link's queue refuses it (its policy:
// mailbox.ErrFull under Fail, or when ctx ends first under Block), or
// after Close (ErrClosed). A nil error means the message is queued: it is
// delivered, or dead-lettered and counted if the link loses it. A []byte
// message of 64 bytes or more is not copied here: the link writes it from
// the caller's slice later, so it must not be modified after Send (as with
// a local send, whose receiver gets the very slice).
func (n *Node) Send(ctx context.Context, to, from actor.Ref, msg any) error {
	if l := n.lastLink.Load(); l != nil && sameString(l.addr, to.Node) && (to.Name != "" || to.ID != 0) && !n.closing.Load() {
		// The node the last send went to (a link's own address is never
		// this node's, nor a client's): the checks below cost a stream
		// of small messages more than its link's queue.
		return n.sendOn(ctx, l, to.Node, &to, &from, msg)
	}
	switch {
	case n.closing.Load():
		return n.refuse(to, from, msg, ErrClosed, actor.ReasonNotFound)
	case to.Name == "" && to.ID == 0:
		return n.refuse(to, from, msg, fmt.Errorf("%w: ref has neither name nor id", actor.ErrNotFound), actor.ReasonNotFound)
	case n.isSelf(to.Node): // another of this node's endpoints
		to.Node = n.addr
		return n.sys.Deliver(ctx, to, from, msg)
	}
	addr := to.Node
	if owner, id, ok := parseClientNode(to.Node); ok {
		if n.isSelf(owner) {
			return n.sendToClient(ctx, id, to, from, msg)
		}
		addr = owner
	}
	l, err := n.linkFor(addr)
	if err != nil {
		return n.refuse(to, from, msg, err, actor.ReasonNotFound)
	}
	return n.sendOn(ctx, l, addr, &to, &from, msg)
}

// sendOn encodes msg and queues it on l, the link to addr, or to the link
// that replaces l if l has just expired.
func (n *Node) sendOn(ctx context.Context, l *link, addr string, to, from *actor.Ref, msg any) error {
	o, err := n.encodeSendFrom(&l.sends.free, to, from, msg)
	if err != nil {
		return n.refuseEncoding(*to, *from, msg, err)
	}
	for range maxRetries {
		err = l.sends.Post(ctx, o)
		if err == nil || !errors.Is(err, mailbox.ErrClosed) || !l.finished.Load() || n.closing.Load() {
			break
		}
		if l, err = n.linkFor(addr); err != nil { // the link expired meanwhile: make a new one
			o.release()
			return n.refuse(*to, *from, msg, err, actor.ReasonNotFound)
		}
	}
	if err != nil {
		return n.postFailed(l.sends.Policy(), &l.stats, o, err, l.addr)
	}
	return nil
}

// maxRetries bounds how many links Send tries when the link it found
// expires (WithLinkExpiry) under it.
const maxRetries = 3

// sendToClient queues a REPLY (or ERROR) for the foreign client on
// connection id.
func (n *Node) sendToClient(ctx context.Context, id uint64, to, from actor.Ref, msg any) error {
	c := (*n.conns.Load())[id]
	if c == nil {
		err := fmt.Errorf("%w: the client's connection is closed", actor.ErrNotFound)
		return n.refuse(to, from, msg, err, actor.ReasonNotFound)
	}
	o, err := n.encodeReply(to, from, msg)
	if err != nil {
		return n.refuseEncoding(to, from, msg, err)
	}
	return n.post(ctx, &c.out, &c.stats, o, c.client)
}

// post queues o on q, a client's reply queue; what the queue's policy
// refuses is dead-lettered and counted.
func (n *Node) post(ctx context.Context, q *mailbox.Mailbox, st *counters, o *outMsg, dest string) error {
	if err := q.Post(ctx, o); err != nil {
		return n.postFailed(q.Policy(), st, o, err, dest)
	}
	return nil
}

// postFailed dead-letters and counts o, which a queue with the policy
// refused with err.
func (n *Node) postFailed(policy mailbox.Policy, st *counters, o *outMsg, err error, dest string) error {
	to, from, msg := o.route.to, o.route.from, o.msg
	o.release()
	reason := actor.ReasonFull
	switch {
	case errors.Is(err, mailbox.ErrClosed):
		reason, err = actor.ReasonNotFound, ErrClosed
	case policy == mailbox.Block:
		reason = actor.ReasonTimeout
	}
	st[cRefused].Add(1)
	n.sys.DeadLetter(to, from, msg, reason)
	return fmt.Errorf("net: send %T to %v via %s: %w", msg, to, dest, err)
}

// refuse dead-letters a message that could not be sent and returns the
// error for the sender.
func (n *Node) refuse(to, from actor.Ref, msg any, err error, reason actor.DeadLetterReason) error {
	n.sys.DeadLetter(to, from, msg, reason)
	return fmt.Errorf("net: send %T to %v: %w", msg, to, err)
}

func (n *Node) refuseEncoding(to, from actor.Ref, msg any, err error) error {
	if errors.Is(err, ErrTooLarge) {
		n.stats[cTooLarge].Add(1)
	} else {
		n.stats[cEncode].Add(1)
	}
	return n.refuse(to, from, msg, err, actor.ReasonRemote)
}

// Watch registers the local watcher for a Terminated notice about the
// remote target: it sends troupe.Watch to target's node, and notifies the
// watcher itself, with a reason wrapping ErrNodeDown, if that node is or
// goes down first. An invalid node address is notified at once too.
func (n *Node) Watch(watcher, target actor.Ref) error {
	if n.isSelf(target.Node) { // another of this node's endpoints
		target.Node = n.addr
		return n.sys.Watch(watcher, target)
	}
	l, err := n.controlLink(target.Node)
	if err != nil {
		n.sys.Notify(watcher, actor.Terminated{Ref: target, Reason: err})
		return fmt.Errorf("net: watch %v: %w", target, err)
	}
	watcher = withNode(watcher, n.addr)
	o, err := n.encodeControl(target.Node, Watch{Watcher: watcher, Target: target})
	if err != nil {
		return err
	}
	l.postOp(watchOp{key: keyOf(watcher, target), target: target, o: o})
	return nil
}

// Unwatch cancels a Watch.
func (n *Node) Unwatch(watcher, target actor.Ref) {
	if n.isSelf(target.Node) {
		target.Node = n.addr
		_ = n.sys.Unwatch(watcher, target)
		return
	}
	l := n.existingLink(target.Node)
	if l == nil || n.closing.Load() {
		return
	}
	watcher = withNode(watcher, n.addr)
	if o, err := n.encodeControl(target.Node, Unwatch{Watcher: watcher, Target: target}); err == nil {
		l.postOp(unwatchOp{key: keyOf(watcher, target), o: o})
	}
}

// Notify sends a Terminated notice to a watcher on another node (or to a
// foreign client that watches with a correlation id). A notice that
// cannot be sent is dead-lettered.
func (n *Node) Notify(watcher actor.Ref, t actor.Terminated) {
	if n.isSelf(watcher.Node) {
		watcher.Node = n.addr
		n.sys.Notify(watcher, t)
		return
	}
	msg := Terminated{Watcher: watcher, Target: withNode(t.Ref, n.addr), Code: wire.ErrorCode(t.Reason)}
	if t.Reason != nil {
		msg.Text = t.Reason.Error()
	}
	addr := watcher.Node
	if owner, id, ok := parseClientNode(addr); ok {
		if n.isSelf(owner) {
			_ = n.sendToClient(n.ctx, id, watcher, actor.Ref{}, msg)
			return
		}
		addr = owner
	}
	l, err := n.controlLink(addr)
	if err != nil {
		n.sys.DeadLetter(watcher, actor.Ref{}, t, actor.ReasonNotFound)
		return
	}
	if o, err := n.encodeControl(addr, msg); err == nil {
		l.postOp(o)
	}
}

// controlLink returns the link for a control operation, or why there is
// none.
func (n *Node) controlLink(addr string) (*link, error) {
	if n.closing.Load() {
		return nil, fmt.Errorf("net: node %s: %w: %w", addr, ErrNodeDown, ErrClosed)
	}
	return n.linkFor(addr)
}

// encodeControl encodes a one-way message to the node actor at addr.
func (n *Node) encodeControl(addr string, msg any) (*outMsg, error) {
	o, err := n.encodeSend(actor.Ref{Node: addr, Name: NodeActorName}, actor.Ref{}, msg)
	if err != nil {
		n.log.Error("net: encode control message", "type", fmt.Sprintf("%T", msg), "err", err)
	}
	return o, err
}

// Stop asks target's node to stop it, and waits for the answer until ctx
// ends, like System.Stop. Stopping an actor that is already dead returns
// nil.
func (n *Node) Stop(ctx context.Context, target actor.Ref) error {
	if n.isSelf(target.Node) {
		target.Node = n.addr
		return n.sys.Stop(ctx, target)
	}
	reply, err := n.sys.Request(ctx, actor.Ref{Node: target.Node, Name: NodeActorName}, Stop{Target: target})
	if err != nil {
		return fmt.Errorf("net: stop %v: %w", target, err)
	}
	if _, ok := reply.(Done); !ok {
		return fmt.Errorf("net: stop %v: unexpected answer %T", target, reply)
	}
	return nil
}

// Lookup asks the node at node for the actor registered as name. The
// error wraps actor.ErrNotFound if there is none.
func (n *Node) Lookup(ctx context.Context, node, name string) (actor.Ref, error) {
	if n.isSelf(node) {
		return n.sys.LookupOn(ctx, n.addr, name)
	}
	reply, err := n.sys.Request(ctx, actor.Ref{Node: node, Name: NodeActorName}, Lookup{Name: name})
	if err != nil {
		return actor.Ref{}, fmt.Errorf("net: lookup %q on %s: %w", name, node, err)
	}
	f, ok := reply.(Found)
	if !ok {
		return actor.Ref{}, fmt.Errorf("net: lookup %q on %s: unexpected answer %T", name, node, reply)
	}
	return withNode(f.Ref, node), nil
}
