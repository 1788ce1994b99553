package net

import (
	"strconv"
	"strings"
	"unsafe"

	"github.com/troupe-go/troupe/actor"
)

// ClientPrefix starts the Node of the refs that stand for foreign clients
// (see docs/PROTOCOL.md). When a client's SEND has a correlation id, the
// target actor sees a sender whose Node is ClientPrefix + the node's
// address + "/" + the connection number, and whose ID is the correlation
// id; replying to it sends a REPLY (or, for an Error message, an ERROR)
// on the client's connection, also from actors on other nodes.
const ClientPrefix = "zmtp-peer:"

// clientNode is the Node of refs for the client on connection id.
func clientNode(owner string, id uint64) string {
	return ClientPrefix + owner + "/" + strconv.FormatUint(id, 10)
}

// parseClientNode splits a client ref's Node into the address of the node
// that holds the connection and the connection number.
func parseClientNode(node string) (owner string, id uint64, ok bool) {
	rest, ok := strings.CutPrefix(node, ClientPrefix)
	if !ok {
		return "", 0, false
	}
	i := strings.LastIndexByte(rest, '/')
	if i < 0 {
		return "", 0, false
	}
	id, err := strconv.ParseUint(rest[i+1:], 10, 64)
	if err != nil {
		return "", 0, false
	}
	return rest[:i], id, true
}

// IsClientRef reports whether ref stands for a foreign client's request
// (see ClientPrefix).
func IsClientRef(ref actor.Ref) bool { return strings.HasPrefix(ref.Node, ClientPrefix) }

// withNode returns ref with node filled in if its Node is empty.
func withNode(ref actor.Ref, node string) actor.Ref {
	if ref.Node == "" && !ref.IsZero() {
		ref.Node = node
	}
	return ref
}

// fillRefs gives the refs inside a control message the node they are
// relative to: an empty Node means the sender's node.
func fillRefs(msg any, node string) any {
	switch m := msg.(type) {
	case Watch:
		m.Watcher, m.Target = withNode(m.Watcher, node), withNode(m.Target, node)
		return m
	case Unwatch:
		m.Watcher, m.Target = withNode(m.Watcher, node), withNode(m.Target, node)
		return m
	case Terminated:
		m.Watcher, m.Target = withNode(m.Watcher, node), withNode(m.Target, node)
		return m
	case Stop:
		m.Target = withNode(m.Target, node)
		return m
	case Found:
		m.Ref = withNode(m.Ref, node)
		return m
	}
	return msg
}

// sameString is a == b, quick when both share their bytes: the type names
// of a stream's envelopes (see wire.Decoder), the refs of a stream's
// sends, which are copies of one another.
func sameString(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// sameRef is *a == *b, through sameString.
func sameRef(a, b *actor.Ref) bool {
	return a.ID == b.ID && sameString(a.Name, b.Name) && sameString(a.Node, b.Node)
}
