package main

import (
	"context"
	"fmt"
	"time"

	zmq "github.com/pebbe/zmq4"
)

// throughput streams m.count messages from the peer (PUSH, connecting) to
// this process (PULL, bound), like libzmq's remote_thr → local_thr. The
// clock starts when the first message arrives and stops at the last, so
// count−1 messages are timed.
func (m measurement) throughput(ctx context.Context) (time.Duration, error) {
	return m.run(ctx, zmq.PULL, rolePush, m.count, func(sock *zmq.Socket, w watch) (time.Duration, error) {
		if _, err := recvSized(sock, m.size, w); err != nil {
			return 0, fmt.Errorf("first message: %w", err)
		}
		start := time.Now()
		for i := 1; i < m.count; i++ {
			if _, err := recvSized(sock, m.size, w); err != nil {
				return 0, fmt.Errorf("message %d of %d: %w", i+1, m.count, err)
			}
		}
		return time.Since(start), nil
	})
}

// pushPeer is the sending side: it connects a PUSH socket and sends count
// messages of size bytes as fast as the socket takes them.
func pushPeer(sock *zmq.Socket, size, count int, w watch) error {
	msg := payload(size)
	for i := range count {
		if err := send(sock, msg, w); err != nil {
			return fmt.Errorf("message %d of %d: %w", i+1, count, err)
		}
	}
	return nil
}

// payload is a message body of size bytes with a recognisable pattern.
func payload(size int) []byte {
	msg := make([]byte, size)
	for i := range msg {
		msg[i] = byte('a' + i%26)
	}
	return msg
}
