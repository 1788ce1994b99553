package actor

import (
	"fmt"
	"sync/atomic"
)

// A DeadLetterReason says why a message could not be delivered.
type DeadLetterReason uint8

// The reasons a message becomes a dead letter.
const (
	ReasonNotFound  DeadLetterReason = iota // no live actor at the target
	ReasonStopped                           // queued when the target stopped
	ReasonDropped                           // discarded by the target's overflow policy
	ReasonFull                              // refused: mailbox full (Fail policy, or a publication)
	ReasonTimeout                           // the sender gave up waiting for room (Block policy)
	ReasonLateReply                         // a reply for a request that is over
	ReasonRemote                            // lost on the way to or from another node
	reasonCount
)

var reasonNames = [reasonCount]string{"not-found", "stopped", "dropped", "full", "timeout", "late-reply", "remote"}

// String names the reason.
func (r DeadLetterReason) String() string {
	if r < reasonCount {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// A DeadLetter is a message that could not be delivered. Each one is
// counted (System.DeadLetters), logged at debug level, and published as an
// event on TopicDeadLetter — except a dead-letter event that a subscriber
// itself missed, which would start an endless chain.
type DeadLetter struct {
	Target  Ref
	Sender  Ref
	Message any
	Reason  DeadLetterReason
}

type deadLetterCounters [reasonCount]atomic.Uint64

// DeadLetterCounts maps each reason to the number of dead letters it caused.
type DeadLetterCounts map[DeadLetterReason]uint64

// Total returns the number of dead letters for all reasons.
func (d DeadLetterCounts) Total() uint64 {
	var n uint64
	for _, v := range d {
		n += v
	}
	return n
}

// DeadLetters returns the dead-letter counters, by reason.
func (s *System) DeadLetters() DeadLetterCounts {
	out := make(DeadLetterCounts, reasonCount)
	for i := range s.dead {
		if n := s.dead[i].Load(); n > 0 {
			out[DeadLetterReason(i)] = n
		}
	}
	return out
}

// DeadLetter records a message that could not be delivered. Transports
// call it for messages lost on the way.
func (s *System) DeadLetter(target, sender Ref, msg any, reason DeadLetterReason) {
	s.deadLetter(target, sender, msg, reason)
}

func (s *System) deadLetter(target, sender Ref, msg any, reason DeadLetterReason) {
	if reason >= reasonCount {
		reason = ReasonNotFound
	}
	s.dead[reason].Add(1)
	s.log.Debug("dead letter", "target", target, "sender", sender, "type", typeName(msg), "reason", reason)
	if pub, ok := msg.(Publication); ok && pub.Topic == TopicDeadLetter {
		// A dead-letter event that a subscriber missed is counted and
		// logged, not published: its event could be missed in turn, forever.
		return
	}
	s.publishEvent(TopicDeadLetter, DeadLetter{Target: target, Sender: sender, Message: msg, Reason: reason})
}
