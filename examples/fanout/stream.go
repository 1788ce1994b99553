package main

import (
	"sync/atomic"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// A stream describes a publisher that publishes quotes on a ticker.
type stream struct {
	source   string
	topic    string
	n        int           // messages to publish; 0 publishes until stopped
	interval time.Duration // one message per tick
	start    <-chan struct{}
	// published, if not nil, is the last seq published: stored after the
	// Publish call returns, read by other goroutines.
	published *atomic.Int64
	done      chan<- string // receives source when the stream ends by itself
}

// behavior returns the loop-form actor that runs the stream.
func (s stream) behavior() actor.Behavior {
	return actor.Loop(func(p *actor.Process, _ <-chan any) error {
		ctx := p.Context()
		select {
		case <-s.start:
		case <-ctx.Done():
			return nil
		}
		tick := time.NewTicker(s.interval)
		defer tick.Stop()
		for seq := 1; s.n == 0 || seq <= s.n; seq++ {
			select {
			case <-tick.C:
			case <-ctx.Done():
				return nil
			}
			p.System().Publish(s.topic, quote{Source: s.source, Seq: seq})
			if s.published != nil {
				s.published.Store(int64(seq))
			}
		}
		s.done <- s.source
		return nil
	})
}
