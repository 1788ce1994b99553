package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/timeline"
)

// clientResult is the client's account.
type clientResult struct {
	OK        int  // requests answered
	Timeouts  int  // attempts without a valid reply in time
	Abandoned bool // gave up: the server seems to be offline
	LastSeq   int  // the request it was on when it ended
}

// lazyPirate is the guide's lpclient: each request gets timeout to be
// answered, and is sent again up to retries attempts in all; a reply must
// carry the request's sequence number. After the last attempt it
// abandons. The server is addressed by name, so a retry reaches whichever
// incarnation holds the name now.
type lazyPirate struct {
	server   actor.Ref
	requests int
	timeout  time.Duration
	retries  int
	log      *timeline.Timeline
	results  chan<- clientResult
}

func (c *lazyPirate) behavior() actor.Behavior {
	return actor.Loop(func(p *actor.Process, _ <-chan any) error {
		var r clientResult
		for seq := 1; seq <= c.requests && !r.Abandoned; seq++ {
			r.LastSeq = seq
			if c.ask(p, seq, &r) {
				r.OK++
			}
		}
		select {
		case c.results <- r:
		case <-p.Context().Done():
		}
		return nil
	})
}

// ask makes up to c.retries attempts at request seq and reports whether one
// was answered.
func (c *lazyPirate) ask(p *actor.Process, seq int, r *clientResult) bool {
	for attempt := 1; attempt <= c.retries; attempt++ {
		err := c.attempt(p, seq)
		if err == nil {
			return true
		}
		if p.Context().Err() != nil {
			r.Abandoned = true
			return false
		}
		r.Timeouts++
		if attempt == c.retries {
			c.log.Add("client: request %d: %v; server seems to be offline, abandoning", seq, err)
			r.Abandoned = true
			return false
		}
		c.log.Add("client: request %d: %v; retrying (attempt %d of %d)", seq, err, attempt+1, c.retries)
	}
	return false
}

// errNoReply is the client's name for an attempt that got nothing valid.
var errNoReply = errors.New("no response from server")

// attempt sends one request and waits at most the timeout for a reply
// with the right sequence number. Whatever else happens counts as no
// response, and the attempt waits out its timeout: a server that is not
// there, or that dies with the request in its mailbox, looks to a REQ
// socket like one that does not answer.
func (c *lazyPirate) attempt(p *actor.Process, seq int) error {
	ctx, cancel := context.WithTimeout(p.Context(), c.timeout)
	defer cancel()
	v, err := p.Request(ctx, c.server, request{Seq: seq})
	var te *actor.TimeoutError
	switch {
	case err == nil:
		if resp, ok := v.(response); ok && resp.Seq == seq {
			return nil
		}
		err = fmt.Errorf("%w: malformed reply %v", errNoReply, v)
	case errors.As(err, &te):
		return errNoReply
	case errors.Is(err, actor.ErrNotFound):
		err = fmt.Errorf("%w: nobody is registered as %q", errNoReply, c.server.Name)
	default:
		err = fmt.Errorf("%w: %w", errNoReply, err)
	}
	<-ctx.Done()
	return err
}
