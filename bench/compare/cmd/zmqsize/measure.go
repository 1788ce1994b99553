package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	zmq "github.com/pebbe/zmq4"

	"github.com/troupe-go/troupe/bench/bysize"
)

// ErrTooShort is returned when a run is too short for the clock to see.
var ErrTooShort = errors.New("zmqsize: run too short to time")

// A measurement is one run: one transport, kind and size, against one peer
// process, finished before ctx's deadline.
type measurement struct {
	transport string
	kind      bysize.Kind
	size      int
	count     int // messages (throughput) or timed round trips (latency)
	spawn     bysize.SpawnFunc
}

// peerArgs are the command-line arguments of the peer process.
func (m measurement) peerArgs(ctx context.Context, role, endpoint string, count int) []string {
	return []string{
		"-role", role,
		"-endpoint", endpoint,
		"-size", strconv.Itoa(m.size),
		"-count", strconv.Itoa(count),
		"-deadline", bysize.DeadlineArg(ctx),
	}
}

// run binds a socket of type t, starts the peer process in role, lets
// exchange do the measured work, and waits for the peer to end cleanly.
func (m measurement) run(ctx context.Context, t zmq.Type, role string, peerCount int,
	exchange func(*zmq.Socket, watch) (time.Duration, error)) (time.Duration, error) {
	l, err := listen(t, m.transport)
	if err != nil {
		return 0, err
	}
	defer l.close()
	if err := setTimeouts(l.sock); err != nil {
		return 0, err
	}
	p, err := bysize.StartPeer(ctx, m.spawn, m.peerArgs(ctx, role, l.endpoint, peerCount))
	if err != nil {
		return 0, err
	}
	elapsed, err := exchange(l.sock, watch{ctx: ctx, peer: p})
	if err != nil {
		p.Kill()
		return 0, fmt.Errorf("%s %s %s: %w", m.transport, m.kind, bysize.Label(m.size), err)
	}
	if err := p.Finish(); err != nil {
		return 0, fmt.Errorf("%s %s %s: %w", m.transport, m.kind, bysize.Label(m.size), err)
	}
	if elapsed <= 0 {
		return 0, fmt.Errorf("%s %s %s: %w", m.transport, m.kind, bysize.Label(m.size), ErrTooShort)
	}
	return elapsed, nil
}

// measure runs m and returns its record.
func (m measurement) measure(ctx context.Context) (bysize.Record, error) {
	rec := bysize.Record{
		Implementation: "libzmq",
		Transport:      m.transport,
		Kind:           m.kind,
		Size:           m.size,
		Count:          m.count,
		Time:           time.Now().UTC().Format(time.RFC3339),
	}
	switch m.kind {
	case bysize.Throughput:
		elapsed, err := m.throughput(ctx)
		if err != nil {
			return bysize.Record{}, err
		}
		rec.ElapsedS = elapsed.Seconds()
		rec.MsgsPerSec = float64(m.count-1) / elapsed.Seconds()
		rec.MbitPerSec = bysize.Mbit(rec.MsgsPerSec, m.size)
	case bysize.Latency:
		elapsed, err := m.latency(ctx)
		if err != nil {
			return bysize.Record{}, err
		}
		rec.ElapsedS = elapsed.Seconds()
		rec.LatencyUS = elapsed.Seconds() * 1e6 / float64(2*m.count)
	default:
		return bysize.Record{}, fmt.Errorf("%w: kind %q", bysize.ErrInvalid, m.kind)
	}
	rec.Detail = detail(m.kind)
	return rec, rec.Validate()
}
