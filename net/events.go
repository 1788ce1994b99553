package net

import "github.com/troupe-go/troupe/actor"

// Topics of the events a Node publishes on its system (subscribe with
// System.Subscribe or System.SubscribeFunc; TopicEvents+"node" catches
// both).
const (
	TopicNodeUp   = actor.TopicEvents + "nodeup"   // NodeUp
	TopicNodeDown = actor.TopicEvents + "nodedown" // NodeDown
	TopicNodeGone = actor.TopicEvents + "nodegone" // NodeGone
)

// NodeUp is published when a link to another node is established: the
// peer answered HELLO, for the first time or after it was down.
type NodeUp struct {
	Node  string // the peer's address
	Epoch uint64 // the peer's incarnation (changes when it restarts)
}

// NodeDown is published when a link loses its peer: the connection broke
// or the peer was silent for heartbeat interval × liveness. Watchers of
// the peer's actors have been sent Terminated, and the requests waiting
// on it have failed, with Reason (which wraps ErrNodeDown).
type NodeDown struct {
	Node   string
	Reason error
}

// NodeGone is published when a link gives up on a node that has been
// unreachable for the link expiry (WithLinkExpiry) and goes away; what it
// still held has been dead-lettered. The next message for the node makes
// a new link.
type NodeGone struct {
	Node   string
	Reason error
}
