package actor

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/troupe-go/troupe/mailbox"
)

// subscription is one entry of the system's subscription list. The list is
// copied on every change and swapped in atomically, so Publish reads it
// without locks: subscriptions change rarely, publications often.
type subscription struct {
	prefix string
	ref    Ref
	fn     *func(Publication)
}

// cancelled is the context used to post publications: they never wait.
var cancelled = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// Publish delivers msg, wrapped in a Publication, to every subscriber
// whose prefix is a prefix of topic (ZeroMQ SUB semantics; "" matches
// everything). Publishing never waits: a subscriber whose mailbox is full
// follows its overflow policy, except that Block acts as DropNewest, and
// every message it misses is a dead letter. Other subscribers and the
// publisher keep their pace.
func (s *System) Publish(topic string, msg any) {
	for _, sub := range *s.subs.Load() {
		if !strings.HasPrefix(topic, sub.prefix) {
			continue
		}
		pub := Publication{Topic: topic, Message: msg}
		if sub.fn != nil {
			(*sub.fn)(pub)
			continue
		}
		s.publishTo(sub.ref, pub)
	}
}

func (s *System) publishTo(ref Ref, pub Publication) {
	if !s.isLocal(ref) {
		_ = s.sendRemote(cancelled, ref, Ref{}, pub)
		return
	}
	c := s.cell(ref.ID)
	if c == nil {
		s.unsubscribeAll(ref)
		return
	}
	if err := c.mb.Post(cancelled, pub); err != nil {
		if errors.Is(err, mailbox.ErrClosed) {
			s.postFailed(c, Ref{}, pub, err)
			return
		}
		// Refused, not timed out: a publication never waits for room.
		s.deadLetter(c.ref, Ref{}, pub, ReasonFull)
		return
	}
	c.schedule()
}

// Subscribe subscribes the actor ref to every topic that starts with
// prefix. The subscription ends with Unsubscribe or when the actor stops.
// The prefix "" matches every topic, the system's events under
// TopicEvents included.
func (s *System) Subscribe(ref Ref, prefix string) {
	if c := s.cell(ref.ID); c != nil && s.isLocal(ref) {
		c.subscribed.Store(true)
	}
	s.changeSubs(func(list []subscription) []subscription {
		for _, sub := range list {
			if sub.ref == ref && sub.prefix == prefix && sub.fn == nil {
				return list
			}
		}
		return append(list, subscription{prefix: prefix, ref: ref})
	})
}

// Unsubscribe removes the subscription of ref to prefix.
func (s *System) Unsubscribe(ref Ref, prefix string) {
	s.changeSubs(func(list []subscription) []subscription {
		return slices.DeleteFunc(list, func(sub subscription) bool {
			return sub.fn == nil && sub.ref == ref && sub.prefix == prefix
		})
	})
}

// SubscribeFunc calls f for every publication whose topic starts with
// prefix, on the publisher's goroutine: f must be quick and must not
// block (hand the publication to a buffered channel, a counter, a log
// line). It returns the function that ends the subscription.
func (s *System) SubscribeFunc(prefix string, f func(Publication)) (unsubscribe func()) {
	fn := &f
	s.changeSubs(func(list []subscription) []subscription {
		return append(list, subscription{prefix: prefix, fn: fn})
	})
	return func() {
		s.changeSubs(func(list []subscription) []subscription {
			return slices.DeleteFunc(list, func(sub subscription) bool { return sub.fn == fn })
		})
	}
}

func (s *System) unsubscribeAll(ref Ref) {
	s.changeSubs(func(list []subscription) []subscription {
		return slices.DeleteFunc(list, func(sub subscription) bool { return sub.fn == nil && sub.ref == ref })
	})
}

// changeSubs applies change to a copy of the subscription list and swaps
// it in, retrying if another change got there first.
func (s *System) changeSubs(change func([]subscription) []subscription) {
	for {
		old := s.subs.Load()
		next := change(slices.Clone(*old))
		if s.subs.CompareAndSwap(old, &next) {
			return
		}
	}
}
