package socket_test

import (
	"errors"
	"testing"
	"time"

	"github.com/troupe-go/troupe/net/internal/zmtp"
	"github.com/troupe-go/troupe/net/socket"
)

// With heartbeats on, a peer that completed the handshake and then went
// silent (a half-open connection, a hung process) is dropped after the
// timeout, what was queued for it is held again, and the connect
// endpoint dials anew; a live peer answering the PINGs is kept.
func TestHeartbeatDropsSilentPeer(t *testing.T) {
	sys := newSystem(t)
	down := events(t, sys, socket.TopicPeerDown)
	ln, err := zmtp.Listen(testCtx(t), "tcp://127.0.0.1:0", zmtp.WithSocketType(zmtp.Pull))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	start := time.Now() // before the connection: its timeout cannot end sooner than 200 ms after this
	push, err := socket.Push(testCtx(t), sys, socket.Connect(ln.Endpoint()),
		socket.WithHeartbeat(20*time.Millisecond, 200*time.Millisecond), socket.WithReconnect(5e6, 5e7))
	if err != nil {
		t.Fatal(err)
	}
	silent, err := ln.Accept(testCtx(t)) // never reads, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	e := waitEvent(t, down, func(e socket.PeerDown) bool { return e.Socket == push })
	if !errors.Is(e.Err, socket.ErrHeartbeat) {
		t.Fatalf("peer down with %v, want ErrHeartbeat", e.Err)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond {
		t.Fatalf("dropped after %v, before the timeout", waited)
	}
	// The endpoint is dialled again; this time the peer reads, which
	// answers the PINGs, and stays connected across many intervals.
	live, err := ln.Accept(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	pongs := make(chan error, 1)
	go func() { pongs <- answerPings(live, 20) }()
	if err := <-pongs; err != nil {
		t.Fatalf("live peer: %v", err)
	}
	select {
	case e := <-down:
		t.Fatalf("live peer dropped: %+v", e)
	default:
	}
}

// answerPings reads n PINGs from c (a bare zmtp peer) and answers each.
func answerPings(c *zmtp.Conn, n int) error {
	var m zmtp.Message
	for i := 0; i < n; {
		if err := c.ReadMessage(&m); err != nil {
			return err
		}
		if m.Kind == zmtp.KindCommand && m.Command.Name == zmtp.CmdPing {
			if m.Command.PingTTL() != 200*time.Millisecond {
				return errors.New("PING without the heartbeat timeout as TTL")
			}
			if err := c.WritePong(m.Command.PingContext()); err != nil {
				return err
			}
			if err := c.Flush(); err != nil {
				return err
			}
			i++
		}
	}
	return nil
}
