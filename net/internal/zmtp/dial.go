package zmtp

import (
	"context"
	"fmt"
	stdnet "net"
)

// Dial connects to endpoint ("tcp://host:port" or "ipc://path") and runs
// the ZMTP handshake, as a Dealer unless WithSocketType says otherwise.
// It blocks until the handshake is done, ctx ends or the handshake
// timeout passes, whichever comes first. Handshake failures wrap
// ErrHandshake and the cause (ErrAuthFailed for refused PLAIN
// credentials, ErrIncompatible, ErrMalformed, a context error...).
func Dial(ctx context.Context, endpoint string, opts ...Option) (*Conn, error) {
	cfg, err := newConfig(Dealer, opts)
	if err != nil {
		return nil, fmt.Errorf("zmtp: dial %s: %w", endpoint, err)
	}
	if cfg.plainCheck != nil {
		return nil, fmt.Errorf("zmtp: dial %s: %w: WithPlainServer is for Listen", endpoint, ErrBadOption)
	}
	ep, err := ParseEndpoint(endpoint)
	if err == nil {
		err = ep.checkDialable()
	}
	if err != nil {
		return nil, fmt.Errorf("zmtp: dial: %w", err)
	}
	var d stdnet.Dialer
	raw, err := d.DialContext(ctx, ep.network(), ep.Addr)
	if err != nil {
		return nil, fmt.Errorf("zmtp: dial %s: %w", endpoint, err)
	}
	c, err := handshake(ctx, raw, cfg, false)
	if err != nil {
		_ = raw.Close()
		return nil, fmt.Errorf("zmtp: dial %s: %w", endpoint, err)
	}
	return c, nil
}
