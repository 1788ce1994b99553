package socket

import "github.com/troupe-go/troupe/actor"

// Socket events are published on topics under TopicEvents (with
// System.PublishEvent): subscribe with System.SubscribeFunc or
// System.Subscribe to log peers coming and going, or to wait for a peer
// in a test instead of sleeping.
const (
	TopicEvents       = actor.TopicEvents + "socket."
	TopicPeerUp       = TopicEvents + "peerup"       // PeerUp
	TopicPeerDown     = TopicEvents + "peerdown"     // PeerDown
	TopicSubscription = TopicEvents + "subscription" // Subscription
)

// PeerUp is published when a socket has a new connected peer (after the
// ZMTP handshake).
type PeerUp struct {
	Socket   actor.Ref
	Kind     Kind
	Endpoint string // the socket's endpoint the peer came through
	Remote   string // the peer's address
	Identity []byte // the peer's routing identity
}

// PeerDown is published when a peer's connection has ended and both its
// goroutines have exited.
type PeerDown struct {
	Socket   actor.Ref
	Kind     Kind
	Endpoint string
	Remote   string
	Err      error // why the connection ended
	// Requeued is the number of queued messages handed back to the
	// socket for other peers (PUSH, DEALER, REQ); Dropped the number
	// discarded (other kinds, counted as DropDisconnected).
	Requeued, Dropped int
}

// Subscription is published when a PUB's peer subscribes to a topic
// prefix, or cancels a subscription.
type Subscription struct {
	Socket    actor.Ref
	Remote    string
	Topic     string
	Subscribe bool // false for a cancellation
}
