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
	seq     uint64
	spec    *spawnSpec
	parent  *cell
	mb      *mailbox.Mailbox
	handler Handler // nil for the loop form
	proc    Process

	run        atomic.Int32 // 1 while a goroutine owns the cell
	status     atomic.Int32 // alive, stopping, dead
	subscribed atomic.Bool  // has pub-sub subscriptions to remove at exit
	cancel     atomic.Pointer[context.CancelCauseFunc]
	reason     error // exit reason; written before status becomes dead

	// Owned by the goroutine that holds run.
	ctx         context.Context
	children    []*cell
	watchers    []Ref
	stopWaiters []chan error
	stopChild   *cell // child being stopped while this cell stops
	loopRunning bool
	graceful    bool
}

const (
	alive int32 = iota
	stopping
	dead
)

// schedule makes sure a goroutine will look at the cell's mailbox.
func (c *cell) schedule() {
	if c.run.Load() == 0 && c.run.CompareAndSwap(0, 1) {
		c.sys.goroutineStarted()
		go c.drain()
	}
}

func (c *cell) drain() {
	defer c.sys.goroutineDone()
	for {
		c.work()
		c.run.Store(0)
		if !c.hasWork() || !c.run.CompareAndSwap(0, 1) {
			return
		}
	}
}

func (c *cell) hasWork() bool {
	if c.mb.HasSystem() {
		return true
	}
	return c.handler != nil && c.status.Load() == alive && c.mb.Len() > 0
}

// work handles system messages first, then user messages, until both lanes
// stay empty for the linger period.
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
		select {
		case v := <-c.mb.C():
			c.handleUser(v)
			spins = 0
			continue
		default:
		}
		if spins >= c.sys.linger {
			return
		}
		spins++
		runtime.Gosched()
	}
}

func (c *cell) handleUser(v any) {
	if env, ok := v.(*Envelope); ok {
		c.proc.msg, c.proc.sender = env.Message, env.Sender
	} else {
		c.proc.msg, c.proc.sender = v, Ref{}
	}
	err := c.invoke()
	c.proc.msg, c.proc.sender = nil, Ref{}
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
	c.mb.PostSystem(msg)
	if c.status.Load() == dead {
		c.mb.DrainSystem(c.handleDead)
		return
	}
	c.schedule()
}

// context returns the actor's lifetime context, made on first use.
func (c *cell) context() context.Context {
	if c.ctx == nil {
		ctx, cancel := context.WithCancelCause(context.Background())
		c.ctx = ctx
		c.cancel.Store(&cancel)
		if c.status.Load() != alive {
			cancel(c.reason)
		}
	}
	return c.ctx
}

func (c *cell) cancelContext(reason error) {
	if cancel := c.cancel.Load(); cancel != nil {
		(*cancel)(reason)
	}
}

// kill cancels the actor's context at once and stops it without the
// Stopping step. Safe from any goroutine.
func (c *cell) kill(reason error) {
	c.cancelContext(reason)
	c.postSystem(&stopRequest{reason: reason, brutal: true})
}

// stop asks the actor to stop and waits until it is dead or ctx ends.
func (c *cell) stop(ctx context.Context, reason error) error {
	done := make(chan error, 1)
	c.postSystem(&stopRequest{reason: reason, done: done})
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("actor: stop %v: %w", c.ref, context.Cause(ctx))
	}
}
