package net

import "sync/atomic"

// NodeStats are a Node's counters since Listen. Everything a node drops,
// refuses or loses is counted here by reason (and logged at debug level or
// above); the messages themselves also become dead letters of the system.
type NodeStats struct {
	// EnvelopesOut and EnvelopesIn count SEND, REPLY and ERROR envelopes
	// written to and read from connections.
	EnvelopesOut, EnvelopesIn uint64
	// BatchesOut and BatchesIn count ZMTP messages (each carries one or
	// more envelopes); Flushes counts writes to the connections.
	BatchesOut, BatchesIn, Flushes uint64
	// BytesOut and BytesIn count envelope bytes.
	BytesOut, BytesIn uint64

	// Malformed counts envelopes that could not be decoded (the
	// connection was closed) and bodies that could not be (the message
	// was dead-lettered).
	Malformed uint64
	// TooLarge counts inbound messages over the size or frame limits (the
	// connection was closed) and sends refused for their size.
	TooLarge uint64
	// HandshakeFailures counts connections whose ZMTP handshake or HELLO
	// failed, inbound and outbound (wrong greeting, bad credentials…).
	HandshakeFailures uint64
	// UnknownTargets counts inbound messages for no live actor.
	UnknownTargets uint64
	// RemoteDeadLetters counts SENDs lost on a link: written but not
	// acknowledged when the connection broke, or still queued at Close.
	RemoteDeadLetters uint64
	// QueueDropped counts messages a link queue dropped by its policy
	// (DropNewest, DropOldest); QueueRefused those it refused (Fail, or a
	// Block wait that ran out of time).
	QueueDropped, QueueRefused uint64
	// EncodeErrors counts sends refused because the message could not be
	// encoded (unregistered type, encoder error).
	EncodeErrors uint64
	// Reconnects counts links established again after being down;
	// NodeDowns counts peers declared down.
	Reconnects, NodeDowns uint64
	// IdleTimeouts counts inbound node connections closed because the
	// peer sent nothing for heartbeat interval × liveness.
	IdleTimeouts uint64
	// Accepted counts inbound connections whose handshake succeeded.
	Accepted uint64
	// Recycled counts received buffers given back (Node.Recycle) and
	// pooled; Reused those a big message was then read into.
	Recycled, Reused uint64

	// SenderWrites counts requests and replies that their sender wrote
	// to the connection itself, the link's goroutine being idle (see
	// lend.go), instead of handing them to that goroutine.
	SenderWrites uint64

	// SpinCaught counts reads of inbound connections that found the socket
	// empty, polled it (see WithReadSpin) and got data; SpinMissed those
	// that polled in vain and waited; SpinLimited those that waited
	// without polling, because as many connections as allowed polled
	// already. Many misses for few catches say the peers think longer
	// than the spin time: CPU spent for nothing.
	SpinCaught, SpinMissed, SpinLimited uint64

	// Links is the number of links to other nodes; Conns the number of
	// inbound connections open now.
	Links, Conns int
}

// Indices of the counters behind NodeStats.
const (
	cEnvOut = iota
	cEnvIn
	cBatchOut
	cBatchIn
	cFlushes
	cBytesOut
	cBytesIn
	cMalformed
	cTooLarge
	cHandshake
	cUnknown
	cRemoteDead
	cDropped
	cRefused
	cEncode
	cReconnects
	cDowns
	cIdle
	cAccepted
	cLentWrites
	nCounters
)

// counters are the atomics behind NodeStats. Each link and each inbound
// connection has its own, updated by its own goroutines only (atomics so
// that Stats can read them meanwhile without a lock); the node has one
// more for what happens elsewhere and for the totals of closed
// connections.
type counters [nCounters]atomic.Uint64

func (c *counters) addTo(s *NodeStats) {
	fields := [nCounters]*uint64{
		&s.EnvelopesOut, &s.EnvelopesIn, &s.BatchesOut, &s.BatchesIn, &s.Flushes, &s.BytesOut, &s.BytesIn,
		&s.Malformed, &s.TooLarge, &s.HandshakeFailures, &s.UnknownTargets, &s.RemoteDeadLetters,
		&s.QueueDropped, &s.QueueRefused, &s.EncodeErrors, &s.Reconnects, &s.NodeDowns, &s.IdleTimeouts,
		&s.Accepted, &s.SenderWrites,
	}
	for i, f := range fields {
		*f += c[i].Load()
	}
}

// retire adds c into total: the counters of a connection that closed.
func (c *counters) retire(total *counters) {
	for i := range c {
		total[i].Add(c[i].Load())
	}
}
