package net

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// Defaults used by Listen when no option overrides them.
const (
	// DefaultHeartbeatInterval is how long a link may stay idle before it
	// sends a HEARTBEAT.
	DefaultHeartbeatInterval = time.Second
	// DefaultLiveness is how many heartbeat intervals of silence declare a
	// peer node down (Paranoid Pirate).
	DefaultLiveness = 3
	// DefaultReconnectInitial is the first wait before a link redials.
	DefaultReconnectInitial = time.Second
	// DefaultReconnectMax caps the doubling reconnect wait.
	DefaultReconnectMax = 32 * time.Second
	// DefaultLinkQueue is the high-water mark of each link's outbound queue.
	DefaultLinkQueue = 10_000
	// MaxLinkQueue is the largest high-water mark a link's queue takes:
	// each link holds its queue in a ring of slots, 8 bytes each, as many
	// as the mark rounded up to a power of two (twice as many under
	// DropOldest), so 128 KiB at the default and 32 MiB at the most.
	MaxLinkQueue = 1 << 22
	// DefaultReplyQueue is the high-water mark of the queue of replies to
	// one foreign client connection.
	DefaultReplyQueue = 1000
	// DefaultMaxMessageSize limits one ZMTP message (all its frames).
	DefaultMaxMessageSize = zmtp.DefaultMaxMessageSize
	// DefaultMaxBatch limits the frames (envelopes) of one ZMTP message.
	DefaultMaxBatch = zmtp.DefaultMaxFrames
	// DefaultBatchLimit is how many envelopes a link writer writes before it
	// flushes, if its queue does not run empty first.
	DefaultBatchLimit = 1024
	// DefaultLinger bounds how long Close keeps delivering what the links
	// still hold, when Close's context has no earlier deadline.
	DefaultLinger = time.Second
	// DefaultSpawnTimeout bounds a remote spawn that carries no deadline.
	DefaultSpawnTimeout = 10 * time.Second
	// DefaultReadSpin is how long a node's inbound connection polls its
	// socket for the next message before it waits (see WithReadSpin).
	DefaultReadSpin = 50 * time.Microsecond
	// DefaultLinkExpiry is how long a link keeps trying to reach a node
	// that does not answer before it gives up (see WithLinkExpiry).
	DefaultLinkExpiry = 5 * time.Minute
)

// ErrBadOption is wrapped by the error Listen returns for an invalid option.
var ErrBadOption = errors.New("net: bad option")

// An Option configures a Node (see Listen).
type Option func(*config)

type config struct {
	endpoints      []string
	address        string
	interval       time.Duration
	liveness       int
	reconnectInit  time.Duration
	reconnectMax   time.Duration
	linkExpiry     time.Duration
	queueCap       int
	queuePolicy    mailbox.Policy
	replyCap       int
	maxMessageSize int
	maxBatch       int
	batchLimit     int
	linger         time.Duration
	codec          *Codec
	logger         *slog.Logger
	plainCheck     func(user, pass string) bool
	plainUser      string
	plainPass      string
	plainClient    bool
	readSpin       time.Duration
	readSpinners   int
}

func newConfig(opts []Option) (*config, error) {
	cfg := &config{
		interval:       DefaultHeartbeatInterval,
		liveness:       DefaultLiveness,
		reconnectInit:  DefaultReconnectInitial,
		reconnectMax:   DefaultReconnectMax,
		linkExpiry:     DefaultLinkExpiry,
		queueCap:       DefaultLinkQueue,
		replyCap:       DefaultReplyQueue,
		maxMessageSize: DefaultMaxMessageSize,
		maxBatch:       DefaultMaxBatch,
		batchLimit:     DefaultBatchLimit,
		linger:         DefaultLinger,
		codec:          DefaultCodec,
		readSpin:       DefaultReadSpin,
	}
	for _, o := range opts {
		o(cfg)
	}
	return cfg, cfg.validate()
}

func (c *config) validate() error {
	var why string
	switch {
	case c.interval <= 0 || c.liveness < 1:
		why = fmt.Sprintf("heartbeat %v × %d", c.interval, c.liveness)
	case c.reconnectInit <= 0 || c.reconnectMax < c.reconnectInit:
		why = fmt.Sprintf("reconnect %v to %v", c.reconnectInit, c.reconnectMax)
	case c.queueCap < 1 || c.queueCap > MaxLinkQueue || c.queuePolicy > mailbox.Fail:
		why = fmt.Sprintf("link queue %d, %v", c.queueCap, c.queuePolicy)
	case c.maxMessageSize < 64 || c.maxBatch < 1 || c.batchLimit < 1:
		why = fmt.Sprintf("max message size %d, max batch %d, batch limit %d", c.maxMessageSize, c.maxBatch, c.batchLimit)
	case c.linger < 0 || c.linkExpiry < 0 || c.readSpin < 0 || c.readSpinners < 0:
		why = fmt.Sprintf("linger %v, link expiry %v, read spin %v × %d", c.linger, c.linkExpiry, c.readSpin, c.readSpinners)
	case c.codec == nil:
		why = "nil codec"
	case c.plainClient && (len(c.plainUser) > 255 || len(c.plainPass) > 255):
		why = "PLAIN user and password are at most 255 bytes"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s", ErrBadOption, why)
}

// WithReadSpin sets how long each inbound connection of the node polls
// its socket for the next message before its reader goroutine parks
// (default DefaultReadSpin; 0 never polls), and how many connections may
// poll at once (0, the default: half of GOMAXPROCS at Listen, at least
// one). The others park at once.
//
// A goroutine parked on a socket is woken by the kernel, the runtime and,
// in a virtual machine, the hypervisor; on the 2-CPU VM of bench/ that is
// most of a loopback round trip (W5's request/reply p50: 75–85 µs without
// polling, 20–25 µs with it). Polling trades CPU for that: a reader
// whose peer falls quiet polls for up to d after each message (yielding
// to the node's other goroutines meanwhile) before it sleeps, so a peer
// that sends a message every 2d costs the node up to half a CPU. Raise d
// for request/reply peers that take longer to answer; set 0 where CPU
// matters more than latency. NodeStats counts the polls that caught data
// and those in vain.
func WithReadSpin(d time.Duration, spinners int) Option {
	return func(c *config) { c.readSpin, c.readSpinners = d, spinners }
}

// WithEndpoints adds endpoints to listen on besides the first one given to
// Listen. The node's address stays the first endpoint.
func WithEndpoints(endpoints ...string) Option {
	return func(c *config) { c.endpoints = append(c.endpoints, endpoints...) }
}

// WithAddress sets the address the node announces (the Node of its refs)
// instead of its first endpoint, for a node reached through another name
// (a host name, a NAT). By default an endpoint bound to all interfaces
// ("tcp://*:5555") announces 127.0.0.1.
func WithAddress(addr string) Option {
	return func(c *config) { c.address = addr }
}

// WithHeartbeat sets the heartbeat interval and the liveness (default
// DefaultHeartbeatInterval × DefaultLiveness): a link that has sent
// nothing for interval sends a HEARTBEAT, and a peer that has been silent
// for interval × liveness is declared down. Nodes tell each other their
// intervals in HELLO; a node waits for liveness of the longer of the two
// intervals before it declares a peer silent, so two nodes with different
// settings do not declare each other down between heartbeats.
func WithHeartbeat(interval time.Duration, liveness int) Option {
	return func(c *config) { c.interval, c.liveness = interval, liveness }
}

// silentLimit is the number of heartbeat intervals without traffic after
// which a peer whose interval is peer (0: unknown) is declared silent:
// liveness of the longer interval, counted in this node's.
func (c *config) silentLimit(peer time.Duration) int {
	if peer <= c.interval {
		return c.liveness
	}
	longest := peer * time.Duration(c.liveness)
	return int((longest + c.interval - 1) / c.interval)
}

// beatMillis is the heartbeat interval as HELLO tells it.
func (c *config) beatMillis() uint64 { return uint64(max(c.interval.Milliseconds(), 1)) }

// WithReconnect sets the wait before a link redials a peer after losing
// or failing to reach it: initial, doubling after each failure up to max
// (default DefaultReconnectInitial to DefaultReconnectMax).
func WithReconnect(initial, max time.Duration) Option {
	return func(c *config) { c.reconnectInit, c.reconnectMax = initial, max }
}

// WithLinkExpiry sets how long a link tries to reach a node that does not
// answer (it never connected, or lost its connection and every redial
// since failed) before it gives up (default DefaultLinkExpiry; 0: never):
// the messages it still holds are dead-lettered (actor.ReasonRemote) and
// counted, and the link goes away with its goroutine. The next message
// for that node makes a new link. Watchers of the node's actors and
// requests waiting on it are told when the node goes down, not at expiry.
func WithLinkExpiry(d time.Duration) Option {
	return func(c *config) { c.linkExpiry = d }
}

// WithLinkQueue sets the high-water mark and the overflow policy of each
// link's outbound queue (default DefaultLinkQueue, mailbox.Block). Under
// Block, Send waits for room until its context ends; DropNewest and
// DropOldest drop (and dead-letter) messages; Fail makes Send return
// mailbox.ErrFull. DropOldest evicts on the link's goroutine: while it
// cannot (a write to a slow peer blocks), the queue holds up to twice the
// mark, then the newest messages are dropped instead. The mark is at most
// MaxLinkQueue.
func WithLinkQueue(capacity int, policy mailbox.Policy) Option {
	return func(c *config) { c.queueCap, c.queuePolicy = capacity, policy }
}

// WithReplyQueue sets the high-water mark of the queue of REPLY and ERROR
// envelopes waiting to be written to one foreign client (default
// DefaultReplyQueue); it shares the link queue's policy.
func WithReplyQueue(capacity int) Option {
	return func(c *config) { c.replyCap = max(capacity, 1) }
}

// WithMaxMessageSize limits the size of one ZMTP message, all frames
// together, in both directions (default DefaultMaxMessageSize). An inbound
// message over the limit closes its connection; Send refuses a message
// whose envelope alone is over it, with an error wrapping ErrTooLarge.
func WithMaxMessageSize(n int) Option {
	return func(c *config) { c.maxMessageSize = n }
}

// WithMaxBatch limits the number of envelopes in one ZMTP message, in
// both directions (default DefaultMaxBatch). An inbound message with more
// frames closes its connection (a REQ client's delimiter frame comes on
// top, so the limit on frames is never below 2). 1 makes the links send
// one envelope per message.
func WithMaxBatch(frames int) Option {
	return func(c *config) { c.maxBatch = frames }
}

// WithBatchLimit sets how many envelopes a link writes before it flushes
// its buffer to the connection, if its queue does not run empty first
// (default DefaultBatchLimit).
func WithBatchLimit(n int) Option {
	return func(c *config) { c.batchLimit = n }
}

// WithLinger bounds how long Close keeps writing the messages the links
// still hold and waits for their acknowledgement (default DefaultLinger);
// a deadline on Close's context that comes earlier wins. What is left is
// dead-lettered.
func WithLinger(d time.Duration) Option {
	return func(c *config) { c.linger = d }
}

// WithCodec sets the registry of message types (default DefaultCodec).
func WithCodec(codec *Codec) Option {
	return func(c *config) { c.codec = codec }
}

// WithLogger sets the logger for dropped input, lost links and other
// events worth a line. The default is the system's logger.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithPlainServer makes the node's endpoints require the PLAIN mechanism
// and accept only clients for which check(user, pass) is true; check is
// called from several goroutines at once. PLAIN sends the credentials in
// clear text.
func WithPlainServer(check func(user, pass string) bool) Option {
	return func(c *config) { c.plainCheck = check }
}

// WithPlainClient makes the node's links authenticate to other nodes with
// PLAIN, as user and pass (at most 255 bytes each).
func WithPlainClient(user, pass string) Option {
	return func(c *config) { c.plainUser, c.plainPass, c.plainClient = user, pass, true }
}

// zmtpOptions are the options of the connection layer common to Listen
// and Dial.
func (c *config) zmtpOptions(log *slog.Logger) []zmtp.Option {
	return []zmtp.Option{
		zmtp.WithMaxMessageSize(c.maxMessageSize),
		zmtp.WithMaxFrames(max(c.maxBatch, 2)),
		zmtp.WithLogger(log),
	}
}

// helloTimeout bounds the HELLO exchange after the ZMTP handshake.
func (c *config) helloTimeout() time.Duration {
	return max(c.interval*time.Duration(c.liveness), 5*time.Second)
}

// spinners is how many inbound connections may poll at once.
func (c *config) spinners() int {
	if c.readSpinners > 0 {
		return c.readSpinners
	}
	return max(1, runtime.GOMAXPROCS(0)/2)
}
