package socket

import "errors"

// Sentinel errors. Errors returned by this package wrap one of these, or an
// error of the connection layer, with context.
var (
	// ErrBadOption reports an option that is invalid, or that makes no
	// sense for the socket kind (a policy on a PUB, a Sub with no topic).
	ErrBadOption = errors.New("socket: bad option")

	// ErrNoEndpoint reports a socket made with neither Bind nor Connect.
	ErrNoEndpoint = errors.New("socket: no endpoint (use Bind or Connect)")

	// ErrBadMessage reports a value sent to a socket that is not a
	// Message, or a Message the socket cannot send (no frames, a ROUTER
	// message without an identity frame...). Requests fail with it; plain
	// sends are counted as DropInvalid.
	ErrBadMessage = errors.New("socket: bad message")

	// ErrPeerLost fails a REQ request whose peer disconnected before it
	// replied.
	ErrPeerLost = errors.New("socket: peer disconnected before replying")

	// ErrClosed fails the REQ requests still waiting when the socket
	// stops.
	ErrClosed = errors.New("socket: closed")

	// ErrNotSocket is returned by StatsOf for a ref that is not a live
	// socket actor of the System, and by Request for a reply that is not a
	// Message.
	ErrNotSocket = errors.New("socket: not a live socket actor")
)

// ErrTooLarge reports a message over the socket's size or frame limit.
var ErrTooLarge = errors.New("socket: message too large")

// ErrHeartbeat is the reason (in PeerDown.Err) of a connection closed
// because nothing arrived within the heartbeat timeout.
var ErrHeartbeat = errors.New("socket: heartbeat timeout")
