package net

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// A kind is a behavior other nodes may spawn here by name.
type kind struct {
	behavior actor.Behavior
	opts     []actor.SpawnOption
}

func (k kind) spawn(ctx context.Context, sys *actor.System, name string) (actor.Ref, error) {
	opts := k.opts
	if name != "" {
		opts = append(opts[:len(opts):len(opts)], actor.WithName(name))
	}
	return sys.Spawn(ctx, k.behavior, opts...)
}

// RegisterKind makes b available to SpawnRemote on other nodes as the
// kind called name, with opts applied to every actor spawned from it
// (plus actor.WithName of the name the spawner asks for, if any). Actors spawned remotely are
// top-level actors of this node's system. Registering a kind again
// replaces it. RegisterKind is safe for concurrent use.
func (n *Node) RegisterKind(name string, b actor.Behavior, opts ...actor.SpawnOption) error {
	if name == "" || b.IsZero() {
		return fmt.Errorf("net: register kind %q: empty name or behavior", name)
	}
	k := kind{behavior: b, opts: append([]actor.SpawnOption(nil), opts...)}
	for {
		old := n.kinds.Load()
		next := maps.Clone(*old)
		next[name] = k
		if n.kinds.CompareAndSwap(old, &next) {
			return nil
		}
	}
}

// SpawnRemote asks the node at node to spawn an actor of the registered
// kind, named name ("" for an anonymous actor), and returns its ref. ctx
// bounds the whole operation and its deadline is passed to the remote
// node as the spawn's timeout. The error wraps ErrSpawnFailed if the
// remote node could not start the actor (unknown kind, name taken, start
// step failed), ErrNodeDown if it went down meanwhile, or ctx's error.
// Spawning on this node's own address spawns locally.
func (n *Node) SpawnRemote(ctx context.Context, node, kind, name string) (actor.Ref, error) {
	if n.isSelf(node) {
		return n.spawnLocal(ctx, kind, name)
	}
	var timeoutMs int64
	if d, ok := ctx.Deadline(); ok {
		timeoutMs = max(time.Until(d).Milliseconds(), 1)
	}
	msg := Spawn{Kind: kind, Name: name, TimeoutMs: timeoutMs}
	reply, err := n.sys.Request(ctx, actor.Ref{Node: node, Name: NodeActorName}, msg)
	if err != nil {
		return actor.Ref{}, fmt.Errorf("net: spawn %q on %s: %w", kind, node, err)
	}
	f, ok := reply.(Found)
	if !ok {
		return actor.Ref{}, fmt.Errorf("net: spawn %q on %s: unexpected answer %T", kind, node, reply)
	}
	return withNode(f.Ref, node), nil
}

func (n *Node) spawnLocal(ctx context.Context, kind, name string) (actor.Ref, error) {
	k, ok := (*n.kinds.Load())[kind]
	if !ok {
		return actor.Ref{}, fmt.Errorf("net: spawn %q on %s: %w: no such kind", kind, n.addr, ErrSpawnFailed)
	}
	ref, err := k.spawn(ctx, n.sys, name)
	if err != nil {
		return actor.Ref{}, fmt.Errorf("net: spawn %q on %s: %w", kind, n.addr, fmt.Errorf("%w: %w", ErrSpawnFailed, err))
	}
	return withNode(ref, n.addr), nil
}
