package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/bench/bysize"
)

// The message kinds a run streams.
const (
	msgBytes = "bytes" // []byte bodies of the run's size
	msgTick  = "tick"  // Tick, W5's small registered type
)

// warmups is the number of untimed round trips before a latency run: they
// establish both links and warm the actors up.
const warmups = 10

// ErrTimeout is the cause of a measurement that overran -timeout.
var ErrTimeout = errors.New("remote: measurement timed out")

// ErrBadReply is returned when an echo does not match its request.
var ErrBadReply = errors.New("remote: reply differs from the request")

// A runner runs single measurements, each against a fresh peer process and
// a fresh node in this one, both torn down before it returns.
type runner struct {
	spawn       bysize.SpawnFunc
	timeout     time.Duration // per measurement
	peerProfile string        // CPU profile file of the peers, or ""
	peerTrace   string        // execution trace file of the peers, or ""
	procs       int           // GOMAXPROCS of both processes, or 0 for Go's default
	readSpin    time.Duration // how long both nodes' inbound connections poll (net.WithReadSpin)
}

// withProcs runs fn with GOMAXPROCS set to r.procs in this process (the
// peer sets its own: see peerArgs), unless r.procs is 0.
func (r runner) withProcs(fn func() error) error {
	if r.procs > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(r.procs))
	}
	return fn()
}

// bound gives one measurement its time limit.
func (r runner) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, r.timeout, fmt.Errorf("%w after %v", ErrTimeout, r.timeout))
}

func (r runner) peerArgs(ctx context.Context, role, transport string, extra ...string) []string {
	args := []string{"-role", role, "-transport", transport, "-deadline", bysize.DeadlineArg(ctx), "-readspin", r.readSpin.String()}
	if r.peerProfile != "" {
		args = append(args, "-cpuprofile", r.peerProfile+"."+role) // one file per role
	}
	if r.peerTrace != "" {
		args = append(args, "-trace", r.peerTrace+"."+role)
	}
	if r.procs > 0 {
		args = append(args, "-procs", strconv.Itoa(r.procs))
	}
	return append(args, extra...)
}

// throughput has the peer stream count messages (msg: msgBytes of size
// bytes, or msgTick) to the counting actor of a node in this process, and
// returns the time from the first message's arrival to the last's.
func (r runner) throughput(ctx context.Context, transport, msg string, size, count int) (elapsed time.Duration, err error) {
	err = r.withProcs(func() error {
		elapsed, err = r.stream(ctx, transport, msg, size, count)
		return err
	})
	return elapsed, err
}

func (r runner) stream(ctx context.Context, transport, msg string, size, count int) (time.Duration, error) {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	n, err := listenNode(ctx, transport, size, r.readSpin)
	if err != nil {
		return 0, err
	}
	b, done := newSink(count, size, n.node.Recycle)
	if err := n.spawn(ctx, sinkName, b, sinkMailbox(size)); err != nil {
		return 0, errors.Join(err, n.close())
	}
	p, err := bysize.StartPeer(ctx, r.spawn, r.peerArgs(ctx, roleSend, transport, "-target", n.node.Address(),
		"-msg", msg, "-size", strconv.Itoa(size), "-count", strconv.Itoa(count)))
	if err != nil {
		return 0, errors.Join(err, n.close())
	}
	var res sinkResult
	select {
	case res = <-done:
	case <-p.Done():
		res.err = p.Exited()
	case <-ctx.Done():
		res.err = fmt.Errorf("stream of %d: %w", count, context.Cause(ctx))
	}
	return res.elapsed, r.end(p, n, res.err)
}

// end releases (or, after a failure, kills) the peer and closes the node.
func (r runner) end(p *bysize.Peer, n *benchNode, err error) error {
	if err != nil {
		p.Kill()
	} else {
		err = p.Finish()
	}
	return errors.Join(err, n.close())
}

// latency makes warmups and then count sequential requests from a node in
// this process to the peer's echo actor, calling each with the round-trip
// time of every timed one, and returns the time they took together.
func (r runner) latency(ctx context.Context, transport string, msg any, count int, each func(time.Duration)) (elapsed time.Duration, err error) {
	err = r.withProcs(func() error {
		elapsed, err = r.roundTrips(ctx, transport, msg, count, each)
		return err
	})
	return elapsed, err
}

func (r runner) roundTrips(ctx context.Context, transport string, msg any, count int, each func(time.Duration)) (time.Duration, error) {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	n, err := listenNode(ctx, transport, payloadSize(msg), r.readSpin)
	if err != nil {
		return 0, err
	}
	p, err := bysize.StartPeer(ctx, r.spawn, r.peerArgs(ctx, roleEcho, transport, "-size", strconv.Itoa(payloadSize(msg))))
	if err != nil {
		return 0, errors.Join(err, n.close())
	}
	addr, err := p.Addr(ctx)
	if err != nil {
		return 0, r.end(p, n, err)
	}
	to, err := n.sys.LookupOn(ctx, addr, echoName) // the exact ref, as for the stream
	if err != nil {
		return 0, r.end(p, n, err)
	}
	var elapsed time.Duration
	if err = roundTrips(ctx, n, to, msg, warmups, nil); err == nil {
		start := time.Now()
		err = roundTrips(ctx, n, to, msg, count, each)
		elapsed = time.Since(start)
	}
	return elapsed, r.end(p, n, err)
}

// roundTrips makes count requests, one after the other; it gives each
// []byte reply back to the node once checked (net.Node.Recycle).
func roundTrips(ctx context.Context, n *benchNode, to actor.Ref, msg any, count int, each func(time.Duration)) error {
	for i := 0; i < count; i++ {
		t0 := time.Now()
		reply, err := n.sys.Request(ctx, to, msg)
		if err != nil {
			return fmt.Errorf("request %d of %d: %w", i+1, count, err)
		}
		if each != nil {
			each(time.Since(t0))
		}
		if !sameMessage(reply, msg) {
			return fmt.Errorf("%w: request %d: sent %T, got %T", ErrBadReply, i+1, msg, reply)
		}
		if b, ok := reply.([]byte); ok {
			n.node.Recycle(b)
		}
	}
	return nil
}

func payloadSize(msg any) int {
	if b, ok := msg.([]byte); ok {
		return len(b)
	}
	return 8
}

func sameMessage(reply, msg any) bool {
	switch m := msg.(type) {
	case []byte:
		b, ok := reply.([]byte)
		return ok && len(b) == len(m)
	case Tick:
		return reply == m
	}
	return false
}
