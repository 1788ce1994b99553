package actor

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/troupe-go/troupe/mailbox"
)

// envelopes recycles the envelopes of messages sent with a sender. A
// handler-form actor returns each one after unpacking it; those read by
// loop-form actors are left to the garbage collector, since the loop may
// keep them.
var envelopes = sync.Pool{New: func() any { return new(Envelope) }}

// MailboxStats is a snapshot of an actor's mailbox counters.
type MailboxStats = mailbox.Stats

// Send delivers msg to the actor to, local or remote, with no sender. ctx
// bounds the wait when the target's mailbox is full under the Block
// policy. A message that cannot be delivered becomes a dead letter (see
// DeadLetter) and Send returns an error saying why: ErrNotFound for a dead
// or unknown actor, mailbox.ErrFull under the Fail policy, ErrShutdown
// after Shutdown. A nil error means the message was queued (or, under a
// drop policy, counted as dropped).
func (s *System) Send(ctx context.Context, to Ref, msg any) error {
	return s.send(ctx, to, Ref{}, msg)
}

// Deliver is Send with an explicit sender. Transports use it to hand
// inbound messages to local actors; actors use Process.Send instead.
func (s *System) Deliver(ctx context.Context, to, from Ref, msg any) error {
	return s.send(ctx, to, from, msg)
}

func (s *System) send(ctx context.Context, to, from Ref, msg any) error {
	if !s.isLocalNode(to.Node) {
		return s.sendRemote(ctx, to, from, msg)
	}
	if to.ID&futureBit != 0 {
		return s.completeFuture(to, from, msg, nil)
	}
	c, err := s.resolve(ctx, to)
	if err != nil {
		s.deadLetter(to, from, msg, ReasonNotFound)
		return err
	}
	return s.post(ctx, c, from, msg)
}

// post queues msg from from in c's mailbox.
func (s *System) post(ctx context.Context, c *cell, from Ref, msg any) error {
	var v any = msg
	if !isZeroRef(&from) {
		env := envelopes.Get().(*Envelope)
		env.Sender, env.Message = from, msg
		v = env
	}
	if err := c.mb.Post(ctx, v); err != nil {
		return s.postFailed(c, from, msg, err)
	}
	c.schedule()
	return nil
}

// A Destination is where System.Deliver sends to a ref, worked out once
// for many deliveries: a transport that hands a run of messages to one
// actor (a stream read off a connection) resolves the ref once, with
// System.Destination, instead of once per message. Delivering through it
// is System.Deliver to the ref, with the same results; while the actor
// it found lives, it skips the look-up. The zero Destination is not
// valid.
type Destination struct {
	sys *System
	to  Ref
	c   *cell // the live local actor to was, or nil: deliveries take the long way
}

// Destination returns the destination of to, for Destination.Deliver.
// ctx bounds the look-up of a ref by name.
func (s *System) Destination(ctx context.Context, to Ref) Destination {
	d := Destination{sys: s, to: to}
	if s.isLocal(to) && to.ID&futureBit == 0 {
		d.c, _ = s.resolve(ctx, to)
	}
	return d
}

// Deliver is System.Deliver(ctx, to, from, msg) for the ref to that d
// was made for.
func (d *Destination) Deliver(ctx context.Context, from Ref, msg any) error {
	c := d.c
	if c == nil || c.status.Load() == dead || d.sys.finished.Load() {
		return d.sys.send(ctx, d.to, from, msg)
	}
	return d.sys.post(ctx, c, from, msg)
}

// PostBatch posts msgs, in order and all from one sender, to the actor
// as one value of its inbox (a mailbox.Batch), if it is a live local
// actor that handles messages one at a time (not one that receives from
// its inbox itself) and its mailbox has room for all of them, and reports
// whether it did. If it did not, nothing was delivered: the caller
// delivers them one by one with Deliver, which applies the mailbox's
// policy. A transport that reads a run of messages for one actor off a
// connection hands them over with one channel operation instead of one
// each, and the actor takes them with one. msgs is not kept.
func (d *Destination) PostBatch(from Ref, msgs []any) bool {
	c := d.c
	if c == nil || !c.batches || c.status.Load() == dead || d.sys.finished.Load() ||
		len(msgs) < 2 || c.mb.Len()+len(msgs) > c.mb.Capacity() {
		return false
	}
	vs := make([]any, len(msgs))
	if isZeroRef(&from) {
		copy(vs, msgs)
	} else {
		for i, m := range msgs {
			env := envelopes.Get().(*Envelope)
			env.Sender, env.Message = from, m
			vs[i] = env
		}
	}
	if !c.mb.PostBatch(vs) {
		for _, v := range vs {
			if env, ok := v.(*Envelope); ok {
				*env = Envelope{}
				envelopes.Put(env)
			}
		}
		return false
	}
	c.schedule()
	return true
}

func (s *System) postFailed(c *cell, from Ref, msg any, err error) error {
	switch {
	case errors.Is(err, mailbox.ErrClosed):
		s.deadLetter(c.ref, from, msg, ReasonNotFound)
		return fmt.Errorf("actor: send to %v: %w", c.ref, ErrNotFound)
	case c.mb.Policy() == mailbox.Block:
		s.deadLetter(c.ref, from, msg, ReasonTimeout)
	default:
		s.deadLetter(c.ref, from, msg, ReasonFull)
	}
	return fmt.Errorf("actor: send to %v: %w", c.ref, err)
}

// resolve finds the live local cell that to addresses.
func (s *System) resolve(ctx context.Context, to Ref) (*cell, error) {
	if s.finished.Load() {
		return nil, ErrShutdown
	}
	if to.ID == 0 {
		if to.Name == "" {
			return nil, fmt.Errorf("actor: send to %v: %w", to, ErrNotFound)
		}
		if ctx == nil {
			ctx = context.Background()
		}
		if ref, ok := s.names.cached(to.Name); ok {
			if c := s.cell(ref.ID); c != nil {
				return c, nil
			}
		}
		ref, ok := s.names.lookup(ctx, to.Name)
		if !ok {
			return nil, fmt.Errorf("actor: send to %q: %w", to.Name, ErrNotFound)
		}
		to = ref
	}
	c := s.cell(to.ID)
	if c == nil {
		return nil, fmt.Errorf("actor: send to %v: %w", to, ErrNotFound)
	}
	return c, nil
}

// cell returns the live cell with this id, or nil.
func (s *System) cell(id uint64) *cell {
	if id&(epochMask|futureBit) != s.epoch {
		return nil
	}
	c := s.cells.load(id & seqMask)
	if c == nil || c.ref.ID != id || c.status.Load() == dead {
		return nil
	}
	return c
}

// Lookup returns the ref of the live actor registered under name.
func (s *System) Lookup(name string) (Ref, bool) {
	if ref, ok := s.names.cached(name); ok && s.cell(ref.ID) != nil {
		return ref, true
	}
	return s.names.lookup(context.Background(), name)
}

// Alive reports whether ref addresses a live local actor.
func (s *System) Alive(ref Ref) bool {
	return s.isLocal(ref) && ref.ID&futureBit == 0 && s.cell(ref.ID) != nil
}

// MailboxStats returns the mailbox counters of the live local actor ref.
func (s *System) MailboxStats(ref Ref) (MailboxStats, bool) {
	if !s.isLocal(ref) {
		return MailboxStats{}, false
	}
	c := s.cell(ref.ID)
	if c == nil {
		return MailboxStats{}, false
	}
	return c.mb.Stats(), true
}

// Stop stops the actor ref gracefully and waits until it is dead or ctx
// ends: a handler-form actor first handles the messages already queued
// when it sees the request, then receives Stopping, its children stop in
// reverse start order, and it receives Stopped; messages that arrive
// meanwhile become dead letters. A loop-form actor sees its context
// cancelled. Stopping an actor that is already dead returns nil at once.
// An actor stopped this way is never restarted by default supervision,
// even if its Stopping or Stopped step fails.
func (s *System) Stop(ctx context.Context, ref Ref) error {
	return s.Exit(ctx, ref, ErrNormal)
}

// Exit stops the actor ref like Stop, with reason as its exit reason (what
// watchers, its parent and context.Cause see): a supervisor stops a slow
// consumer with a reason wrapping ErrSlowConsumer. An abnormal reason
// (see IsFailure) does not wait for the queued messages to be handled: the
// stop begins after the current one. For a remote ref the reason is
// ErrNormal.
func (s *System) Exit(ctx context.Context, ref Ref, reason error) error {
	if !s.isLocal(ref) {
		t, err := s.remote(ref)
		if err != nil {
			return err
		}
		return t.Stop(ctx, ref)
	}
	c, err := s.resolve(ctx, ref)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	}
	return c.stop(ctx, reason)
}

// Kill stops the local actor ref at once: its context is cancelled and
// the Stopping and Stopped steps are skipped. Go cannot interrupt a
// goroutine, so a handler busy in code that ignores its context finishes
// its current message first. Kill does not wait. Like a requested stop,
// a killed actor is not restarted by default supervision (a supervisor
// from package supervisor applies its own restart type).
func (s *System) Kill(ref Ref) {
	if c := s.cell(ref.ID); c != nil && s.isLocal(ref) {
		c.kill(ErrKilled)
	}
}
