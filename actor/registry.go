package actor

import (
	"context"
	"fmt"
	"sync/atomic"
)

// registrar owns the name → ref map on its own goroutine; every change and
// lookup is a message to it. Sends by ref never touch it: only naming,
// name lookups and name-addressed sends do.
type registrar struct {
	ops  chan registryOp
	quit chan struct{}
	done chan struct{}

	// cache is a read-only snapshot of names that were looked up, so that
	// sends by name skip the round trip to the registrar. Only the
	// registrar goroutine replaces it (copy on write); readers check that
	// the ref they find is still alive, and fall back to asking.
	cache atomic.Pointer[map[string]Ref]
}

// maxCached bounds the snapshot, whose copies cost O(size) each.
const maxCached = 4096

type registryOp struct {
	kind  registryKind
	name  string
	ref   Ref
	reply chan registryReply // nil for unregister
}

type registryKind uint8

const (
	opRegister registryKind = iota
	opUnregister
	opLookup
)

type registryReply struct {
	ref Ref
	ok  bool
}

func startRegistrar(s *System) *registrar {
	r := &registrar{ops: make(chan registryOp), quit: make(chan struct{}), done: make(chan struct{})}
	r.cache.Store(&map[string]Ref{})
	s.goroutineStarted()
	go func() {
		defer s.goroutineDone()
		defer close(r.done)
		r.serve()
	}()
	return r
}

func (r *registrar) serve() {
	names := make(map[string]Ref)
	for {
		select {
		case op := <-r.ops:
			r.apply(names, op)
		case <-r.quit:
			return
		}
	}
}

func (r *registrar) apply(names map[string]Ref, op registryOp) {
	cur, ok := names[op.name]
	switch op.kind {
	case opRegister:
		if !ok {
			names[op.name] = op.ref
		}
		op.reply <- registryReply{ref: cur, ok: !ok}
	case opUnregister:
		if ok && cur == op.ref {
			delete(names, op.name)
			r.uncache(op.name)
		}
	case opLookup:
		op.reply <- registryReply{ref: cur, ok: ok}
		if ok {
			r.remember(op.name, cur)
		}
	}
}

// remember puts name → ref in the snapshot, if there is room.
func (r *registrar) remember(name string, ref Ref) {
	old := *r.cache.Load()
	if cur, ok := old[name]; (ok && cur == ref) || len(old) >= maxCached {
		return
	}
	next := make(map[string]Ref, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[name] = ref
	r.cache.Store(&next)
}

// uncache removes name from the snapshot.
func (r *registrar) uncache(name string) {
	old := *r.cache.Load()
	if _, ok := old[name]; !ok {
		return
	}
	next := make(map[string]Ref, len(old))
	for k, v := range old {
		if k != name {
			next[k] = v
		}
	}
	r.cache.Store(&next)
}

// cached returns the ref the snapshot holds for name; the caller must
// check that it is still alive.
func (r *registrar) cached(name string) (Ref, bool) {
	ref, ok := (*r.cache.Load())[name]
	return ref, ok
}

func (r *registrar) call(ctx context.Context, op registryOp) (registryReply, error) {
	op.reply = make(chan registryReply, 1)
	select {
	case r.ops <- op:
	case <-r.done:
		return registryReply{}, ErrShutdown
	case <-ctx.Done():
		return registryReply{}, context.Cause(ctx)
	}
	return <-op.reply, nil
}

func (r *registrar) register(ctx context.Context, name string, ref Ref) error {
	rep, err := r.call(ctx, registryOp{kind: opRegister, name: name, ref: ref})
	if err != nil {
		return fmt.Errorf("actor: register %q: %w", name, err)
	}
	if !rep.ok {
		return fmt.Errorf("%w: %q is %v", ErrNameTaken, name, rep.ref)
	}
	return nil
}

// unregister removes name if it still maps to ref. It waits for the
// registrar so that a successor registering the same name is ordered after
// it.
func (r *registrar) unregister(name string, ref Ref) {
	select {
	case r.ops <- registryOp{kind: opUnregister, name: name, ref: ref}:
	case <-r.done:
	}
}

func (r *registrar) lookup(ctx context.Context, name string) (Ref, bool) {
	rep, err := r.call(ctx, registryOp{kind: opLookup, name: name})
	return rep.ref, err == nil && rep.ok
}

func (r *registrar) stop() {
	close(r.quit)
	<-r.done
}
