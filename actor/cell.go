package actor

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"

	"github.com/troupe-go/troupe/mailbox"
)

// A cell is the runtime's record of one actor incarnation. An idle
// handler-form actor has no goroutine: posting to its mailbox schedules a
// drain goroutine, which owns the cell's state (handler, children,
// watchers) while it runs, lingers a few scheduler yields when the mailbox
// runs dry, and exits. The run flag makes sure at most one goroutine owns
// the cell at a time.
type cell struct {
	sys     *System
	ref     Ref
	spec    *spawnSpec
	parent  *cell
	mb      mailbox.Mailbox
	batches bool    // handler form: its owner takes batches (see takeBatch); set before anyone can see the cell
	handler Handler // nil for the loop form
	proc    Process

	run        atomic.Int32  // idle, running or parked
	parkedAt   atomic.Uint32 // reaper tick at which the owner parked
	status     atomic.Int32  // alive, stopping, dead
	subscribed atomic.Bool   // has pub-sub subscriptions to remove at exit
	cancel     atomic.Pointer[context.CancelCauseFunc]
	killed     atomic.Pointer[error] // set by kill, from any goroutine
	reason     error                 // exit reason; written before status becomes dead

	// Owned by the goroutine that holds run.
	kin         *kin // made on first use: most actors never need it
	loopRunning bool
	graceful    bool
	stopAsked   bool   // stopped on request: never restarted by default supervision
	hot         bool   // got a message while lingering: park instead of leaving
	handled     uint32 // user-lane values taken; one-off actors never linger
	batch       []any  // messages of a batch taken from the inbox, not handled yet (see takeBatch)
	batchAt     int    // the next of them
}

const (
	alive int32 = iota
	stopping
	dead
)

// Values of cell.run.
const (
	idle    int32 = iota // no goroutine owns the cell
	running              // a goroutine owns the cell and is working
	parked               // the owner is blocked receiving from the inbox
)

// Tokens the runtime puts on a user lane to wake a parked owner; they are
// never delivered to the actor.
var (
	wakeToken = &mailbox.Token{Name: "wake"} // look at the system lane
	reapToken = &mailbox.Token{Name: "reap"} // leave if still idle
)

// schedule makes sure a goroutine will look at the cell's mailbox: it
// starts one if none owns the cell. A parked owner needs nothing: it is
// blocked receiving from the user lane and wakes with the message.
func (c *cell) schedule() {
	if c.run.Load() == idle && c.run.CompareAndSwap(idle, running) {
		c.sys.dispatch(c)
	}
}

// wake makes sure the cell's owner notices a system message.
func (c *cell) wake() {
	switch c.run.Load() {
	case idle:
		c.schedule()
	case parked:
		c.mb.Signal(wakeToken)
		if c.run.Load() == idle {
			c.schedule()
		}
	}
}

// drain runs the cell until it is idle, on a worker goroutine that owns it.
func (c *cell) drain() {
	for {
		c.work()
		c.run.Store(idle)
		if !c.hasWork() || !c.run.CompareAndSwap(idle, running) {
			return
		}
	}
}

func (c *cell) hasWork() bool {
	if c.mb.HasSystem() {
		return true
	}
	// (A batch taken is handled before work returns, unless the actor is
	// no longer alive: the owner's batch is none of this caller's business.)
	return c.handler != nil && c.status.Load() == alive && c.mb.Len() > 0
}

// work handles system messages first, then user messages, until both lanes
// stay empty. An actor that has had more than one message then lingers
// for a few scheduler yields (one that has had a single message, typical
// of short-lived actors, leaves at once); a hot one — one that got a
// message while lingering — parks on its inbox instead, which wakes it
// much faster, until the system's reaper finds it idle and sends it home.
func (c *cell) work() {
	spins := 0
	for {
		if c.mb.HasSystem() {
			c.mb.DrainSystem(c.handleSystem)
			spins = 0
			continue
		}
		if c.handler == nil || c.status.Load() != alive {
			return
		}
		if c.batched() > 0 {
			c.handled++
			if !c.handleValue(c.nextBatched()) {
				return
			}
			continue
		}
		select {
		case v := <-c.mb.C():
			if spins > 0 {
				c.hot = true
			}
			spins = 0
			if b, ok := v.(*mailbox.Batch); ok {
				c.takeBatch(b)
				continue
			}
			c.handled++
			if !c.handleValue(v) {
				return
			}
			continue
		default:
		}
		if k := c.kin; k != nil && k.pendingStop != nil {
			c.drained(false) // the lane ran dry before the count did
			continue
		}
		if spins < c.sys.linger && c.handled > 1 {
			spins++
			runtime.Gosched()
			continue
		}
		if !c.hot || !c.sys.parkSlot() || !c.park() {
			return
		}
		spins = 0
	}
}

// park blocks on the inbox until a message or a token comes. It returns
// false when the reaper asks the goroutine to leave.
func (c *cell) park() bool {
	defer c.sys.parked.Add(-1)
	c.parkedAt.Store(c.sys.tick.Load())
	c.run.Store(parked)
	if c.mb.HasSystem() {
		c.run.Store(running)
		return true
	}
	v := <-c.mb.C()
	c.run.Store(running)
	if b, ok := v.(*mailbox.Batch); ok {
		c.takeBatch(b) // handled by work, after the system lane
		return true
	}
	return c.handleValue(v)
}

// A batch (see System.Destination's PostBatch) is taken from the inbox
// whole; its messages are then handled one at a time, like messages
// received one at a time: the system lane still goes first between them,
// a restarted actor gets the rest, and a stopped one's rest become dead
// letters (dropBatch).

// takeBatch takes the messages of b, received from the inbox.
func (c *cell) takeBatch(b *mailbox.Batch) {
	c.batch, c.batchAt = c.mb.Unbatch(b), 0
}

// batched returns how many messages of the batch taken are not handled yet.
func (c *cell) batched() int { return len(c.batch) - c.batchAt }

// nextBatched returns the next message of the batch taken.
func (c *cell) nextBatched() any {
	v := c.batch[c.batchAt]
	c.batch[c.batchAt] = nil
	if c.batchAt++; c.batchAt == len(c.batch) {
		c.batch, c.batchAt = nil, 0
	}
	return v
}

// dropBatch dead-letters the messages of the batch taken that the actor
// will never handle: it is done.
func (c *cell) dropBatch() {
	for c.batched() > 0 {
		c.Dropped(c.nextBatched(), mailbox.DroppedClosed)
	}
}

// handleValue handles a value from the user lane: a message or a token. It
// returns false for a reap token that still finds the actor idle.
func (c *cell) handleValue(v any) bool {
	defer c.drained(true)
	switch v {
	case any(wakeToken):
		return true
	case any(reapToken):
		if c.mb.Len() > 0 || c.mb.HasSystem() {
			return true
		}
		c.hot = false
		return false
	}
	c.handleUser(v)
	return true
}

func (c *cell) handleUser(v any) {
	if env, ok := v.(*Envelope); ok {
		c.proc.msg = env.Message
		copyRef(&c.proc.sender, &env.Sender)
		*env = Envelope{}
		envelopes.Put(env)
	} else {
		c.proc.msg = v // the sender is the zero Ref between messages
	}
	err := c.invoke()
	c.proc.msg = nil
	if !isZeroRef(&c.proc.sender) {
		c.proc.sender = Ref{}
	}
	if err != nil {
		c.exit(err)
	}
}

// invoke calls the handler with the current message, turning a panic or a
// returned error into the actor's exit reason.
func (c *cell) invoke() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicFailure(r)
		}
	}()
	if err := c.handler.Receive(&c.proc); err != nil {
		if errors.Is(err, ErrNormal) {
			return ErrNormal
		}
		return &Failure{Err: err}
	}
	return nil
}

// deliver calls the handler with a runtime message (lifecycle or notice)
// and returns the handler's verdict.
func (c *cell) deliver(msg any) error {
	c.proc.msg, c.proc.sender = msg, Ref{}
	err := c.invoke()
	c.proc.msg = nil
	return err
}

// exit begins an exit the actor asked for (returned error or ErrNormal).
func (c *cell) exit(reason error) {
	if IsFailure(reason) {
		c.sys.log.Debug("actor failed", "actor", c.ref, "reason", reason)
	}
	c.beginStop(reason, nil, true)
}

func (c *cell) postSystem(msg any) {
	if req, ok := msg.(*stopRequest); ok && c.spec.behavior.loop != nil {
		// A loop actor's owner may be blocked handing it a notice through
		// its inbox; cancelling the loop's context now unblocks both.
		c.cancelContext(req.reason)
	}
	c.mb.PostSystem(msg)
	if c.status.Load() == dead {
		c.mb.DrainSystem(c.handleDead)
		return
	}
	c.wake()
}

// context returns the actor's lifetime context, made on first use.
func (c *cell) context() context.Context {
	k := c.kinship()
	if k.ctx == nil {
		ctx, cancel := context.WithCancelCause(context.Background())
		k.ctx = ctx
		c.cancel.Store(&cancel)
		if r := c.killReason(); r != nil {
			cancel(r) // a kill that came before the context existed
		} else if c.status.Load() != alive {
			cancel(c.reason)
		}
	}
	return k.ctx
}

// kin is the part of a cell that only some actors need: a lifetime
// context, children, watchers and stop waiters. Keeping it out of line
// keeps an idle actor small.
type kin struct {
	ctx         context.Context
	children    []*cell
	watchers    []Ref
	stopWaiters []chan error
	stopChild   *cell        // child being stopped while this cell stops
	pendingStop *stopRequest // a graceful stop waiting for queued messages
	drainLeft   int          // queued messages still to handle before it
}

// seq is the cell's index in the system's table.
func (c *cell) seq() uint64 { return c.ref.ID & seqMask }

func (c *cell) kinship() *kin {
	if c.kin == nil {
		c.kin = new(kin)
	}
	return c.kin
}

func (c *cell) cancelContext(reason error) {
	if cancel := c.cancel.Load(); cancel != nil {
		(*cancel)(reason)
	}
}

// kill cancels the actor's context at once and stops it without the
// Stopping step. Safe from any goroutine.
func (c *cell) kill(reason error) {
	c.killed.CompareAndSwap(nil, &reason)
	c.cancelContext(reason)
	c.postSystem(&stopRequest{reason: reason, brutal: true})
}

// killReason returns the reason of a kill requested so far, or nil.
func (c *cell) killReason() error {
	if r := c.killed.Load(); r != nil {
		return *r
	}
	return nil
}

// stop asks the actor to stop and waits until it is dead or ctx ends. An
// idle actor is stopped on the caller's goroutine, which takes ownership of
// it for the purpose: no goroutine has to be woken just to stop it.
func (c *cell) stop(ctx context.Context, reason error) error {
	done := make(chan error, 1)
	req := &stopRequest{reason: reason, done: done}
	if c.spec.behavior.loop != nil {
		c.postSystem(req)
		return c.await(ctx, done)
	}
	c.mb.PostSystem(req)
	switch {
	case c.status.Load() == dead:
		c.mb.DrainSystem(c.handleDead)
	case c.run.Load() == idle && c.run.CompareAndSwap(idle, running):
		c.drain()
	default:
		c.wake()
	}
	return c.await(ctx, done)
}

// await waits for a stop request's answer.
func (c *cell) await(ctx context.Context, done <-chan error) error {
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("actor: stop %v: %w", c.ref, context.Cause(ctx))
	}
}
