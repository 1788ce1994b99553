package socket

import (
	"errors"
	"time"

	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// acceptLoop hands the connections of a bound endpoint to the actor.
func (s *sock) acceptLoop(ln *zmtp.Listener, endpoint string) {
	defer s.wg.Done()
	for {
		c, err := ln.Accept(s.ctx)
		if err != nil {
			if s.ctx.Err() == nil && !errors.Is(err, zmtp.ErrClosed) {
				s.log.Error("socket: stopped accepting", "endpoint", endpoint, "err", err)
			}
			return
		}
		if !s.report(connUp{conn: c, endpoint: endpoint}) {
			_ = c.Close()
			return
		}
	}
}

// dialLoop keeps one connection to a connect endpoint: it dials (with a
// doubling delay while dials fail), hands the connection to the actor,
// waits until the actor has removed that peer, and dials again.
func (s *sock) dialLoop(endpoint string) {
	defer s.wg.Done()
	opts := s.cfg.zmtpOptions(s.kind, s.log, false, s.spin)
	delay := s.cfg.reconnect
	failures := 0
	for {
		c, err := zmtp.Dial(s.ctx, endpoint, opts...)
		if err != nil {
			if s.ctx.Err() != nil {
				return
			}
			s.dialFailed(endpoint, err, failures, delay)
			failures++
			if !s.sleep(delay) {
				return
			}
			delay = min(2*delay, s.cfg.reconnectMax)
			continue
		}
		failures, delay = 0, s.cfg.reconnect
		gone := make(chan struct{})
		if !s.report(connUp{conn: c, endpoint: endpoint, gone: gone}) {
			_ = c.Close()
			return
		}
		select {
		case <-gone:
		case <-s.ctx.Done():
			return
		}
		if !s.sleep(s.cfg.reconnect) {
			return
		}
	}
}

// dialFailed logs a failed dial: the first of a series at Info (a peer
// that is not up yet is normal), a handshake failure at Warn, the rest
// at Debug.
func (s *sock) dialFailed(endpoint string, err error, failures int, delay time.Duration) {
	switch {
	case errors.Is(err, zmtp.ErrHandshake) && failures == 0:
		s.log.Warn("socket: handshake failed, retrying", "endpoint", endpoint, "err", err, "retry", delay)
	case failures == 0:
		s.log.Info("socket: dial failed, retrying", "endpoint", endpoint, "err", err, "retry", delay)
	default:
		s.log.Debug("socket: dial failed, retrying", "endpoint", endpoint, "err", err, "retry", delay)
	}
}

// sleep waits d, or until the socket is torn down (false).
func (s *sock) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}
