package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// errAccounting is returned when the numbers do not add up.
var errAccounting = errors.New("reqrep: accounting does not add up")

// report prints the clients' tallies, the first timeout error, and the
// server's and the runtime's view of the late replies; it checks that they
// agree.
func report(w io.Writer, cfg config, tallies []clientTally, srv drained, dl actor.DeadLetterCounts) error {
	slices.SortFunc(tallies, func(a, b clientTally) int { return strings.Compare(a.Name, b.Name) })
	var ok, timeouts, wrong int
	var lat []time.Duration
	var first *actor.TimeoutError
	for _, t := range tallies {
		fmt.Fprintf(w, "  %-9s ok=%-3d timeouts=%-3d wrong=%d\n", t.Name, t.OK, t.Timeouts, t.Wrong)
		ok, timeouts, wrong = ok+t.OK, timeouts+t.Timeouts, wrong+t.Wrong
		lat = append(lat, t.Latencies...)
		if first == nil {
			first = t.FirstErr
		}
	}
	fmt.Fprintf(w, "requests=%d ok=%d timeouts=%d wrong=%d latency p50=%v p99=%v\n",
		cfg.clients*cfg.requests, ok, timeouts, wrong, percentile(lat, 0.5), percentile(lat, 0.99))
	if first != nil {
		fmt.Fprintf(w, "first timeout: %v\n  target=%v type=%s cause=%v\n", first, first.Target, first.MsgType, first.Cause)
	}
	fmt.Fprintf(w, "server: replies sent=%d failed=%d; dead letters: late-reply=%d total=%d\n",
		srv.Sent, srv.Failed, dl[actor.ReasonLateReply], dl.Total())
	switch {
	case ok+timeouts+wrong != cfg.clients*cfg.requests:
		return fmt.Errorf("%w: %d ok + %d timeouts + %d wrong != %d requests", errAccounting, ok, timeouts, wrong, cfg.clients*cfg.requests)
	case srv.Sent != ok+wrong+timeouts || srv.Failed != 0 || dl[actor.ReasonLateReply] != uint64(timeouts):
		// Every request got a reply, in time or too late; the late ones
		// are exactly the timeouts, and each became a dead letter.
		return fmt.Errorf("%w: %d timeouts, server sent=%d failed=%d, late-reply dead letters=%d",
			errAccounting, timeouts, srv.Sent, srv.Failed, dl[actor.ReasonLateReply])
	}
	return nil
}
