package actor

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// Exit reasons and errors returned by the System. Exit reasons are errors:
// an actor's context is cancelled with its reason (context.Cause), and
// Terminated carries it to watchers.
var (
	// ErrNormal is the exit reason of an actor that returned or was stopped
	// on request. A handler that returns it (or an error wrapping it) stops
	// at once, after the current message: what is still queued becomes dead
	// letters. Stop, by contrast, first handles what was queued.
	ErrNormal = errors.New("actor: stopped normally")
	// ErrUndelivered is the error of a request whose message was dropped by
	// the target's mailbox policy or discarded when the target stopped.
	ErrUndelivered = errors.New("actor: message not delivered")
	// ErrShutdown is the exit reason of actors stopped by System.Shutdown,
	// and the error of calls made after it.
	ErrShutdown = errors.New("actor: system shut down")
	// ErrKilled is the exit reason of an actor killed without a graceful stop.
	ErrKilled = errors.New("actor: killed")
	// ErrNotFound is returned for a ref or name that addresses no live actor.
	ErrNotFound = errors.New("actor: no such actor")
	// ErrNameTaken is returned by Spawn when the name is registered already.
	ErrNameTaken = errors.New("actor: name already registered")
	// ErrNoSender is returned by Reply when the current message has no sender.
	ErrNoSender = errors.New("actor: message has no sender to reply to")
	// ErrNoTransport is returned for a remote ref when the system is not a
	// network node.
	ErrNoTransport = errors.New("actor: ref is remote and no transport is installed")
	// ErrSlowConsumer is the exit reason of an actor stopped by the
	// suicidal-snail policy.
	ErrSlowConsumer = errors.New("actor: slow consumer")
	// ErrIntensity is the exit reason of a parent whose children failed more
	// often than its restart intensity allows.
	ErrIntensity = errors.New("actor: restart intensity exceeded")
	// ErrExhausted is returned by Spawn once the system has used all 2^40
	// actor ids.
	ErrExhausted = errors.New("actor: actor ids exhausted")
)

// A Failure is the exit reason of an actor that panicked or returned an
// error from its handler or loop.
type Failure struct {
	Err   error  // the returned error, or the panic value wrapped as an error
	Panic any    // the panic value, nil for a returned error
	Stack []byte // the goroutine's stack at the panic, nil for a returned error
}

// Error describes the failure.
func (f *Failure) Error() string {
	if f.Panic != nil {
		return fmt.Sprintf("actor: panic: %v", f.Panic)
	}
	return "actor: failed: " + f.Err.Error()
}

// Unwrap returns the underlying error.
func (f *Failure) Unwrap() error { return f.Err }

// IsFailure reports whether reason is an abnormal exit: anything but
// ErrNormal and ErrShutdown (OTP's normal and shutdown).
func IsFailure(reason error) bool {
	return reason != nil && !errors.Is(reason, ErrNormal) && !errors.Is(reason, ErrShutdown)
}

// A TimeoutError is returned by Request when its context ends before the
// reply arrives. It names the target and the message type.
type TimeoutError struct {
	Target  Ref
	MsgType string
	Cause   error
}

// Error describes the timeout.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("actor: request %s to %v: no reply: %v", e.MsgType, e.Target, e.Cause)
}

// Unwrap returns the context's cause (context.DeadlineExceeded, …).
func (e *TimeoutError) Unwrap() error { return e.Cause }

func typeName(msg any) string {
	if msg == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%T", msg)
}

func panicFailure(r any) *Failure {
	return &Failure{Err: fmt.Errorf("panic: %v", r), Panic: r, Stack: debug.Stack()}
}
