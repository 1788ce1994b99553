package zmtp

import "github.com/go-zeromq/zmq4"

// A SocketType is a ZeroMQ socket type as announced in the ZMTP handshake
// ("Socket-Type" property). It only decides which peers are compatible:
// the socket semantics (routing, fan-out) belong to the layer above.
type SocketType string

// The socket types of RFC 23.
const (
	Pair   SocketType = "PAIR"
	Pub    SocketType = "PUB"
	Sub    SocketType = "SUB"
	Req    SocketType = "REQ"
	Rep    SocketType = "REP"
	Dealer SocketType = "DEALER"
	Router SocketType = "ROUTER"
	Pull   SocketType = "PULL"
	Push   SocketType = "PUSH"
	XPub   SocketType = "XPUB"
	XSub   SocketType = "XSUB"
)

func (t SocketType) valid() bool {
	switch t {
	case Pair, Pub, Sub, Req, Rep, Dealer, Router, Pull, Push, XPub, XSub:
		return true
	}
	return false
}

// CompatibleWith reports whether a socket of type t may talk to a peer of
// type peer (RFC 23). Unknown types are compatible with nothing.
func (t SocketType) CompatibleWith(peer SocketType) bool {
	if !t.valid() || !peer.valid() {
		return false
	}
	return zmq4.SocketType(t).IsCompatible(zmq4.SocketType(peer))
}
