package actor

// A Handler is the handler form of an actor: Receive is called once per
// message, lifecycle messages included, always from one goroutine at a
// time, so the handler owns its state without locks. A returned error or a
// panic is a failure, handled by the actor's parent.
type Handler interface {
	Receive(p *Process) error
}

// HandlerFunc adapts a function to the Handler interface.
type HandlerFunc func(p *Process) error

// Receive calls f(p).
func (f HandlerFunc) Receive(p *Process) error { return f(p) }

// A LoopFunc is the channel-native form of an actor: it runs on its own
// goroutine, receives its inbox as a channel and may select on it together
// with timers and other channels. Each value received from inbox should be
// passed through p.Accept, which unwraps envelopes (setting p.Sender for
// Reply) and returns the message. Terminated notices for watches arrive in
// the inbox too. The loop must return when p.Context() is done; its return
// value is its exit reason (nil means normal).
type LoopFunc func(p *Process, inbox <-chan any) error

// A Behavior says how to build an actor. It is called afresh for each
// incarnation, so a restarted actor starts from clean state. Make one with
// Func, New or Loop.
type Behavior struct {
	newHandler func() Handler
	loop       LoopFunc
}

// Func returns the behavior of a handler-form actor whose handler is f.
// State shared by successive incarnations, if any, lives in f's closure.
func Func(f func(p *Process) error) Behavior {
	h := HandlerFunc(f)
	return Behavior{newHandler: func() Handler { return h }}
}

// New returns the behavior of a handler-form actor whose handler is made
// by calling newHandler, once per incarnation.
func New(newHandler func() Handler) Behavior {
	return Behavior{newHandler: newHandler}
}

// Loop returns the behavior of a loop-form actor.
func Loop(f LoopFunc) Behavior { return Behavior{loop: f} }

// IsZero reports whether b was never set.
func (b Behavior) IsZero() bool { return b.newHandler == nil && b.loop == nil }
