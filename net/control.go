package net

import "github.com/troupe-go/troupe/actor"

// NodeActorName is the name of the actor every node runs to serve the
// control plane: Lookup, Spawn, Stop, Watch, Unwatch and Terminated
// messages from other nodes and from foreign clients.
const NodeActorName = "troupe.node"

// Control-plane messages, sent to the NodeActorName actor of a node.
type (
	// Lookup asks for the ref of the actor registered as Name; the answer
	// is Found or Error.
	Lookup struct{ Name string }
	// Spawn asks the node to start an actor of the registered kind Kind,
	// named Name ("" for anonymous), within TimeoutMs milliseconds; the
	// answer is Found or Error.
	Spawn struct {
		Kind      string
		Name      string
		TimeoutMs int64
	}
	// Stop asks the node to stop Target; the answer is Done once it is
	// dead, or Error.
	Stop struct{ Target actor.Ref }
	// Watch registers the remote Watcher for a Terminated about Target.
	Watch struct{ Watcher, Target actor.Ref }
	// Unwatch cancels a Watch.
	Unwatch struct{ Watcher, Target actor.Ref }
	// Terminated tells Watcher's node that Target stopped, with the exit
	// reason as an error code and text.
	Terminated struct {
		Watcher, Target actor.Ref
		Code            uint64
		Text            string
	}
	// Found answers Lookup and Spawn.
	Found struct{ Ref actor.Ref }
	// Done answers Stop.
	Done struct{}
	// Error answers a control request that failed.
	Error struct {
		Code uint64
		Text string
	}
)

func registerControl(c *Codec) {
	MustRegister[Lookup](c, "troupe.Lookup")
	MustRegister[Spawn](c, "troupe.Spawn")
	MustRegister[Stop](c, "troupe.Stop")
	MustRegister[Watch](c, "troupe.Watch")
	MustRegister[Unwatch](c, "troupe.Unwatch")
	MustRegister[Terminated](c, "troupe.Terminated")
	MustRegister[Found](c, "troupe.Found")
	MustRegister[Done](c, "troupe.Done")
	MustRegister[Error](c, "troupe.Error")
}
