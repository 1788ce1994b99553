package main

import (
	"fmt"
	"strings"

	"github.com/troupe-go/troupe/actor"
)

// A quote is what the publishers publish: its source and its place in
// that source's stream (1, 2, 3, …).
type quote struct {
	Source string
	Seq    int
}

// getTally asks a subscriber for its tally.
type getTally struct{}

// A tally is what a subscriber saw.
type tally struct {
	Count      int            // quotes received
	Events     int            // runtime events received (topics under actor.TopicEvents)
	BySource   map[string]int // publications received from each source
	ByTopic    map[string]int // publications received on each topic
	First      int            // the first seq received (0: none)
	Last       int            // the last seq received
	Gaps       int            // times a source's seq did not follow its last
	Switches   int            // times the source changed from one message to the next
	LongestRun int            // most messages in a row from one source
}

// subscriber counts what it receives; notify, if not nil, is called on the
// actor's goroutine with the running count after each publication.
type subscriber struct {
	t      tally
	last   map[string]int // last seq by source
	source string         // source of the previous message
	run    int            // length of the current run
	notify func(count int)
	start  func(p *actor.Process) // called on Started
}

func subscriberBehavior(notify func(count int), onStart func(p *actor.Process)) actor.Behavior {
	return actor.New(func() actor.Handler {
		return &subscriber{
			t:      tally{BySource: make(map[string]int), ByTopic: make(map[string]int)},
			last:   make(map[string]int),
			notify: notify,
			start:  onStart,
		}
	})
}

// Receive implements actor.Handler.
func (s *subscriber) Receive(p *actor.Process) error {
	switch m := p.Message().(type) {
	case actor.Publication:
		q, ok := m.Message.(quote)
		if !ok && strings.HasPrefix(m.Topic, actor.TopicEvents) {
			s.t.Events++ // the filter "" matches the runtime's events too
			return nil
		}
		if !ok {
			return fmt.Errorf("fanout: subscriber: unexpected publication %T on %q", m.Message, m.Topic)
		}
		s.add(m.Topic, q)
	case getTally:
		return p.Reply(s.t)
	case actor.Started:
		if s.start != nil {
			s.start(p)
		}
	case actor.Restarting, actor.Stopping, actor.Stopped:
	default:
		return fmt.Errorf("fanout: subscriber: unexpected message %T", m)
	}
	return nil
}

func (s *subscriber) add(topic string, q quote) {
	t := &s.t
	t.Count++
	t.BySource[q.Source]++
	t.ByTopic[topic]++
	if t.First == 0 {
		t.First = q.Seq
	}
	t.Last = q.Seq
	if last, ok := s.last[q.Source]; ok && q.Seq != last+1 {
		t.Gaps++
	}
	s.last[q.Source] = q.Seq
	if q.Source == s.source {
		s.run++
	} else {
		if s.source != "" {
			t.Switches++
		}
		s.source, s.run = q.Source, 1
	}
	t.LongestRun = max(t.LongestRun, s.run)
	if s.notify != nil {
		s.notify(t.Count)
	}
}

// signalAt returns a notify function that closes ch once the count
// reaches n.
func signalAt(n int, ch chan struct{}) func(int) {
	return func(count int) {
		if count != n {
			return
		}
		select {
		case <-ch: // closed by an earlier incarnation
		default:
			close(ch)
		}
	}
}
