package zmtp

import (
	"context"
	"errors"
	"fmt"
	stdnet "net"
	"sync"
	"sync/atomic"
	"time"
)

// A Listener accepts ZMTP connections on a tcp or ipc endpoint. It owns
// one accept goroutine and one goroutine per connection being handshaken
// (at most WithMaxPendingHandshakes); Accept hands out connections whose
// handshake succeeded. Close stops them all. Its methods are safe for
// concurrent use.
type Listener struct {
	ln       stdnet.Listener
	endpoint Endpoint
	cfg      *config

	ctx     context.Context // cancelled by Close; bounds the handshakes
	cancel  context.CancelFunc
	ready   chan *Conn    // handshaken connections waiting for Accept
	pending chan struct{} // one token per connection not yet taken by Accept
	closing chan struct{} // closed by Close
	done    chan struct{} // closed when the accept loop exits
	loopErr error         // why the accept loop exited; read after done
	wg      sync.WaitGroup
	once    sync.Once

	accepted   atomic.Uint64 // counters: written by handshake goroutines, read by Stats
	failed     atomic.Uint64
	unaccepted atomic.Uint64
}

// ListenerStats counts what a Listener did.
type ListenerStats struct {
	// Accepted is the number of connections whose handshake succeeded.
	Accepted uint64
	// HandshakeFailures is the number of accepted connections closed
	// because their handshake failed.
	HandshakeFailures uint64
	// Unaccepted is the number of handshaken connections closed by Close
	// because Accept never took them.
	Unaccepted uint64
}

// Listen binds endpoint ("tcp://host:port", "tcp://*:0", "ipc:///path")
// and starts accepting. The listener is a Router unless WithSocketType
// says otherwise. For ipc, a stale socket file (nobody listening) is
// removed first; the socket file is removed by Close. ctx bounds only the
// bind, not the Listener's life.
func Listen(ctx context.Context, endpoint string, opts ...Option) (*Listener, error) {
	cfg, err := newConfig(Router, opts)
	if err != nil {
		return nil, fmt.Errorf("zmtp: listen %s: %w", endpoint, err)
	}
	if cfg.plainClient {
		return nil, fmt.Errorf("zmtp: listen %s: %w: WithPlain is for Dial", endpoint, ErrBadOption)
	}
	ep, err := ParseEndpoint(endpoint)
	if err != nil {
		return nil, fmt.Errorf("zmtp: listen: %w", err)
	}
	ln, err := bind(ctx, ep)
	if err != nil {
		return nil, fmt.Errorf("zmtp: listen %s: %w", endpoint, err)
	}
	l := &Listener{
		ln:       ln,
		endpoint: endpointOf(ln.Addr()),
		cfg:      cfg,
		ready:    make(chan *Conn),
		pending:  make(chan struct{}, cfg.maxPending),
		closing:  make(chan struct{}),
		done:     make(chan struct{}),
	}
	l.ctx, l.cancel = context.WithCancel(context.WithoutCancel(ctx))
	l.wg.Add(1)
	go l.acceptLoop()
	return l, nil
}

// Endpoint returns the bound endpoint, with the real port for
// "tcp://host:0" ("tcp://*:0" reports host 0.0.0.0).
func (l *Listener) Endpoint() string { return l.endpoint.String() }

// Addr returns the bound network address.
func (l *Listener) Addr() stdnet.Addr { return l.ln.Addr() }

// Accept waits for the next connection whose handshake succeeded. It
// returns ErrClosed once the Listener is closed, ctx's error when ctx
// ends first, or the error that stopped the accept loop.
func (l *Listener) Accept(ctx context.Context) (*Conn, error) {
	select {
	case c := <-l.ready:
		<-l.pending
		return c, nil
	case <-l.closing:
		return nil, fmt.Errorf("zmtp: accept on %s: %w", l.endpoint, ErrClosed)
	case <-l.done:
		return nil, fmt.Errorf("zmtp: accept on %s: %w", l.endpoint, l.loopErr)
	case <-ctx.Done():
		return nil, fmt.Errorf("zmtp: accept on %s: %w", l.endpoint, context.Cause(ctx))
	}
}

// Close stops accepting, aborts the handshakes in progress, closes the
// connections not yet taken by Accept, removes the ipc socket file and
// waits for the Listener's goroutines to exit. Connections returned by
// Accept stay open. Close is idempotent: later calls return nil.
func (l *Listener) Close() error {
	var err error
	l.once.Do(func() {
		close(l.closing)
		l.cancel()
		if cerr := l.ln.Close(); cerr != nil && !errors.Is(cerr, stdnet.ErrClosed) {
			err = fmt.Errorf("zmtp: close listener %s: %w", l.endpoint, cerr)
		}
		l.wg.Wait()
	})
	return err
}

// Stats returns the Listener's counters.
func (l *Listener) Stats() ListenerStats {
	return ListenerStats{Accepted: l.accepted.Load(), HandshakeFailures: l.failed.Load(),
		Unaccepted: l.unaccepted.Load()}
}

// acceptLoop accepts connections while fewer than maxPending are in
// handshake or waiting for Accept, and starts a handshake for each.
func (l *Listener) acceptLoop() {
	defer l.wg.Done()
	defer close(l.done)
	var backoff time.Duration
	for {
		select {
		case l.pending <- struct{}{}:
		case <-l.closing:
			l.loopErr = ErrClosed
			return
		}
		raw, err := l.ln.Accept()
		if err != nil {
			<-l.pending
			if backoff, err = l.retry(err, backoff); err != nil {
				l.loopErr = err
				return
			}
			continue
		}
		backoff = 0
		l.wg.Add(1)
		go l.serve(raw)
	}
}

// retry decides what an Accept error means: a temporary error (such as
// too many open files) is logged and waited out with a growing backoff;
// anything else ends the loop.
func (l *Listener) retry(err error, backoff time.Duration) (time.Duration, error) {
	var te interface{ Temporary() bool }
	select {
	case <-l.closing:
		return 0, ErrClosed
	default:
	}
	if !errors.As(err, &te) || !te.Temporary() {
		return 0, err
	}
	backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
	l.cfg.logger.Warn("zmtp: accept failed, retrying", "endpoint", l.endpoint.String(), "err", err, "backoff", backoff)
	t := time.NewTimer(backoff)
	defer t.Stop()
	select {
	case <-t.C:
		return backoff, nil
	case <-l.closing:
		return 0, ErrClosed
	}
}

// serve handshakes one accepted connection and hands it to Accept.
func (l *Listener) serve(raw stdnet.Conn) {
	defer l.wg.Done()
	c, err := handshake(l.ctx, raw, l.cfg, true)
	if err != nil {
		_ = raw.Close()
		<-l.pending
		l.failed.Add(1)
		l.cfg.logger.Debug("zmtp: handshake failed", "endpoint", l.endpoint.String(), "err", err)
		if l.cfg.onHandshakeErr != nil {
			l.cfg.onHandshakeErr(err)
		}
		return
	}
	l.accepted.Add(1)
	select {
	case l.ready <- c:
	case <-l.closing:
		_ = c.Close()
		<-l.pending
		l.unaccepted.Add(1)
		l.cfg.logger.Debug("zmtp: closed a connection never accepted", "endpoint", l.endpoint.String(),
			"remote", c.RemoteAddr().String())
	}
}
