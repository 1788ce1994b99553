package socket

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/troupe-go/troupe/actor"
)

// A DropReason says why a socket discarded a message.
type DropReason uint8

// The reasons a socket discards a message. Every discarded message is
// counted under one of them (see Stats.Dropped) and logged.
const (
	// DropHWM: the peer's queue was at its high-water mark (PUB, ROUTER,
	// and REP replies).
	DropHWM DropReason = iota + 1
	// DropUnroutable: a ROUTER message for an identity with no connected
	// peer.
	DropUnroutable
	// DropNoSubscriber: a PUB message that no connected subscriber wanted.
	DropNoSubscriber
	// DropTooLarge: a message over the size or frame limit, outbound or
	// inbound (the inbound connection is closed).
	DropTooLarge
	// DropInvalid: a value that is not a Message, an empty Message, a
	// ROUTER message without identity, a request without envelope, data
	// sent to a PULL or SUB, or received by a PUSH or PUB.
	DropInvalid
	// DropDisconnected: messages written but not yet flushed when their
	// connection failed (they may or may not have reached the peer), and
	// REP replies whose peer had gone.
	DropDisconnected
	// DropTarget: an inbound message the target actor did not take (it
	// is gone, or its mailbox refused the message).
	DropTarget
	// DropNoReceiver: an inbound message with nobody to give it to (a
	// DEALER made with no target, a REQ reply to a plain Send).
	DropNoReceiver
	// DropNoRequest: a reply to a REP that has no request in progress, or
	// a reply a REQ was not waiting for.
	DropNoRequest
	// DropAbandoned: a REQ request whose caller gave up, before it was
	// sent or while its reply was awaited (that connection is then closed,
	// as the Lazy Pirate pattern does).
	DropAbandoned
	// DropClosed: messages still queued when the socket stopped and its
	// linger time ran out.
	DropClosed
	numDropReasons
)

var dropNames = [...]string{
	DropHWM: "hwm", DropUnroutable: "unroutable", DropNoSubscriber: "no-subscriber",
	DropTooLarge: "too-large", DropInvalid: "invalid", DropDisconnected: "disconnected",
	DropTarget: "target", DropNoReceiver: "no-receiver", DropNoRequest: "no-request",
	DropAbandoned: "abandoned", DropClosed: "closed",
}

// String names the reason.
func (r DropReason) String() string {
	if r > 0 && r < numDropReasons {
		return dropNames[r]
	}
	return fmt.Sprintf("DropReason(%d)", uint8(r))
}

// Drops maps each reason to the number of messages dropped for it.
type Drops map[DropReason]uint64

// Total returns the number of dropped messages, all reasons together.
func (d Drops) Total() uint64 {
	var n uint64
	for _, v := range d {
		n += v
	}
	return n
}

// Stats is a snapshot of a socket's counters.
type Stats struct {
	// Kind is the socket kind.
	Kind Kind
	// Bound lists the endpoints the socket listens on, with the real port
	// for "tcp://host:0"; Connect lists its connect endpoints.
	Bound, Connect []string
	// Sent counts messages written to a peer connection (a PUB message
	// written to three subscribers counts three; a SUB counts its
	// subscriptions). A message counts once it is in the connection's
	// buffer, before the flush; if the connection fails before the
	// flush, it moves to DropDisconnected.
	Sent uint64
	// Received counts data messages read from peers (for a PUB, the
	// subscription messages; for a SUB, Filtered ones included).
	Received uint64
	// Filtered counts messages a SUB received that match none of its
	// topics (normally none: the publisher filters).
	Filtered uint64
	// Dropped counts discarded messages by reason.
	Dropped Drops
	// Queued is the number of messages waiting in the socket: held for a
	// peer with room, and in the peers' queues.
	Queued int
	// Peers describes the connected peers, in connection order.
	Peers []PeerStats
	// SpinCaught counts reads that found a connection's socket empty,
	// polled it (see WithReadSpin) and got data; SpinMissed those that
	// polled in vain and waited; SpinLimited those that waited without
	// polling, as many connections as allowed polling already.
	SpinCaught, SpinMissed, SpinLimited uint64
}

// PeerStats describes one connected peer.
type PeerStats struct {
	// Endpoint is the socket's endpoint the connection belongs to.
	Endpoint string
	// Remote is the peer's network address.
	Remote string
	// Identity is the peer's routing identity (ROUTER) or announced
	// identity.
	Identity []byte
	// Sent counts messages written to this peer (see Stats.Sent).
	Sent uint64
	// Queued is the number of messages in this peer's queue.
	Queued int
	// Dropped counts messages dropped because this peer's queue was full.
	Dropped uint64
	// Topics lists the peer's subscriptions (PUB only), sorted.
	Topics []string
}

// StatsOf returns the counters of the socket actor ref, a live socket of
// sys (a name ref, with ID 0, is looked up). The socket answers through
// a channel of its own, not its mailbox, so a PUSH blocking its senders
// answers too. It waits until the socket answers, stops, or ctx ends. (A
// socket restarted after a failure answers once its new incarnation has
// started; until then its ref is ErrNotSocket.)
func StatsOf(ctx context.Context, sys *actor.System, ref actor.Ref) (Stats, error) {
	if ref.ID == 0 && ref.Name != "" {
		if r, ok := sys.Lookup(ref.Name); ok {
			ref = r
		}
	}
	c, ok := lookup(sys, ref)
	if !ok {
		return Stats{}, fmt.Errorf("socket: stats of %v: %w", ref, ErrNotSocket)
	}
	reply := make(chan Stats, 1)
	select {
	case c.stats <- reply:
	case <-c.done:
		return Stats{}, fmt.Errorf("socket: stats of %v: %w", ref, ErrClosed)
	case <-ctx.Done():
		return Stats{}, fmt.Errorf("socket: stats of %v: %w", ref, context.Cause(ctx))
	}
	select {
	case st := <-reply:
		return st, nil
	case <-ctx.Done():
		return Stats{}, fmt.Errorf("socket: stats of %v: %w", ref, context.Cause(ctx))
	}
}

// Endpoint returns the first endpoint the socket ref is bound to, with
// the real port for "tcp://host:0" — what peers should connect to.
func Endpoint(ctx context.Context, sys *actor.System, ref actor.Ref) (string, error) {
	st, err := StatsOf(ctx, sys, ref)
	if err != nil {
		return "", err
	}
	if len(st.Bound) == 0 {
		return "", fmt.Errorf("socket: endpoint of %v: %w: not bound", ref, ErrNoEndpoint)
	}
	return st.Bound[0], nil
}

// counters are the socket's totals. Reader and writer goroutines update
// them on every message, so they are atomics rather than messages to the
// socket actor.
type counters struct {
	sent, received, filtered atomic.Uint64
	dropped                  [numDropReasons]atomic.Uint64
}

func (c *counters) drops() Drops {
	d := Drops{}
	for r := DropReason(1); r < numDropReasons; r++ {
		if n := c.dropped[r].Load(); n > 0 {
			d[r] = n
		}
	}
	return d
}

// stats builds the snapshot; it runs on the socket actor's goroutine.
func (s *sock) stats() Stats {
	st := Stats{
		Kind:     s.kind,
		Bound:    slices.Clone(s.bound),
		Connect:  slices.Clone(s.cfg.connects),
		Sent:     s.count.sent.Load(),
		Received: s.count.received.Load(),
		Filtered: s.count.filtered.Load(),
		Dropped:  s.count.drops(),
		Queued:   s.backlog.len(),
	}
	spin := s.spin.Stats()
	st.SpinCaught, st.SpinMissed, st.SpinLimited = spin.Caught, spin.Missed, spin.Limited
	for _, p := range s.peers {
		ps := p.stats()
		st.Queued += ps.Queued
		st.Peers = append(st.Peers, ps)
	}
	return st
}
