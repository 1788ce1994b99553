package net

import (
	"context"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/wire"
)

// The node actor (NodeActorName) serves the control plane. It never
// blocks on a remote party: Stop and Spawn, which wait for an actor, run
// on goroutines owned by the node (goTask), which answer when done.

func (n *Node) nodeBehavior() actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case Lookup:
			n.lookup(p, m)
		case Spawn:
			n.spawnKind(p, m)
		case Stop:
			n.stopTarget(p, m)
		case Watch:
			n.watchFor(p, m)
		case Unwatch:
			if n.isSelf(m.Target.Node) {
				_ = n.sys.Unwatch(m.Watcher, m.Target)
			}
		case Terminated:
			n.terminated(m)
		case actor.Started, actor.Stopping, actor.Stopped, actor.Restarting:
		default:
			n.log.Debug("net: node actor: unexpected message", "type", fmt.Sprintf("%T", m), "sender", p.Sender())
			n.reply(p, Error{Code: wire.CodeUnknownType, Text: fmt.Sprintf("net: node actor: unexpected %T", m)})
		}
		return nil
	})
}

// reply answers the current message if someone waits for the answer.
func (n *Node) reply(p *actor.Process, msg any) {
	if p.Sender().IsZero() {
		return
	}
	if err := p.Reply(msg); err != nil {
		n.log.Debug("net: node actor: reply", "to", p.Sender(), "err", err)
	}
}

func errorOf(err error) Error {
	return Error{Code: wire.ErrorCode(err), Text: err.Error()}
}

func (n *Node) lookup(p *actor.Process, m Lookup) {
	ref, ok := n.sys.Lookup(m.Name)
	if !ok {
		n.reply(p, Error{Code: wire.CodeNotFound, Text: fmt.Sprintf("net: no actor named %q on %s", m.Name, n.addr)})
		return
	}
	n.reply(p, Found{Ref: withNode(ref, n.addr)})
}

// answerLater runs f on a task goroutine and sends its answer to the
// current message's sender.
func (n *Node) answerLater(p *actor.Process, f func(ctx context.Context) any) {
	sender, self := p.Sender(), p.Self()
	ok := n.goTask(func(ctx context.Context) {
		msg := f(ctx)
		if sender.IsZero() {
			return
		}
		if err := n.sys.Deliver(ctx, sender, self, msg); err != nil {
			n.log.Debug("net: node actor: answer", "to", sender, "err", err)
		}
	})
	if !ok {
		n.reply(p, errorOf(fmt.Errorf("net: node %s: %w", n.addr, ErrClosed)))
	}
}

func (n *Node) spawnKind(p *actor.Process, m Spawn) {
	k, ok := (*n.kinds.Load())[m.Kind]
	if !ok {
		n.reply(p, Error{Code: wire.CodeSpawnFailed, Text: fmt.Sprintf("net: no kind %q registered on %s", m.Kind, n.addr)})
		return
	}
	timeout := DefaultSpawnTimeout
	if m.TimeoutMs > 0 {
		timeout = time.Duration(m.TimeoutMs) * time.Millisecond
	}
	n.answerLater(p, func(ctx context.Context) any {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		ref, err := k.spawn(ctx, n.sys, m.Name)
		if err != nil {
			return Error{Code: wire.CodeSpawnFailed, Text: err.Error()}
		}
		return Found{Ref: withNode(ref, n.addr)}
	})
}

func (n *Node) stopTarget(p *actor.Process, m Stop) {
	if !n.isSelf(m.Target.Node) {
		n.reply(p, Error{Code: wire.CodeNotFound, Text: fmt.Sprintf("net: %v is not on %s", m.Target, n.addr)})
		return
	}
	target := m.Target
	target.Node = n.addr
	n.answerLater(p, func(ctx context.Context) any {
		if err := n.sys.Stop(ctx, target); err != nil {
			return errorOf(err)
		}
		return Done{}
	})
}

// watchFor watches a local actor for a remote watcher (or a foreign
// client, whose request ref is the watcher when Watcher is empty).
func (n *Node) watchFor(p *actor.Process, m Watch) {
	watcher := m.Watcher
	if watcher.IsZero() {
		watcher = p.Sender()
	}
	if watcher.IsZero() {
		return
	}
	if !n.isSelf(m.Target.Node) {
		n.sys.Notify(watcher, actor.Terminated{Ref: m.Target, Reason: fmt.Errorf("net: %v is not on %s: %w", m.Target, n.addr, actor.ErrNotFound)})
		return
	}
	target := m.Target
	target.Node = n.addr
	if err := n.sys.Watch(watcher, target); err != nil {
		n.log.Debug("net: node actor: watch", "target", target, "err", err)
	}
}

// terminated hands a remote actor's exit to the link that registered the
// watch, which notifies the watcher if the watch is still on. A notice
// for a foreign client's watch goes on to the client.
func (n *Node) terminated(m Terminated) {
	if IsClientRef(m.Watcher) {
		_ = n.sys.Deliver(n.ctx, m.Watcher, actor.Ref{}, m)
		return
	}
	l := n.existingLink(m.Target.Node)
	if l == nil {
		n.log.Debug("net: node actor: Terminated for no watch", "watcher", m.Watcher, "target", m.Target)
		return
	}
	l.postOp(exitOp{key: keyOf(m.Watcher, m.Target), reason: wire.ErrorFromCode(m.Code, m.Text)})
}
