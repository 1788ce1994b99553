package zmtp

import (
	"fmt"
	"log/slog"
	"time"
)

// Defaults used when no option overrides them.
const (
	// DefaultMaxMessageSize is the default limit on the sum of the frame
	// sizes of one message (64 MiB).
	DefaultMaxMessageSize = 64 << 20
	// DefaultMaxFrames is the default limit on the number of frames in one
	// message.
	DefaultMaxFrames = 1024
	// DefaultBufferSize is the default size of a Conn's write buffer, of
	// its reads and of the smallest buffer a message is read into (64 KiB).
	DefaultBufferSize = 64 << 10
	// DefaultHandshakeTimeout bounds the greeting and security handshake
	// when the context given to Dial or Accept has no earlier deadline.
	DefaultHandshakeTimeout = 10 * time.Second
	// DefaultMaxPendingHandshakes is how many accepted connections a
	// Listener handshakes, or holds for Accept, at once.
	DefaultMaxPendingHandshakes = 64
)

// An Option configures Dial or Listen.
type Option func(*config)

type config struct {
	socketType     SocketType
	identity       []byte
	plainUser      string
	plainPass      string
	plainClient    bool
	plainCheck     func(user, pass string) bool
	maxMessageSize int
	maxFrames      int
	bufferSize     int
	handshakeTTL   time.Duration
	maxPending     int
	logger         *slog.Logger
	onHandshakeErr func(error)
	readSpin       *ReadSpin
}

func newConfig(def SocketType, opts []Option) (*config, error) {
	cfg := &config{
		socketType:     def,
		maxMessageSize: DefaultMaxMessageSize,
		maxFrames:      DefaultMaxFrames,
		bufferSize:     DefaultBufferSize,
		handshakeTTL:   DefaultHandshakeTimeout,
		maxPending:     DefaultMaxPendingHandshakes,
		logger:         slog.New(slog.DiscardHandler),
	}
	for _, opt := range opts {
		opt(cfg)
	}
	return cfg, cfg.validate()
}

func (c *config) validate() error {
	switch {
	case !c.socketType.valid():
		return fmt.Errorf("%w: unknown socket type %q", ErrBadOption, string(c.socketType))
	case len(c.identity) > 255:
		return fmt.Errorf("%w: identity is %d bytes, at most 255", ErrBadOption, len(c.identity))
	case c.plainClient && c.plainCheck != nil:
		return fmt.Errorf("%w: WithPlain and WithPlainServer together", ErrBadOption)
	case c.plainClient && (len(c.plainUser) > 255 || len(c.plainPass) > 255):
		return fmt.Errorf("%w: PLAIN username and password are at most 255 bytes", ErrBadOption)
	case c.maxMessageSize < 1:
		return fmt.Errorf("%w: max message size %d", ErrBadOption, c.maxMessageSize)
	case c.maxFrames < 1:
		return fmt.Errorf("%w: max frames %d", ErrBadOption, c.maxFrames)
	case c.bufferSize < 16:
		return fmt.Errorf("%w: buffer size %d, at least 16", ErrBadOption, c.bufferSize)
	case c.handshakeTTL <= 0:
		return fmt.Errorf("%w: handshake timeout %v", ErrBadOption, c.handshakeTTL)
	case c.maxPending < 1:
		return fmt.Errorf("%w: max pending handshakes %d", ErrBadOption, c.maxPending)
	case c.logger == nil:
		return fmt.Errorf("%w: nil logger", ErrBadOption)
	}
	return nil
}

// WithSocketType sets the ZMTP socket type announced in the handshake.
// Listen defaults to Router, Dial to Dealer. The peer's type must be
// compatible (RFC 23), or the handshake fails with ErrIncompatible.
func WithSocketType(t SocketType) Option {
	return func(c *config) { c.socketType = t }
}

// WithIdentity sets the Identity property announced in the handshake
// (at most 255 bytes). A ROUTER peer uses it to address this connection.
func WithIdentity(id []byte) Option {
	return func(c *config) { c.identity = append([]byte(nil), id...) }
}

// WithPlain makes Dial authenticate with the PLAIN mechanism (RFC 24)
// using user and pass (at most 255 bytes each). The credentials travel in
// clear text.
func WithPlain(user, pass string) Option {
	return func(c *config) { c.plainUser, c.plainPass, c.plainClient = user, pass, true }
}

// WithPlainServer makes a Listener require the PLAIN mechanism and accept
// only clients for which check(user, pass) returns true. Others receive an
// ERROR command with reason "400" (the ZAP status libzmq uses) and are
// disconnected. check is called from several goroutines at once.
func WithPlainServer(check func(user, pass string) bool) Option {
	return func(c *config) { c.plainCheck = check }
}

// WithMaxMessageSize limits the sum of the frame sizes of one message, in
// bytes, for reading and for writing (default DefaultMaxMessageSize).
func WithMaxMessageSize(n int) Option {
	return func(c *config) { c.maxMessageSize = n }
}

// WithMaxFrames limits the number of frames in one message, for reading
// and for writing (default DefaultMaxFrames).
func WithMaxFrames(n int) Option {
	return func(c *config) { c.maxFrames = n }
}

// WithBufferSize sets the size of each Conn's write buffer, of its reads
// (the smallest read buffer of a Message) and of its handshake reader
// (default DefaultBufferSize).
func WithBufferSize(n int) Option {
	return func(c *config) { c.bufferSize = n }
}

// WithHandshakeTimeout bounds the greeting and security handshake
// (default DefaultHandshakeTimeout). A context deadline that comes first
// wins.
func WithHandshakeTimeout(d time.Duration) Option {
	return func(c *config) { c.handshakeTTL = d }
}

// WithMaxPendingHandshakes bounds how many accepted connections a
// Listener handshakes or holds for Accept at once (default
// DefaultMaxPendingHandshakes). When the bound is reached the Listener
// stops accepting until Accept takes a connection or a handshake ends.
func WithMaxPendingHandshakes(n int) Option {
	return func(c *config) { c.maxPending = n }
}

// WithLogger sets the logger for dropped input (failed handshakes,
// ignored commands). The default discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithReadSpin makes the Conns of Dial or of a Listener spin on their
// socket before they wait for it, as s says (see ReadSpin). Conns of
// several Dials and Listeners may share s, and its bound on spinning
// Conns. The default is no spin.
func WithReadSpin(s *ReadSpin) Option {
	return func(c *config) { c.readSpin = s }
}

// WithHandshakeErrorFunc makes a Listener call f with the error of every
// accepted connection whose handshake failed (such connections are closed
// and counted in ListenerStats). f is called from the handshake goroutine
// and must not block for long.
func WithHandshakeErrorFunc(f func(error)) Option {
	return func(c *config) { c.onHandshakeErr = f }
}
