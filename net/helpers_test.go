package net

import (
	"context"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/internal/testenv"
)

// testTimeout bounds every wait in this package's tests: a guard against
// hangs, never a way to synchronise (the tests wait on channels).
const testTimeout = 10 * time.Second

// Heartbeat settings of the test nodes: a silent peer is down after a
// second, which a loaded machine running the race detector never takes
// for silence. Broken connections are noticed at once; the liveness
// tests use fastInterval × fastLiveness.
const (
	testInterval = 250 * time.Millisecond
	testLiveness = 4
	fastInterval = 50 * time.Millisecond
	fastLiveness = 3
)

// Test message types, registered in testCodec.
type (
	msgPing struct {
		N    int64
		Text string
	}
	msgPong struct{ N int64 }
	// unregistered has no name in testCodec.
	unregistered struct{ X int }
)

var testCodec = func() *Codec {
	c := NewCodec()
	MustRegister[msgPing](c, "test.ping")
	MustRegister[msgPong](c, "test.pong")
	return c
}()

// testOptions are the options of every test node, before the test's own.
func testOptions(opts ...Option) []Option {
	return append([]Option{
		WithCodec(testCodec),
		WithHeartbeat(testInterval, testLiveness),
		WithReconnect(10*time.Millisecond, 100*time.Millisecond),
	}, opts...)
}

// testContext returns a context that ends with the test or after
// testTimeout.
func testContext(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// endpoint returns a fresh endpoint of the given transport ("tcp" or
// "ipc"). ipc paths live in a short temporary directory: socket paths
// are limited to about 100 bytes.
func endpoint(t testing.TB, transport string) string {
	t.Helper()
	if transport == "tcp" {
		return "tcp://127.0.0.1:0"
	}
	return testenv.IPCEndpoint(t, "n.sock")
}

// startNode starts a system listening on ep; the system (and with it the
// node) is shut down when the test ends.
func startNode(t testing.TB, ep string, opts ...Option) (*actor.System, *Node) {
	t.Helper()
	sys := actor.NewSystem()
	n, err := Listen(testContext(t), sys, ep, testOptions(opts...)...)
	if err != nil {
		_ = sys.Shutdown(context.Background())
		t.Fatalf("listen %s: %v", ep, err)
	}
	t.Cleanup(func() { shutdown(t, sys) })
	return sys, n
}

func shutdown(t testing.TB, sys *actor.System) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := sys.Shutdown(ctx); err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

// recv waits for a value from ch, failing the test after testTimeout.
func recv[T any](t testing.TB, ch <-chan T, what string) T {
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
func spawn(t testing.TB, sys *actor.System, b actor.Behavior, opts ...actor.SpawnOption) actor.Ref {
	t.Helper()
	ref, err := sys.Spawn(testContext(t), b, opts...)
	if err != nil {
		t.Fatalf("spawn: %v", err)
	}
	return ref
}

// echo answers msgPing{N} with msgPong{N} and passes every message it gets to
// got, if not nil.
func echo(got chan<- any) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case msgPing:
			if got != nil {
				got <- m
			}
			if !p.Sender().IsZero() {
				return p.Reply(msgPong{N: m.N})
			}
		case actor.Started, actor.Stopping, actor.Stopped:
		default:
			if got != nil {
				got <- m
			}
		}
		return nil
	})
}

// deadLetters subscribes to sys's dead letters; the channel has room for
// n of them (more block the publisher: size it for the test).
func deadLetters(t testing.TB, sys *actor.System, n int) <-chan actor.DeadLetter {
	t.Helper()
	ch := make(chan actor.DeadLetter, n)
	unsub := sys.SubscribeFunc(actor.TopicDeadLetter, func(p actor.Publication) {
		if d, ok := p.Message.(actor.DeadLetter); ok {
			ch <- d
		}
	})
	t.Cleanup(unsub)
	return ch
}

// sendConcurrently runs senders goroutines on sys, each sending each
// messages, message i of sender s being what next(s, i) returns, and
// waits for all of them; a failed Send fails the test.
func sendConcurrently(t testing.TB, sys *actor.System, senders, each int, next func(s, i int) (actor.Ref, any)) {
	t.Helper()
	ctx := testContext(t)
	errs := make(chan error, senders)
	for s := range senders {
		go func() {
			for i := range each {
				to, msg := next(s, i)
				if err := sys.Send(ctx, to, msg); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range senders {
		if err := recv(t, errs, "a sender's end"); err != nil {
			t.Fatal(err)
		}
	}
}
