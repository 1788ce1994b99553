package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// sinkName is the name of the counting actor on the measuring node.
const sinkName = "sink"

// ErrBadStream is reported when the counting actor sees a message that is
// not the next one of the stream (wrong type, size or sequence number).
var ErrBadStream = errors.New("remote: unexpected message in the stream")

// A sink is the counting actor: it counts want messages and times the
// stream at the receiver, from the first message to the last, like
// libzmq's local_thr. It checks each message: a []byte of the expected
// size, or the Tick that comes next.
type sink struct {
	want, size int
	n          int
	first      time.Time
	err        error
	done       chan<- sinkResult // capacity 1; one result
	recycle    func([]byte)      // gives a checked []byte back to the node
}

// A sinkResult is the time from the first message to the last, and the
// first thing wrong with the stream, if any.
type sinkResult struct {
	elapsed time.Duration
	err     error
}

func newSink(want, size int, recycle func([]byte)) (actor.Behavior, <-chan sinkResult) {
	done := make(chan sinkResult, 1)
	s := &sink{want: want, size: size, done: done, recycle: recycle}
	return actor.Func(s.receive), done
}

func (s *sink) receive(p *actor.Process) error {
	msg := p.Message()
	if !isUser(msg) {
		return nil
	}
	s.n++
	if s.n == 1 {
		s.first = time.Now()
	}
	if s.err == nil {
		s.err = s.check(msg)
	}
	if b, ok := msg.([]byte); ok {
		s.recycle(b) // done with it: the node may read a later message into it
	}
	if s.n == s.want {
		s.done <- sinkResult{elapsed: time.Since(s.first), err: s.err}
	}
	return nil
}

func (s *sink) check(msg any) error {
	switch m := msg.(type) {
	case []byte:
		if len(m) != s.size {
			return fmt.Errorf("%w: message %d has %d bytes, want %d", ErrBadStream, s.n, len(m), s.size)
		}
	case Tick:
		if m.Seq != uint64(s.n) {
			return fmt.Errorf("%w: message %d is tick %d", ErrBadStream, s.n, m.Seq)
		}
	default:
		return fmt.Errorf("%w: message %d is a %T", ErrBadStream, s.n, msg)
	}
	return nil
}

// echoWith returns the echo actor: it answers every message that has a
// sender with the message itself, and gives a []byte back to the node
// (recycle), which recycles it once the reply is acknowledged.
func echoWith(recycle func([]byte)) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		if !isUser(p.Message()) || p.Sender().IsZero() {
			return nil
		}
		err := p.Reply(p.Message())
		if b, ok := p.Message().([]byte); ok {
			recycle(b)
		}
		return err
	})
}
