package socket

import (
	"maps"
	"sync/atomic"

	"github.com/troupe-go/troupe/actor"
)

// The registry lets StatsOf reach a socket actor without going through
// its mailbox, which a PUSH, DEALER or REQ stops reading while it holds
// back its senders: exactly when its counters matter most. It is a map
// replaced whole on each change (copy on write, compare-and-swap): reads
// are a single atomic load, and sockets come and go rarely.
var registry atomic.Pointer[map[regKey]control]

type regKey struct {
	sys *actor.System
	ref actor.Ref
}

// control is a live socket actor's side door.
type control struct {
	stats chan chan Stats // the actor answers each request on the channel it carries
	done  chan struct{}   // closed when the actor has finished its teardown
}

func register(k regKey, c control) {
	update(func(m map[regKey]control) { m[k] = c })
}

func unregister(k regKey) {
	update(func(m map[regKey]control) { delete(m, k) })
}

func update(change func(map[regKey]control)) {
	for {
		old := registry.Load()
		next := make(map[regKey]control)
		if old != nil {
			maps.Copy(next, *old)
		}
		change(next)
		if registry.CompareAndSwap(old, &next) {
			return
		}
	}
}

func lookup(sys *actor.System, ref actor.Ref) (control, bool) {
	m := registry.Load()
	if m == nil {
		return control{}, false
	}
	c, ok := (*m)[regKey{sys: sys, ref: ref}]
	return c, ok
}
