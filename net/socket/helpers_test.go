package socket_test

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/internal/testenv"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net/socket"
)

// testTimeout bounds every wait of a test; reaching it is a failure.
const testTimeout = 15 * time.Second

// testCtx returns a context that ends after testTimeout or with the test.
func testCtx(t testing.TB) context.Context { return testenv.Context(t, testTimeout) }

// newSystem returns a System shut down (and checked) when the test ends.
func newSystem(t testing.TB) *actor.System {
	sys := actor.NewSystem()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		if err := sys.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return sys
}

// ipcEndpoint returns an ipc endpoint in a directory removed after the test.
func ipcEndpoint(t testing.TB) string { return testenv.IPCEndpoint(t, "s.sock") }

// A collector is an actor that forwards every Message it receives to a
// channel the test reads.
type collector struct {
	ref actor.Ref
	ch  chan socket.Message
}

func newCollector(t testing.TB, sys *actor.System, opts ...mailbox.Option) *collector {
	t.Helper()
	c := &collector{ch: make(chan socket.Message, 100_000)}
	ref, err := sys.Spawn(testCtx(t), actor.Func(func(p *actor.Process) error {
		if m, ok := p.Message().(socket.Message); ok {
			c.ch <- m
		}
		return nil
	}), actor.WithMailbox(opts...))
	if err != nil {
		t.Fatal(err)
	}
	c.ref = ref
	return c
}

// next returns the next message, failing the test after testTimeout.
func (c *collector) next(t testing.TB) socket.Message {
	t.Helper()
	select {
	case m := <-c.ch:
		return m
	case <-time.After(testTimeout):
		t.Fatal("no message within the test timeout")
		return socket.Message{}
	}
}

// events subscribes to the socket events on topic and returns the channel
// they arrive on.
func events(t testing.TB, sys *actor.System, topic string) <-chan any {
	ch := make(chan any, 1024)
	unsubscribe := sys.SubscribeFunc(topic, func(p actor.Publication) {
		select {
		case ch <- p.Message:
		default:
			t.Errorf("event channel full: lost %T", p.Message)
		}
	})
	t.Cleanup(unsubscribe)
	return ch
}

// waitEvent waits for an event on ch for which ok returns true.
func waitEvent[E any](t testing.TB, ch <-chan any, ok func(E) bool) E {
	t.Helper()
	timer := time.NewTimer(testTimeout)
	defer timer.Stop()
	for {
		select {
		case v := <-ch:
			if e, is := v.(E); is && ok(e) {
				return e
			}
		case <-timer.C:
			var zero E
			t.Fatalf("no %T event within %v", zero, testTimeout)
			return zero
		}
	}
}

// peersUp waits until n PeerUp events for sock have been seen on ch.
func peersUp(t testing.TB, ch <-chan any, sock actor.Ref, n int) {
	t.Helper()
	for range n {
		waitEvent(t, ch, func(e socket.PeerUp) bool { return e.Socket == sock })
	}
}

func stats(t testing.TB, sys *actor.System, ref actor.Ref) socket.Stats {
	t.Helper()
	st, err := socket.StatsOf(testCtx(t), sys, ref)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func endpoint(t testing.TB, sys *actor.System, ref actor.Ref) string {
	t.Helper()
	ep, err := socket.Endpoint(testCtx(t), sys, ref)
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

func stop(t testing.TB, sys *actor.System, ref actor.Ref) {
	t.Helper()
	if err := sys.Stop(testCtx(t), ref); err != nil {
		t.Fatalf("Stop: %v", err)
	}
}

func send(t testing.TB, sys *actor.System, ref actor.Ref, m socket.Message) {
	t.Helper()
	if err := sys.Send(testCtx(t), ref, m); err != nil {
		t.Fatalf("Send: %v", err)
	}
}

// testMessage is message i of the interop tests (testdata/peer.py has the
// same): multipart, with an empty frame.
func testMessage(i int) socket.Message {
	return socket.NewMessage([]byte(strconv.Itoa(i)), []byte{}, []byte(strings.Repeat("x", i%300)))
}

func equal(a, b socket.Message) bool {
	return slices.EqualFunc(a.Frames, b.Frames, func(x, y []byte) bool { return string(x) == string(y) })
}

// recordLogs returns a logger whose records at Warn and above arrive on
// the returned channel (records that find it full are not kept).
func recordLogs() (*slog.Logger, <-chan slog.Record) { return recordLogsFrom(slog.LevelWarn) }

// recordLogsFrom is recordLogs for the records at level and above.
func recordLogsFrom(level slog.Level) (*slog.Logger, <-chan slog.Record) {
	ch := make(chan slog.Record, 256)
	return slog.New(recorder{ch: ch, level: level}), ch
}

type recorder struct {
	ch    chan slog.Record
	level slog.Level
	attrs []slog.Attr
}

func (r recorder) Enabled(_ context.Context, l slog.Level) bool { return l >= r.level }

func (r recorder) Handle(_ context.Context, rec slog.Record) error {
	rec = rec.Clone()
	rec.AddAttrs(r.attrs...)
	select {
	case r.ch <- rec:
	default:
	}
	return nil
}

func (r recorder) WithAttrs(attrs []slog.Attr) slog.Handler {
	return recorder{ch: r.ch, level: r.level, attrs: append(slices.Clone(r.attrs), attrs...)}
}

func (r recorder) WithGroup(string) slog.Handler { return r }

// waitLog waits for a record for which ok returns true.
func waitLog(t testing.TB, ch <-chan slog.Record, ok func(slog.Record) bool) slog.Record {
	t.Helper()
	timer := time.NewTimer(testTimeout)
	defer timer.Stop()
	for {
		select {
		case rec := <-ch:
			if ok(rec) {
				return rec
			}
		case <-timer.C:
			t.Fatalf("no such log record within %v", testTimeout)
			return slog.Record{}
		}
	}
}

// attr returns the value of the record's attribute key, as a string.
func attr(rec slog.Record, key string) string {
	var v string
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = a.Value.String()
			return false
		}
		return true
	})
	return v
}
