package net

import "github.com/troupe-go/troupe/actor"

// Topics of the events a Node publishes on its system (subscribe with
// System.Subscribe or System.SubscribeFunc; TopicEvents+"node" catches
// both).
const (
	TopicNodeUp   = actor.TopicEvents + "nodeup"   // NodeUp
	TopicNodeDown = actor.TopicEvents + "nodedown" // NodeDown
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
