package actor

import (
	"context"
	"fmt"
)

// A Transport carries messages to actors on other nodes. The net package
// implements it; a System without one treats every remote ref as
// unreachable. All methods must be safe for concurrent use and must not
// block longer than their context allows. If the transport also has a
// method Close(context.Context) error, System.Shutdown calls it after the
// actors have stopped.
type Transport interface {
	// Send delivers msg to the remote actor to, with from as its sender.
	Send(ctx context.Context, to, from Ref, msg any) error
	// Watch registers watcher (local) for a Terminated notice about the
	// remote actor target; the transport delivers the notice with
	// System.Notify, also when target's node goes down.
	Watch(watcher, target Ref) error
	// Unwatch cancels a Watch.
	Unwatch(watcher, target Ref)
	// Notify delivers a Terminated notice to a remote watcher.
	Notify(watcher Ref, t Terminated)
	// Stop stops the remote actor target and waits for it, as System.Stop.
	Stop(ctx context.Context, target Ref) error
	// Lookup finds the actor registered as name on node.
	Lookup(ctx context.Context, node, name string) (Ref, error)
}

type transportBox struct{ t Transport }

// SetTransport installs the transport for remote refs and sets the node
// address that local refs carry from now on. The net package calls it.
func (s *System) SetTransport(node string, t Transport) {
	s.node.Store(&node)
	s.transport.Store(&transportBox{t: t})
}

func (s *System) remote(to Ref) (Transport, error) {
	box := s.transport.Load()
	if box == nil {
		return nil, fmt.Errorf("actor: %v: %w", to, ErrNoTransport)
	}
	return box.t, nil
}

// sendRemote hands a message for another node to the transport. The refs
// come by value and go on as they came: copied through memory (from a
// pointer) they were read back in 16-byte pieces from the 8-byte words
// just stored, a store-forwarding stall in every remote send (see
// isZeroRef).
func (s *System) sendRemote(ctx context.Context, to, from Ref, msg any) error {
	box := s.transport.Load()
	if box == nil {
		s.deadLetter(to, from, msg, ReasonNotFound)
		return fmt.Errorf("actor: %v: %w", to, ErrNoTransport)
	}
	return box.t.Send(ctx, to, from, msg)
}

// LookupOn finds the actor registered as name on node: this system when
// node is its own address or "", another node through the transport.
func (s *System) LookupOn(ctx context.Context, node, name string) (Ref, error) {
	if node == "" || node == s.Node() {
		ref, ok := s.names.lookup(ctx, name)
		if !ok {
			return Ref{}, fmt.Errorf("actor: lookup %q: %w", name, ErrNotFound)
		}
		return ref, nil
	}
	t, err := s.remote(Ref{Node: node, Name: name})
	if err != nil {
		return Ref{}, err
	}
	return t.Lookup(ctx, node, name)
}

// closeTransport closes the installed transport, if it can be closed:
// Shutdown disposes of the node along with the actors.
func (s *System) closeTransport(ctx context.Context) error {
	box := s.transport.Load()
	if box == nil {
		return nil
	}
	if c, ok := box.t.(interface{ Close(context.Context) error }); ok {
		if err := c.Close(ctx); err != nil {
			return fmt.Errorf("close transport: %w", err)
		}
	}
	return nil
}
