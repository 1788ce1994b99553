package main

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	zmq "github.com/pebbe/zmq4"

	"github.com/troupe-go/troupe/bench/bysize"
)

// pollEvery is the socket send/receive timeout: how often a blocked call
// wakes to check the context and the peer process.
const pollEvery = 200 * time.Millisecond

// ErrWrongSize is returned when a message of an unexpected size arrives.
var ErrWrongSize = errors.New("zmqsize: message of wrong size")

// A watch bounds a blocking socket call: it fails once ctx is done or, on
// the measuring side, once the peer process has exited.
type watch struct {
	ctx  context.Context
	peer *bysize.Peer // nil on the peer's own side
}

// check is called each time a socket call times out. A peer that has just
// exited gets one more timeout for its last messages to drain in.
func (w watch) check(grace *bool) error {
	if err := w.ctx.Err(); err != nil {
		return fmt.Errorf("gave up waiting: %w", context.Cause(w.ctx))
	}
	if w.peer == nil {
		return nil
	}
	if err := w.peer.Exited(); err != nil {
		if *grace {
			return err
		}
		*grace = true
	}
	return nil
}

func isTimeout(err error) bool {
	return zmq.AsErrno(err) == zmq.Errno(syscall.EAGAIN)
}

// recvSized receives one message and checks that it has size bytes.
func recvSized(sock *zmq.Socket, size int, w watch) ([]byte, error) {
	grace := false
	for {
		b, err := sock.RecvBytes(0)
		switch {
		case err == nil && len(b) == size:
			return b, nil
		case err == nil:
			return nil, fmt.Errorf("%w: got %d bytes, want %d", ErrWrongSize, len(b), size)
		case !isTimeout(err):
			return nil, fmt.Errorf("receive: %w", err)
		}
		if err := w.check(&grace); err != nil {
			return nil, err
		}
	}
}

// send sends msg, retrying while the socket has no room or no peer yet.
func send(sock *zmq.Socket, msg []byte, w watch) error {
	grace := false
	for {
		_, err := sock.SendBytes(msg, 0)
		switch {
		case err == nil:
			return nil
		case !isTimeout(err):
			return fmt.Errorf("send: %w", err)
		}
		if err := w.check(&grace); err != nil {
			return err
		}
	}
}

// setTimeouts makes sock's blocking calls wake every pollEvery.
func setTimeouts(sock *zmq.Socket) error {
	if err := sock.SetRcvtimeo(pollEvery); err != nil {
		return fmt.Errorf("set receive timeout: %w", err)
	}
	if err := sock.SetSndtimeo(pollEvery); err != nil {
		return fmt.Errorf("set send timeout: %w", err)
	}
	return nil
}
