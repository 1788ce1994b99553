package supervisor_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/supervisor"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// waitLimit bounds every wait of a real-time test.
const waitLimit = 5 * time.Second

// journal collects lines from actors ("start:a", "stop:b") without ever
// blocking them: a full journal counts the overflow, and check fails the
// test.
type journal struct {
	lines    chan string
	overflow atomic.Int64
}

func newJournal() *journal { return &journal{lines: make(chan string, 1024)} }

func (j *journal) add(line string) {
	select {
	case j.lines <- line:
	default:
		j.overflow.Add(1)
	}
}

// take returns the lines recorded so far.
func (j *journal) take() []string {
	var out []string
	for {
		select {
		case l := <-j.lines:
			out = append(out, l)
		default:
			return out
		}
	}
}

func (j *journal) check(t *testing.T) {
	t.Helper()
	if n := j.overflow.Load(); n > 0 {
		t.Errorf("journal overflowed by %d lines", n)
	}
}

// events records every runtime and supervisor event of a system.
type events struct {
	ch       chan any
	overflow atomic.Int64
	stop     func()
}

func watchEvents(sys *actor.System) *events {
	e := &events{ch: make(chan any, 4096)}
	e.stop = sys.SubscribeFunc(actor.TopicEvents, func(p actor.Publication) {
		if _, ok := p.Message.(actor.DeadLetter); ok {
			return
		}
		select {
		case e.ch <- p.Message:
		default:
			e.overflow.Add(1)
		}
	})
	return e
}

// until returns the events up to and including the first one for which
// match is true. It fails the test after waitLimit (virtual time inside a
// synctest bubble, where waiting for an event that never comes deadlocks
// and fails the test instead).
func (e *events) until(t *testing.T, what string, match func(any) bool) []any {
	t.Helper()
	timer := time.NewTimer(waitLimit)
	defer timer.Stop()
	var seen []any
	for {
		select {
		case ev := <-e.ch:
			seen = append(seen, ev)
			if match(ev) {
				return seen
			}
		case <-timer.C:
			t.Fatalf("no %s within %v; saw %d events: %v", what, waitLimit, len(seen), describe(seen))
		}
	}
}

// exit waits for the supervisor's ChildExit event about child, and returns
// it with the events before it.
func (e *events) exit(t *testing.T, child string) (supervisor.ChildExit, []any) {
	t.Helper()
	seen := e.until(t, "ChildExit for "+child, func(ev any) bool {
		x, ok := ev.(supervisor.ChildExit)
		return ok && x.Child == child
	})
	return seen[len(seen)-1].(supervisor.ChildExit), seen[:len(seen)-1]
}

// stopped waits for the ActorStopped event of ref and returns its reason.
func (e *events) stopped(t *testing.T, ref actor.Ref) error {
	t.Helper()
	seen := e.until(t, fmt.Sprintf("ActorStopped for %v", ref), func(ev any) bool {
		x, ok := ev.(actor.ActorStopped)
		return ok && x.Ref == ref
	})
	return seen[len(seen)-1].(actor.ActorStopped).Reason
}

func (e *events) close(t *testing.T) {
	t.Helper()
	e.stop()
	if n := e.overflow.Load(); n > 0 {
		t.Errorf("event recorder overflowed by %d events", n)
	}
}

func describe(evs []any) string {
	s := ""
	for _, ev := range evs {
		s += fmt.Sprintf("\n\t%T %+v", ev, ev)
	}
	return s
}

// restartedNames returns the names of the actors whose Restarted events
// are among evs, in order.
func restartedNames(evs []any) []string {
	var out []string
	for _, ev := range evs {
		if r, ok := ev.(actor.Restarted); ok {
			out = append(out, r.New.Name)
		}
	}
	return out
}

// worker returns a child behavior that journals its lifecycle and obeys
// commands: "fail" returns an error, "panic" panics, "normal" exits
// normally, "gap" finds a gap in a sequence (a slow consumer).
func worker(name string, j *journal) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case actor.Started:
			j.add("start:" + name)
		case actor.Stopped:
			j.add("stop:" + name)
		case string:
			return obey(m)
		}
		return nil
	})
}

var errBoom = errors.New("boom")

func obey(cmd string) error {
	switch cmd {
	case "fail":
		return errBoom
	case "panic":
		panic("boom")
	case "normal":
		return actor.ErrNormal
	case "gap":
		var seq supervisor.Sequence
		_ = seq.Check(1)
		return seq.Check(4)
	}
	return nil
}

// newSystem returns a system and its event recorder, shut down and checked
// at the end of the test.
func newSystem(t *testing.T) (*actor.System, *events) {
	t.Helper()
	sys := actor.NewSystem()
	ev := watchEvents(sys)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		if err := sys.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		ev.close(t)
	})
	return sys, ev
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	t.Cleanup(cancel)
	return ctx
}

func children(t *testing.T, ctx context.Context, sys *actor.System, sup actor.Ref) map[string]supervisor.ChildInfo {
	t.Helper()
	infos, err := supervisor.WhichChildren(ctx, sys, sup)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]supervisor.ChildInfo, len(infos))
	for _, in := range infos {
		out[in.Name] = in
	}
	return out
}

func send(t *testing.T, ctx context.Context, sys *actor.System, name string, msg any) {
	t.Helper()
	if err := sys.Send(ctx, actor.Ref{Name: name}, msg); err != nil {
		t.Fatalf("send %v to %s: %v", msg, name, err)
	}
}
