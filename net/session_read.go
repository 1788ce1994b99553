package net

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// read is the session's reader goroutine: the return path of a link
// carries ACKs and HEARTBEATs (and ZMTP PINGs from libzmq peers). It
// exits when the connection fails or is closed; the link's goroutine
// joins it in lost.
func (s *session) read() {
	defer close(s.readerDone)
	var (
		m zmtp.Message
		e wire.Envelope
		d wire.Decoder
	)
	for {
		if err := s.conn.ReadMessage(&m); err != nil {
			s.readErr = readFailure(&s.l.stats, err)
			return
		}
		s.traffic.Add(1)
		if m.Kind == zmtp.KindCommand {
			if m.Command.Name == zmtp.CmdPing {
				s.l.postOp(pingOp{s: s, ctx: bytes.Clone(m.Command.PingContext())})
			}
			continue
		}
		for _, f := range m.Frames {
			if err := d.Decode(f, &e); err != nil {
				s.l.stats[cMalformed].Add(1)
				s.readErr = fmt.Errorf("net: from %s: %w", s.l.addr, err)
				return
			}
			switch e.Kind {
			case wire.Ack:
				s.acked.Store(e.Count)
				if s.waitAcks.Load() {
					s.l.poke()
				}
			case wire.Heartbeat:
			default:
				s.l.stats[cMalformed].Add(1)
				s.readErr = fmt.Errorf("%w: %v from %s on the return path of a link", ErrMalformed, e.Kind, s.l.addr)
				return
			}
		}
	}
}

// readFailure counts a read error that is the peer's fault.
func readFailure(c *counters, err error) error {
	switch {
	case errors.Is(err, zmtp.ErrMessageTooLarge), errors.Is(err, zmtp.ErrTooManyFrames):
		c[cTooLarge].Add(1)
	case errors.Is(err, zmtp.ErrMalformed):
		c[cMalformed].Add(1)
	}
	return err
}
