package mailbox

import "time"

// Stats is a snapshot of a mailbox's counters. The counters are read one
// after another while senders keep posting, so the figures are each exact
// but may be a few messages apart from one another.
type Stats struct {
	Capacity int    // high-water mark
	Policy   Policy // overflow policy
	Posted   uint64 // messages accepted into the queue
	Received uint64 // messages taken by the owner (Posted less Evicted, Flushed and Depth)
	Dropped  uint64 // messages discarded on arrival (DropNewest, or DropOldest losing a race)
	Evicted  uint64 // queued messages discarded by DropOldest
	Rejected uint64 // posts refused with ErrFull: Fail policy, or Block when the sender's context ended first
	Flushed  uint64 // messages discarded because the mailbox was closed
	Depth    int    // messages queued now
	MaxDepth int    // highest depth seen
}

// Lost returns the number of messages the mailbox discarded for any reason.
func (s Stats) Lost() uint64 { return s.Dropped + s.Evicted + s.Flushed }

// Stats returns the mailbox's counters. It is safe to call from any
// goroutine at any time and does not disturb the owner.
func (m *Mailbox) Stats() Stats {
	s := Stats{
		Capacity: cap(m.user),
		Policy:   m.policy,
		Depth:    m.Len(),
		Posted:   m.posted.Load(),
		Dropped:  m.dropped.Load(),
		Evicted:  m.evicted.Load(),
		Rejected: m.rejected.Load(),
		Flushed:  m.flushed.Load(),
		MaxDepth: int(m.maxDepth.Load()),
	}
	gone := s.Evicted + s.Flushed + uint64(s.Depth)
	if s.Posted > gone {
		s.Received = s.Posted - gone
	}
	return s
}

// An AgeProbe estimates how long the oldest queued message of a mailbox
// has been waiting, without timestamping messages: each Sample records how
// many messages had been posted by then, so the oldest queued message is
// known to have been posted no later than the first sample that counted
// it (and after the sample before). The estimate is a lower bound,
// accurate to the sampling interval.
//
// An AgeProbe belongs to one goroutine (typically a supervisor's monitor
// tick); it is not safe for concurrent use. It keeps at most maxSamples
// samples, thinning old ones when the queue stays stuck for long.
type AgeProbe struct {
	mb      StatsReader
	samples []ageSample
}

type ageSample struct {
	at     time.Time
	posted uint64
}

const maxSamples = 128

// A StatsReader is anything that reports mailbox counters: a *Mailbox, or
// an adapter that finds one by some other name.
type StatsReader interface {
	Stats() Stats
}

// NewAgeProbe returns a probe for the mailbox m reports on.
func NewAgeProbe(m StatsReader) *AgeProbe { return &AgeProbe{mb: m} }

// Sample records the mailbox's counters at now and returns the estimated
// age of the oldest queued message (0 when the mailbox is empty).
func (p *AgeProbe) Sample(now time.Time) time.Duration {
	s := p.mb.Stats()
	p.samples = append(p.samples, ageSample{at: now, posted: s.Posted})
	if s.Depth == 0 {
		p.samples = p.samples[len(p.samples)-1:]
		return 0
	}
	oldest := s.Posted - uint64(s.Depth) + 1 // sequence number of the head
	i := 0
	for i < len(p.samples)-1 && p.samples[i].posted < oldest {
		i++
	}
	p.samples = p.samples[i:]
	if len(p.samples) > maxSamples {
		p.thin()
	}
	return now.Sub(p.samples[0].at)
}

// thin keeps every other sample but the first and the last: resolution
// halves, memory stays bounded, and the lower bound stays a lower bound.
func (p *AgeProbe) thin() {
	kept := p.samples[:1]
	for i := 1; i < len(p.samples)-1; i += 2 {
		kept = append(kept, p.samples[i])
	}
	p.samples = append(kept, p.samples[len(p.samples)-1])
}
