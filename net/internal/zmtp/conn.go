package zmtp

import (
	"errors"
	"fmt"
	"maps"
	stdnet "net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"
)

// A Conn is a ZMTP 3 connection after a successful handshake. One
// goroutine reads (ReadMessage), one goroutine writes (WriteMessage,
// WriteCommand, WritePing, WritePong, Flush); Close, Stats and the peer
// accessors are safe from any goroutine.
type Conn struct {
	raw  stdnet.Conn
	w    *writer
	dec  decoder
	enc  encoder
	peer peerInfo

	closed    atomic.Bool
	closeOnce sync.Once
}

type peerInfo struct {
	socketType SocketType
	identity   []byte
	meta       map[string]string
}

// ConnStats counts what a Conn dropped.
type ConnStats struct {
	// UnknownCommands is the number of commands ReadMessage skipped
	// because this package does not know their name.
	UnknownCommands uint64
}

func newConn(raw stdnet.Conn, cfg *config) *Conn {
	c := &Conn{
		raw: raw,
		w:   newWriter(raw, cfg.bufferSize),
	}
	c.dec = decoder{raw: cfg.readSpin.reader(raw, &c.closed), readSize: cfg.bufferSize, maxSize: cfg.maxMessageSize, maxFrames: cfg.maxFrames, log: cfg.logger}
	c.enc = encoder{w: c.w, maxSize: cfg.maxMessageSize, maxFrames: cfg.maxFrames}
	return c
}

func (c *Conn) setPeer(md zmq4.Metadata) {
	c.peer.meta = maps.Clone(map[string]string(md))
	c.peer.socketType = SocketType(md[propSocketType])
	if id := md[propIdentity]; id != "" {
		c.peer.identity = []byte(id)
	}
}

// ReadMessage reads the next message or known command into dst, reusing
// dst's buffers: the frames are valid until the next ReadMessage into the
// same dst. It blocks until a whole message has arrived. Commands other
// than PING, PONG, SUBSCRIBE and CANCEL are skipped and counted. It
// returns io.EOF when the peer closed the connection between messages,
// io.ErrUnexpectedEOF when it closed inside one, ErrMessageTooLarge,
// ErrTooManyFrames or ErrMalformed on bad input (detected from the frame
// header, before allocation), and ErrClosed after Close. After any error
// the Conn must be closed.
func (c *Conn) ReadMessage(dst *Message) error {
	err := c.dec.readMessage(dst)
	if err != nil && c.closed.Load() {
		return fmt.Errorf("%w: read: %w", ErrClosed, err)
	}
	return err
}

// WriteMessage appends a message made of frames to the write buffer
// without flushing; call Flush when the batch is done. Messages with no
// frame or over the size or frame limits are refused (ErrEmptyMessage,
// ErrMessageTooLarge, ErrTooManyFrames) before anything is written. The
// frames are not retained. Any other error is an I/O error that leaves
// the Conn unusable. WriteMessage may flush by itself when the buffer
// fills up.
func (c *Conn) WriteMessage(frames ...[]byte) error {
	return c.writeErr(c.enc.message(frames))
}

// WriteFrames is WriteMessage for frames in pieces (see Frame): the
// pieces of each frame are sent one after another, and a big Body is not
// copied but written from the caller's slice by the next flush, with the
// bytes buffered before it, in one writev system call. Such a Body must
// not change until then: until the next Flush, or the end of the
// WriteFrames call that flushes by itself when what waits reaches the
// buffer size. Head and Tail are copied.
func (c *Conn) WriteFrames(frames ...Frame) error {
	return c.writeErr(c.enc.frames(frames))
}

// WriteCommand appends a command frame (name: 1 to 255 ASCII letters)
// without flushing.
func (c *Conn) WriteCommand(name string, body []byte) error {
	return c.writeErr(c.enc.command(name, body))
}

// WritePing appends a PING heartbeat (RFC 37) without flushing: ttl tells
// the peer how long to wait for traffic before it drops the connection
// (tenths of a second, at most 6553.5 s; 0 for none) and ctx (at most 16
// bytes) comes back in the PONG.
func (c *Conn) WritePing(ttl time.Duration, ctx []byte) error {
	return c.writeErr(c.enc.ping(ttl, ctx))
}

// WritePong appends the PONG answering a PING without flushing; ctx is
// the PING's context (Command.PingContext, copied by the reader).
func (c *Conn) WritePong(ctx []byte) error {
	return c.writeErr(c.enc.pong(ctx))
}

// Flush writes the buffered messages to the connection.
func (c *Conn) Flush() error {
	return c.writeErr(c.w.Flush())
}

// Buffered returns the number of bytes written but not yet flushed.
func (c *Conn) Buffered() int { return c.w.Buffered() }

func (c *Conn) writeErr(err error) error {
	if err != nil && c.closed.Load() {
		return fmt.Errorf("%w: write: %w", ErrClosed, err)
	}
	return err
}

// Close closes the connection; a blocked ReadMessage or Flush returns.
// Unflushed data is discarded. Close is safe from any goroutine and
// idempotent: later calls return nil.
func (c *Conn) Close() error {
	var err error
	c.closeOnce.Do(func() {
		c.closed.Store(true)
		if cerr := c.raw.Close(); cerr != nil && !errors.Is(cerr, stdnet.ErrClosed) {
			err = fmt.Errorf("zmtp: close %s: %w", c.raw.RemoteAddr(), cerr)
		}
	})
	return err
}

// SetReadDeadline sets the deadline of reads (see net.Conn).
func (c *Conn) SetReadDeadline(t time.Time) error { return c.raw.SetReadDeadline(t) }

// SetWriteDeadline sets the deadline of writes and flushes (see net.Conn).
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.raw.SetWriteDeadline(t) }

// LocalAddr returns the local network address.
func (c *Conn) LocalAddr() stdnet.Addr { return c.raw.LocalAddr() }

// RemoteAddr returns the peer's network address.
func (c *Conn) RemoteAddr() stdnet.Addr { return c.raw.RemoteAddr() }

// PeerSocketType returns the socket type the peer announced.
func (c *Conn) PeerSocketType() SocketType { return c.peer.socketType }

// PeerIdentity returns the Identity property the peer announced (nil if
// none). The caller must not modify it.
func (c *Conn) PeerIdentity() []byte { return c.peer.identity }

// PeerMetadata returns a copy of all the properties the peer announced,
// with names in canonical form ("Socket-Type", "Identity", "X-Foo").
func (c *Conn) PeerMetadata() map[string]string {
	return maps.Clone(c.peer.meta)
}

// Stats returns the Conn's counters.
func (c *Conn) Stats() ConnStats {
	return ConnStats{UnknownCommands: c.dec.unknown.Load()}
}
