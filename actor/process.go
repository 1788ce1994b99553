package actor

import (
	"context"
	"log/slog"
)

// A Process is an actor's handle on itself and on the system, passed to
// every Receive call (and once to a LoopFunc). It holds the message being
// handled, its sender, and the operations an actor performs. A Process
// belongs to its actor's goroutine: do not use it from other goroutines,
// and do not keep it after the actor stops.
type Process struct {
	cell   *cell
	msg    any
	sender Ref
}

// Message returns the message being handled: a user message, a lifecycle
// message (Started, Restarting, Stopping, Stopped) or a Terminated notice.
func (p *Process) Message() any { return p.msg }

// Sender returns the sender of the current message, or the zero Ref.
func (p *Process) Sender() Ref { return p.sender }

// Self returns the actor's own ref.
func (p *Process) Self() Ref { return p.cell.ref }

// Parent returns the parent's ref, or the zero Ref for a top-level actor.
func (p *Process) Parent() Ref {
	if p.cell.parent == nil {
		return Ref{}
	}
	return p.cell.parent.ref
}

// System returns the actor's system.
func (p *Process) System() *System { return p.cell.sys }

// Logger returns the system's logger with the actor's ref attached.
func (p *Process) Logger() *slog.Logger { return p.cell.sys.log.With("actor", p.cell.ref) }

// Context returns the actor's lifetime context. It is cancelled when the
// actor begins to stop; context.Cause returns the exit reason.
func (p *Process) Context() context.Context { return p.cell.context() }

// Accept unwraps a value received from a loop actor's inbox: it returns
// the message and makes its sender the target of Reply. Handler-form
// actors never need it.
func (p *Process) Accept(v any) any {
	if env, ok := v.(*Envelope); ok {
		p.msg, p.sender = env.Message, env.Sender
		return env.Message
	}
	p.msg, p.sender = v, Ref{}
	return v
}

// Send sends msg to to, with this actor as the sender. Under a Block
// policy it waits for room until the actor's context ends.
func (p *Process) Send(to Ref, msg any) error {
	return p.cell.sys.send(p.cell.context(), to, p.cell.ref, msg)
}

// Reply sends msg to the sender of the current message: the waiting
// caller, for a request. It returns ErrNoSender when there is none.
func (p *Process) Reply(msg any) error {
	if p.sender.IsZero() {
		return ErrNoSender
	}
	return p.cell.sys.send(p.cell.context(), p.sender, p.cell.ref, msg)
}

// Forward sends the current message on to to, keeping its original
// sender, so that to's Reply goes straight to the requester.
func (p *Process) Forward(to Ref) error {
	return p.cell.sys.send(p.cell.context(), to, p.sender, p.msg)
}

// Request sends msg to to and waits for the reply, as System.Request. The
// actor handles nothing else meanwhile.
func (p *Process) Request(ctx context.Context, to Ref, msg any) (any, error) {
	return p.cell.sys.Request(ctx, to, msg)
}

// Spawn starts a child of this actor. The child is stopped before its
// parent, and its failures are handled by the parent: by its ChildExited
// method if the handler is a Supervisor, else by restarting it within the
// default intensity.
func (p *Process) Spawn(ctx context.Context, b Behavior, opts ...SpawnOption) (Ref, error) {
	return p.cell.sys.spawn(ctx, p.cell, newSpec(b, opts))
}

// Stop stops the actor ref and waits until it is dead. Stopping the actor
// itself does not wait (it cannot): the stop begins after the current
// message.
func (p *Process) Stop(ctx context.Context, ref Ref) error {
	if ref == p.cell.ref {
		p.cell.postSystem(&stopRequest{reason: ErrNormal})
		return nil
	}
	return p.cell.sys.Stop(ctx, ref)
}

// Watch asks for a Terminated notice when ref stops (see System.Watch).
func (p *Process) Watch(ref Ref) error { return p.cell.sys.Watch(p.cell.ref, ref) }

// Unwatch cancels a Watch.
func (p *Process) Unwatch(ref Ref) error { return p.cell.sys.Unwatch(p.cell.ref, ref) }

// Subscribe subscribes this actor to topics starting with prefix.
func (p *Process) Subscribe(prefix string) { p.cell.sys.Subscribe(p.cell.ref, prefix) }

// Unsubscribe removes a subscription made with Subscribe.
func (p *Process) Unsubscribe(prefix string) { p.cell.sys.Unsubscribe(p.cell.ref, prefix) }

// Mailbox returns the counters of the actor's mailbox.
func (p *Process) Mailbox() MailboxStats { return p.cell.mb.Stats() }
