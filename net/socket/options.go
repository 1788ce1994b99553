package socket

import (
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// Defaults used when no option overrides them.
const (
	// DefaultHWM is the default high-water mark: the number of messages
	// queued for each peer (libzmq's default, 1000).
	DefaultHWM = 1000
	// DefaultLinger is how long a stopping socket keeps writing the
	// messages it still holds to its connected peers.
	DefaultLinger = time.Second
	// DefaultReconnect is the first delay before a connect endpoint is
	// dialled again (libzmq's ZMQ_RECONNECT_IVL, 100 ms).
	DefaultReconnect = 100 * time.Millisecond
	// DefaultReconnectMax caps the doubling of the reconnect delay while
	// dials keep failing.
	DefaultReconnectMax = 2 * time.Second
	// maxInbox caps the socket actor's own mailbox (see doc.go).
	maxInbox = 1024
)

// An Option configures a socket.
type Option func(*config)

type config struct {
	binds, connects []string
	hwm             int
	policy          mailbox.Policy
	policySet       bool
	linger          time.Duration
	reconnect       time.Duration
	reconnectMax    time.Duration
	maxSize         int
	maxFrames       int
	identity        []byte
	name            string
	plainUser       string
	plainPass       string
	plainClient     bool
	plainCheck      func(user, pass string) bool
	heartbeat       time.Duration
	heartbeatTTL    time.Duration
	logger          *slog.Logger
	readSpin        time.Duration
	readSpinners    int
}

func newConfig(opts []Option) *config {
	cfg := &config{
		hwm:          DefaultHWM,
		linger:       DefaultLinger,
		reconnect:    DefaultReconnect,
		reconnectMax: DefaultReconnectMax,
		maxSize:      zmtp.DefaultMaxMessageSize,
		maxFrames:    zmtp.DefaultMaxFrames,
	}
	for _, o := range opts {
		o(cfg)
	}
	return cfg
}

// Bind makes the socket listen on endpoint ("tcp://127.0.0.1:5555",
// "tcp://*:0" for any free port, "ipc:///tmp/x.sock") and accept any
// number of peers. Several Bind and Connect options may be combined.
func Bind(endpoint string) Option {
	return func(c *config) { c.binds = append(c.binds, endpoint) }
}

// Connect makes the socket dial endpoint, and dial it again (with
// backoff) whenever the connection fails or ends. Messages for a connect
// endpoint that is not up yet are queued, as libzmq does.
func Connect(endpoint string) Option {
	return func(c *config) { c.connects = append(c.connects, endpoint) }
}

// WithHWM sets the high-water mark (default DefaultHWM): how many
// messages are queued for each peer, and how many a PUSH, DEALER or REQ
// holds while no peer can take them. Values below 1 are rejected.
func WithHWM(n int) Option {
	return func(c *config) { c.hwm = n }
}

// WithPolicy sets what a PUSH, DEALER or REQ does when every peer is at
// its high-water mark: mailbox.Block (the default) makes senders wait,
// mailbox.Fail makes Send return mailbox.ErrFull. PUB and ROUTER always
// drop (ZeroMQ's rule) and accept only mailbox.DropNewest; PULL, SUB and
// REP take none: the target's own mailbox policy applies to what they
// deliver.
func WithPolicy(p mailbox.Policy) Option {
	return func(c *config) { c.policy, c.policySet = p, true }
}

// WithLinger sets how long a stopping socket keeps writing queued
// messages to its connected peers before it closes them (default
// DefaultLinger); 0 closes at once. Whatever is left is counted as
// DropClosed.
func WithLinger(d time.Duration) Option {
	return func(c *config) { c.linger = d }
}

// WithReconnect sets the first reconnect delay of connect endpoints and
// the cap of its doubling (defaults DefaultReconnect, DefaultReconnectMax).
func WithReconnect(first, max time.Duration) Option {
	return func(c *config) { c.reconnect, c.reconnectMax = first, max }
}

// WithMaxMessageSize limits the sum of the frame sizes of a message, in
// both directions (default zmtp's 64 MiB). A larger outbound message is
// dropped and counted (DropTooLarge); a peer that sends one is
// disconnected, since ZMTP cannot skip it, and counted the same way.
func WithMaxMessageSize(n int) Option {
	return func(c *config) { c.maxSize = n }
}

// WithMaxFrames limits the number of frames of a message, in both
// directions (default 1024), with the same treatment as
// WithMaxMessageSize.
func WithMaxFrames(n int) Option {
	return func(c *config) { c.maxFrames = n }
}

// WithIdentity sets the identity announced to peers (at most 255 bytes):
// a ROUTER peer addresses this socket's connections by it.
func WithIdentity(id []byte) Option {
	return func(c *config) { c.identity = append([]byte(nil), id...) }
}

// WithName registers the socket actor under name in the System.
func WithName(name string) Option {
	return func(c *config) { c.name = name }
}

// WithPlain makes connect endpoints authenticate with the PLAIN mechanism
// (credentials in clear text).
func WithPlain(user, pass string) Option {
	return func(c *config) { c.plainUser, c.plainPass, c.plainClient = user, pass, true }
}

// WithPlainServer makes bound endpoints require PLAIN and accept only the
// clients for which check returns true. check is called from several
// goroutines at once.
func WithPlainServer(check func(user, pass string) bool) Option {
	return func(c *config) { c.plainCheck = check }
}

// WithHeartbeat turns on ZMTP heartbeats (RFC 37, libzmq's
// ZMQ_HEARTBEAT_IVL and ZMQ_HEARTBEAT_TIMEOUT): every interval each
// connection sends a PING, and a connection on which nothing (PONG,
// message or command) arrives for timeout is closed — its queue goes back
// to the socket and a connect endpoint dials again. Any ZeroMQ 4.2+ peer
// answers PINGs. Off by default; timeout must exceed interval.
func WithHeartbeat(interval, timeout time.Duration) Option {
	return func(c *config) { c.heartbeat, c.heartbeatTTL = interval, timeout }
}

// WithLogger sets the logger for connections, reconnects and drops
// (default: the System's logger, which is quiet unless configured).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithReadSpin makes each connection of the socket, when it finds its
// socket empty, poll it for up to d before its reader goroutine parks,
// with at most spinners connections of the socket polling at once (0:
// half of GOMAXPROCS, at least one). Off by default (d = 0).
//
// A goroutine parked on a socket is woken by the kernel, the runtime and,
// in a virtual machine, the hypervisor, and on a small machine that is
// most of a loopback round trip: a REQ that polls for its replies, facing
// a peer that answers within d, gets them without that wake-up. The
// price is up to d of CPU after each message a connection reads before
// its peer falls quiet. Stats counts the polls (SpinCaught, SpinMissed,
// SpinLimited). Nodes poll their inbound connections by default: see
// net.WithReadSpin.
func WithReadSpin(d time.Duration, spinners int) Option {
	return func(c *config) { c.readSpin, c.readSpinners = d, spinners }
}

// newReadSpin returns the polling the socket's connections share.
func (c *config) newReadSpin() *zmtp.ReadSpin {
	spinners := c.readSpinners
	if spinners == 0 {
		spinners = max(1, runtime.GOMAXPROCS(0)/2)
	}
	return zmtp.NewReadSpin(c.readSpin, spinners)
}

// validate checks the options against the socket kind.
func (c *config) validate(k Kind) error {
	switch {
	case len(c.binds) == 0 && len(c.connects) == 0:
		return ErrNoEndpoint
	case c.hwm < 1:
		return fmt.Errorf("%w: HWM %d, must be at least 1", ErrBadOption, c.hwm)
	case c.linger < 0:
		return fmt.Errorf("%w: negative linger %v", ErrBadOption, c.linger)
	case c.reconnect <= 0 || c.reconnectMax < c.reconnect:
		return fmt.Errorf("%w: reconnect delays %v..%v", ErrBadOption, c.reconnect, c.reconnectMax)
	case c.maxSize < 1 || c.maxFrames < 1:
		return fmt.Errorf("%w: max message size %d, max frames %d", ErrBadOption, c.maxSize, c.maxFrames)
	case len(c.identity) > 255:
		return fmt.Errorf("%w: identity of %d bytes, at most 255", ErrBadOption, len(c.identity))
	case c.plainClient && c.plainCheck != nil:
		return fmt.Errorf("%w: WithPlain and WithPlainServer together", ErrBadOption)
	case c.readSpin < 0 || c.readSpinners < 0:
		return fmt.Errorf("%w: read spin %v, %d spinners", ErrBadOption, c.readSpin, c.readSpinners)
	case c.heartbeat < 0 || c.heartbeat > 0 && c.heartbeatTTL <= c.heartbeat:
		return fmt.Errorf("%w: heartbeat every %v with timeout %v (the timeout must be longer)",
			ErrBadOption, c.heartbeat, c.heartbeatTTL)
	}
	return c.validatePolicy(k)
}

func (c *config) validatePolicy(k Kind) error {
	if !c.policySet {
		return nil
	}
	switch {
	case k.roundRobin() && (c.policy == mailbox.Block || c.policy == mailbox.Fail):
		return nil
	case (k == KindPub || k == KindRouter) && c.policy == mailbox.DropNewest:
		return nil
	case k.roundRobin():
		return fmt.Errorf("%w: %s takes mailbox.Block or mailbox.Fail", ErrBadOption, k)
	case k == KindPub || k == KindRouter:
		return fmt.Errorf("%w: %s always drops at the high-water mark (mailbox.DropNewest)", ErrBadOption, k)
	}
	return fmt.Errorf("%w: %s takes no policy: the target's mailbox policy applies", ErrBadOption, k)
}

// inbox returns the socket actor's mailbox options.
func (c *config) inbox(k Kind) []mailbox.Option {
	if !k.sends() {
		return []mailbox.Option{mailbox.WithCapacity(mailbox.DefaultCapacity)}
	}
	policy := mailbox.Block
	if k.roundRobin() && c.policySet {
		policy = c.policy
	}
	return []mailbox.Option{mailbox.WithCapacity(min(c.hwm, maxInbox)), mailbox.WithPolicy(policy)}
}

// zmtpOptions returns the connection options for a listener (server) or
// a dialer, whose connections poll as spin says.
func (c *config) zmtpOptions(k Kind, log *slog.Logger, server bool, spin *zmtp.ReadSpin) []zmtp.Option {
	opts := []zmtp.Option{
		zmtp.WithReadSpin(spin),
		zmtp.WithSocketType(k.zmtpType()),
		zmtp.WithMaxMessageSize(c.maxSize),
		zmtp.WithMaxFrames(c.maxFrames),
		zmtp.WithLogger(log),
	}
	if len(c.identity) > 0 {
		opts = append(opts, zmtp.WithIdentity(c.identity))
	}
	if server && c.plainCheck != nil {
		opts = append(opts, zmtp.WithPlainServer(c.plainCheck))
	}
	if !server && c.plainClient {
		opts = append(opts, zmtp.WithPlain(c.plainUser, c.plainPass))
	}
	return opts
}
