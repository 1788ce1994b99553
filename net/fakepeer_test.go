package net

import (
	"sync"
	"testing"

	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// A silentPeer pretends to be a node: it answers HELLO, reports the
// Watch messages it reads, and never says anything else — no ACK, no
// heartbeat.
type silentPeer struct {
	addr    string
	watches chan Watch
}

func startSilentPeer(t *testing.T) *silentPeer {
	t.Helper()
	ln, err := zmtp.Listen(testContext(t), "tcp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &silentPeer{addr: ln.Endpoint(), watches: make(chan Watch, 16)}
	var wg sync.WaitGroup
	conns := make(chan *zmtp.Conn, 64)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept(t.Context())
			if err != nil {
				return
			}
			conns <- c
			wg.Add(1)
			go func() {
				defer wg.Done()
				p.serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		wg.Wait()
		close(conns)
		for c := range conns {
			_ = c.Close()
		}
	})
	return p
}

// serve answers HELLO, then reads until the connection closes.
func (p *silentPeer) serve(c *zmtp.Conn) {
	defer c.Close()
	var (
		m zmtp.Message
		e wire.Envelope
		d wire.Decoder
	)
	hello := wire.Envelope{Kind: wire.Hello, Node: p.addr, Epoch: 1, Version: wire.Version}
	for {
		if err := c.ReadMessage(&m); err != nil {
			return
		}
		for _, f := range m.Frames {
			if d.Decode(f, &e) != nil {
				return
			}
			switch e.Kind {
			case wire.Hello:
				if c.WriteMessage(wire.Append(nil, &hello)) != nil || c.Flush() != nil {
					return
				}
			case wire.Send:
				if v, err := testCodec.DecodeBody(e.Type, e.Body); err == nil {
					if w, ok := v.(Watch); ok {
						select {
						case p.watches <- w:
						default:
						}
					}
				}
			}
		}
	}
}
