package socket

import "github.com/troupe-go/troupe/net/internal/zmtp"

// A Kind is the ZeroMQ socket type a socket actor plays, as announced to
// its peers in the ZMTP handshake.
type Kind string

// The socket kinds this package implements.
const (
	KindPush   Kind = "PUSH"   // sends, round-robin over peers
	KindPull   Kind = "PULL"   // receives from all peers, fair-queued
	KindPub    Kind = "PUB"    // sends to every matching subscriber
	KindSub    Kind = "SUB"    // receives what matches its topics
	KindReq    Kind = "REQ"    // sends a request, waits for its reply
	KindRep    Kind = "REP"    // receives a request, sends its reply
	KindDealer Kind = "DEALER" // sends round-robin, receives from all
	KindRouter Kind = "ROUTER" // addresses peers by identity
)

// String returns the ZeroMQ name of the kind ("PUSH").
func (k Kind) String() string { return string(k) }

func (k Kind) zmtpType() zmtp.SocketType { return zmtp.SocketType(k) }

// sends reports whether the socket writes user messages to its peers.
func (k Kind) sends() bool { return k != KindPull && k != KindSub }

// roundRobin reports whether the socket spreads messages over its peers
// and so holds them when no peer has room (and may block its senders).
func (k Kind) roundRobin() bool { return k == KindPush || k == KindDealer || k == KindReq }

// receives reports whether the socket hands inbound messages to a target.
func (k Kind) receives() bool {
	return k == KindPull || k == KindSub || k == KindRep || k == KindRouter || k == KindDealer
}
