package main

import (
	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/testnode/testmsg"
)

// isLifecycle reports whether msg is one of the runtime's own messages
// rather than one sent by somebody.
func isLifecycle(msg any) bool {
	switch msg.(type) {
	case actor.Started, actor.Stopping, actor.Stopped, actor.Restarting, actor.Terminated:
		return true
	}
	return false
}

// echo answers every message that has a sender with the message itself.
func echo(p *actor.Process) error {
	if isLifecycle(p.Message()) || p.Sender().IsZero() {
		return nil
	}
	return p.Reply(p.Message())
}

// A counter counts testmsg.Tick messages and answers testmsg.Count.
type counter struct{ c testmsg.Counted }

func newCounter() actor.Handler { return &counter{} }

// Receive counts a Tick, noting gaps in the sequence, or answers Count.
func (c *counter) Receive(p *actor.Process) error {
	switch m := p.Message().(type) {
	case testmsg.Tick:
		c.c.N++
		if c.c.N > 1 && m.Seq != c.c.Last+1 {
			c.c.Gaps++
		}
		c.c.Last = m.Seq
	case testmsg.Count:
		return p.Reply(c.c)
	}
	return nil
}
