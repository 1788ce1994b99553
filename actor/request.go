package actor

import (
	"context"
	"sync"
	"sync/atomic"
)

// A future is the reply slot of one request. It is addressed by a Ref of
// its own (with futureBit set in the id), so a reply finds it through the
// same routing as any message, locally or from another node. Futures are
// pooled: the id guards against a late reply reaching a recycled slot.
type future struct {
	id    atomic.Uint64 // the id of the request it serves; 0 once claimed
	reply chan futureReply
}

type futureReply struct {
	msg any
	err error
}

// futurePool recycles the futures of one System. Each System has its own:
// a future's channel belongs to the synctest bubble (if any) that made it,
// and a pool shared by all systems would hand it to a test in another
// bubble, or outside any, which is a fatal error.
type futurePool struct{ pool sync.Pool }

func (p *futurePool) get() *future {
	if f, ok := p.pool.Get().(*future); ok {
		return f
	}
	return &future{reply: make(chan futureReply, 1)}
}

func (p *futurePool) put(f *future) { p.pool.Put(f) }

// Request sends msg to to and waits for the reply (the message the target
// passes to Process.Reply) until ctx ends. On timeout it returns a
// *TimeoutError naming the target and the message type; a reply that
// arrives later becomes a dead letter (ReasonLateReply). Nothing is left
// behind by a request that times out.
func (s *System) Request(ctx context.Context, to Ref, msg any) (any, error) {
	seq := s.futures.alloc()
	if seq == 0 {
		return nil, ErrExhausted
	}
	f := s.futurePool.get()
	id := futureBit | s.epoch | seq
	f.id.Store(id)
	s.futures.store(seq, f)
	replyTo := Ref{Node: s.Node(), ID: id}
	if err := s.send(ctx, to, replyTo, msg); err != nil {
		s.releaseFuture(f, seq, id)
		return nil, err
	}
	select {
	case r := <-f.reply:
		s.futures.remove(seq, f)
		s.futurePool.put(f)
		return r.msg, r.err
	case <-ctx.Done():
		s.releaseFuture(f, seq, id)
		return nil, &TimeoutError{Target: to, MsgType: typeName(msg), Cause: context.Cause(ctx)}
	}
}

// releaseFuture retires a future that got no reply. If a reply is being
// delivered at this very moment, it is taken and dead-lettered as late.
func (s *System) releaseFuture(f *future, seq, id uint64) {
	s.futures.remove(seq, f)
	if !f.id.CompareAndSwap(id, 0) {
		r := <-f.reply
		s.deadLetter(Ref{Node: s.Node(), ID: id}, Ref{}, r.msg, ReasonLateReply)
	}
	s.futurePool.put(f)
}

// completeFuture hands a reply to the request waiting on ref. A reply to a
// request that is over is a late-reply dead letter, not an error for the
// replier: the caller gave up, and an actor that does `return p.Reply(x)`
// must not fail because of it.
func (s *System) completeFuture(ref, from Ref, msg any, err error) error {
	f := s.futures.load(ref.ID & seqMask)
	if ref.ID&epochMask != s.epoch || f == nil || !f.id.CompareAndSwap(ref.ID, 0) {
		s.deadLetter(ref, from, msg, ReasonLateReply)
		return nil
	}
	f.reply <- futureReply{msg: msg, err: err}
	return nil
}

// FailRequest ends the request waiting on reply (the sender ref it was
// sent with) with err instead of a reply. Transports use it when the node
// that should answer goes down. It reports whether a request was waiting.
func (s *System) FailRequest(reply Ref, err error) bool {
	if !s.isLocal(reply) || reply.ID&futureBit == 0 {
		return false
	}
	f := s.futures.load(reply.ID & seqMask)
	if reply.ID&epochMask != s.epoch || f == nil || !f.id.CompareAndSwap(reply.ID, 0) {
		return false
	}
	f.reply <- futureReply{err: err}
	return true
}

// IsReplyRef reports whether ref addresses a waiting request rather than an
// actor.
func IsReplyRef(ref Ref) bool { return ref.ID&futureBit != 0 }

// Waiting reports whether a request is still waiting on the reply ref.
// Transports use it to forget requests that are over.
func (s *System) Waiting(reply Ref) bool {
	if !s.isLocal(reply) || reply.ID&futureBit == 0 || reply.ID&epochMask != s.epoch {
		return false
	}
	f := s.futures.load(reply.ID & seqMask)
	return f != nil && f.id.Load() == reply.ID
}
