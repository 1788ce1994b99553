package main

import (
	"context"
	"fmt"
	"time"

	zmq "github.com/pebbe/zmq4"
)

// latency bounces a message between this process (REQ, bound) and the peer
// (REP, connecting), like libzmq's remote_lat/local_lat: one untimed
// warm-up round trip, then m.count timed ones. One-way latency is the
// elapsed time over 2×count.
func (m measurement) latency(ctx context.Context) (time.Duration, error) {
	return m.run(ctx, zmq.REQ, roleEcho, m.count+1, func(sock *zmq.Socket, w watch) (time.Duration, error) {
		msg := payload(m.size)
		if err := roundTrip(sock, msg, w); err != nil {
			return 0, fmt.Errorf("warm-up round trip: %w", err)
		}
		start := time.Now()
		for i := range m.count {
			if err := roundTrip(sock, msg, w); err != nil {
				return 0, fmt.Errorf("round trip %d of %d: %w", i+1, m.count, err)
			}
		}
		return time.Since(start), nil
	})
}

func roundTrip(sock *zmq.Socket, msg []byte, w watch) error {
	if err := send(sock, msg, w); err != nil {
		return err
	}
	_, err := recvSized(sock, len(msg), w)
	return err
}

// echoPeer is the replying side: it connects a REP socket and sends each of
// count requests back unchanged after checking its size.
func echoPeer(sock *zmq.Socket, size, count int, w watch) error {
	for i := range count {
		req, err := recvSized(sock, size, w)
		if err != nil {
			return fmt.Errorf("request %d of %d: %w", i+1, count, err)
		}
		if err := send(sock, req, w); err != nil {
			return fmt.Errorf("reply %d of %d: %w", i+1, count, err)
		}
	}
	return nil
}
