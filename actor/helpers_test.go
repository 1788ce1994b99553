package actor_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// testTimeout bounds every wait in this package's tests. It is a guard
// against hangs, never a way to synchronise: the tests wait on channels.
const testTimeout = 10 * time.Second

var errBoom = errors.New("boom")

// testContext returns a context that ends with the test or after
// testTimeout.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// newSystem returns a system that is shut down when the test ends.
func newSystem(t *testing.T, opts ...actor.SystemOption) *actor.System {
	t.Helper()
	sys := actor.NewSystem(opts...)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		if err := sys.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return sys
}

// recv waits for a value from ch, failing the test after testTimeout.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	timer := time.NewTimer(testTimeout)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatalf("timed out waiting for %s", what)
	}
	panic("unreachable")
}

// spawn spawns a top-level actor and fails the test on error.
func spawn(t *testing.T, sys *actor.System, b actor.Behavior, opts ...actor.SpawnOption) actor.Ref {
	t.Helper()
	ref, err := sys.Spawn(testContext(t), b, opts...)
	if err != nil {
		t.Fatalf("spawn: %v", err)
	}
	return ref
}

// A journal records what actors do, in order, on a buffered channel.
type journal chan string

func newJournal() journal { return make(journal, 1024) }

func (j journal) add(format string, args ...any) {
	select {
	case j <- fmt.Sprintf(format, args...):
	default:
		panic("journal full")
	}
}

// take returns the next n entries.
func (j journal) take(t *testing.T, n int) []string {
	t.Helper()
	out := make([]string, 0, n)
	for range n {
		out = append(out, recv(t, (<-chan string)(j), fmt.Sprintf("journal entry %d of %d (have %q)", len(out)+1, n, out)))
	}
	return out
}

// expect checks that the next entries are exactly want.
func (j journal) expect(t *testing.T, want ...string) {
	t.Helper()
	got := j.take(t, len(want))
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("journal:\n got %q\nwant %q", got, want)
		}
	}
}

// empty checks that nothing more was recorded.
func (j journal) empty(t *testing.T) {
	t.Helper()
	select {
	case e := <-j:
		t.Fatalf("unexpected journal entry %q", e)
	default:
	}
}

// lifecycleName names lifecycle messages for journals.
func lifecycleName(msg any) string {
	switch m := msg.(type) {
	case actor.Started:
		return "started"
	case actor.Restarting:
		return "restarting"
	case actor.Stopping:
		return "stopping"
	case actor.Stopped:
		return "stopped"
	case actor.Terminated:
		return "terminated"
	default:
		return fmt.Sprint(m)
	}
}

// marker is a request answered by helper actors once every message queued
// before it has been handled.
type marker struct{}

// flush makes a round trip to ref: when it returns, ref has handled every
// message queued before, and every system message (such as Terminated)
// posted before.
func flush(t *testing.T, sys *actor.System, ref actor.Ref) {
	t.Helper()
	if _, err := sys.Request(testContext(t), ref, marker{}); err != nil {
		t.Fatalf("flush %v: %v", ref, err)
	}
}

// watcher spawns a handler-form actor that forwards every Terminated it
// receives to the returned channel and answers markers.
func watcher(t *testing.T, sys *actor.System) (actor.Ref, <-chan actor.Terminated) {
	t.Helper()
	ch := make(chan actor.Terminated, 64)
	ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case actor.Terminated:
			ch <- m
		case marker:
			return p.Reply(m)
		}
		return nil
	}))
	return ref, ch
}

// noMore checks that ch holds nothing.
func noMore[T any](t *testing.T, ch <-chan T, what string) {
	t.Helper()
	select {
	case v := <-ch:
		t.Fatalf("unexpected %s: %+v", what, v)
	default:
	}
}

// deadLetters subscribes to dead-letter events and returns them on a
// channel. It fails the test if the channel overflows.
func deadLetters(t *testing.T, sys *actor.System) <-chan actor.DeadLetter {
	t.Helper()
	ch := make(chan actor.DeadLetter, 4096)
	unsubscribe := sys.SubscribeFunc(actor.TopicDeadLetter, func(p actor.Publication) {
		select {
		case ch <- p.Message.(actor.DeadLetter):
		default:
			t.Errorf("dead-letter channel full")
		}
	})
	t.Cleanup(unsubscribe)
	return ch
}

// gate is a channel a test opens to release handlers blocked on it. It
// opens by itself when the test ends, before the system shuts down, so a
// failing test does not hang in Shutdown.
type gate struct {
	entered chan struct{} // one value each time a handler blocks
	handled chan any      // messages handled by gated actors
	open    chan struct{}
	once    sync.Once
}

func newGate(t *testing.T) *gate {
	g := &gate{entered: make(chan struct{}, 64), handled: make(chan any, 64), open: make(chan struct{})}
	t.Cleanup(g.release)
	return g
}

// block signals entered and waits until the gate opens.
func (g *gate) block() {
	g.entered <- struct{}{}
	<-g.open
}

// release opens the gate; it is idempotent.
func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

// wait waits until a handler is blocked on the gate.
func (g *gate) wait(t *testing.T) {
	t.Helper()
	recv(t, (<-chan struct{})(g.entered), "a handler blocked on the gate")
}

// logRecords returns a logger whose records at level and above are sent to
// the returned channel (dropped if it is full).
func logRecords(level slog.Level) (*slog.Logger, <-chan slog.Record) {
	ch := make(chan slog.Record, 256)
	return slog.New(&chanHandler{ch: ch, level: level}), ch
}

type chanHandler struct {
	ch    chan slog.Record
	level slog.Level
}

func (h *chanHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *chanHandler) Handle(_ context.Context, r slog.Record) error {
	select {
	case h.ch <- r.Clone():
	default:
	}
	return nil
}

func (h *chanHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *chanHandler) WithGroup(string) slog.Handler      { return h }
