package zmtp

import (
	"cmp"
	"encoding/binary"
	"time"
)

// A Kind tells what ReadMessage read.
type Kind uint8

const (
	// KindData is an application message: Message.Frames holds its frames.
	KindData Kind = iota
	// KindCommand is a ZMTP command: Message.Command holds it.
	KindCommand
)

// Names of the commands ReadMessage returns. Other commands are counted
// and skipped (see ConnStats.UnknownCommands).
const (
	CmdPing      = "PING"      // heartbeat request (RFC 37)
	CmdPong      = "PONG"      // heartbeat reply (RFC 37)
	CmdSubscribe = "SUBSCRIBE" // ZMTP 3.1 subscription
	CmdCancel    = "CANCEL"    // ZMTP 3.1 unsubscription
)

// maxPingContext is the largest PING context RFC 37 allows.
const maxPingContext = 16

// A Message is one ZMTP message read by ReadMessage. Reuse one Message for
// many reads: ReadMessage fills its buffers again, so Frames and
// Command.Body are valid only until the next ReadMessage into the same
// Message. Copy what must live longer (or cross to another goroutine).
// The zero value is ready to use.
type Message struct {
	// Kind is KindData or KindCommand.
	Kind Kind
	// Frames are the frames of a data message, in order; an empty frame
	// is a zero-length, non-nil slice. Empty for a command.
	Frames [][]byte
	// Command is the command, when Kind is KindCommand.
	Command Command
	// Alloc, if set, is asked for the buffer Detach makes for the next
	// message (at least n bytes, contents unspecified); nil or a smaller
	// one makes Detach allocate one itself.
	Alloc func(n int) []byte
	// Retain is the largest backing buffer the Message keeps between
	// reads (0: 256 KiB); a larger one, from a big message, is dropped at
	// the next read. A connection that carries big messages one after
	// another reads faster with a bigger Retain: no allocation, no
	// zeroing, no growing copy for each of them.
	Retain int

	data  []byte   // the read buffer (len = cap); frames are slices of it
	spans []span   // where each frame is in data, from m.from, or {-1, -1} for the next one in own
	own   [][]byte // big frames read into buffers of their own (see ownMin)
	from  int      // where the message starts in data: its first header
	to    int      // where it ends, once read
	size  int      // bytes in all frames
	hint  int      // largest frame read so far (see decoder.room)
	min   int      // smallest buffer the decoder reads into (see decoder.minRead)
}

// A span is where a frame body lies in a Message's buffer, relative to
// the start of the message.
type span struct{ from, to int }

// retainMax is the default Message.Retain.
const retainMax = 256 << 10

// Size returns the sum of the frame sizes of a data message, or the
// command frame size of a command.
func (m *Message) Size() int { return m.size }

func (m *Message) reset() {
	m.Kind = KindData
	m.Command = Command{}
	m.Frames = m.Frames[:0]
	m.spans = m.spans[:0]
	clear(m.own) // the collector may have them
	m.own = m.own[:0]
	m.size = 0
	if cap(m.data) > m.retain() {
		m.data = nil
	}
}

// retain returns the largest buffer kept from one read to the next: Retain
// (or its default), but at least the decoder's smallest buffer.
func (m *Message) retain() int { return max(cmp.Or(m.Retain, retainMax), m.min) }

// Detach hands the buffers of the message just read to the caller and
// forgets them: Frames and Command.Body, which alias them, then stay valid
// after the next ReadMessage, which reads into new buffers. Use it to keep
// big frames without copying them. Detach allocates the buffer for the
// next message at once, as big as the message given away with its frame
// headers, big frames read apart included (up to Retain; at least the size
// of one read if the message is smaller than ownMin: a big message is
// given exactly its size, since every byte allocated for nothing brings
// the next garbage collection closer — at 32 kB, a 64 KiB buffer for each
// made request/reply 16 % slower), so that a message like it is read in
// place whole: the
// allocation, and the zeroing of the memory, then happen while the
// connection waits for that message rather than once it has come. Bytes
// of the next message already received are copied into it by the next
// ReadMessage.
func (m *Message) Detach() {
	wire := m.to - m.from
	for _, f := range m.own {
		wire += len(f)
	}
	if wire < ownMin {
		wire = max(wire, m.min) // a small message: room for many like it
	}
	n := min(wire, m.retain())
	m.data = nil
	if n > 0 && m.Alloc != nil {
		m.data = m.Alloc(n)
	}
	if n > 0 && cap(m.data) < n {
		m.data = NewBuffer(n)
	}
}

// Buffer returns the buffer the last message was read into, whole: what
// Detach gives away.
func (m *Message) Buffer() []byte { return m.data[:cap(m.data)] }

// Retained returns the capacity of the reusable buffer the last message
// was read into: what Detach would give away with it.
func (m *Message) Retained() int { return cap(m.data) }

// frames slices the buffer into Frames from the recorded spans.
func (m *Message) frames() {
	own := m.own
	for _, s := range m.spans {
		if s.from < 0 {
			m.Frames = append(m.Frames, own[0])
			own = own[1:]
			continue
		}
		m.Frames = append(m.Frames, m.frameAt(s))
	}
}

// frame returns frame i of the message: a command's only frame.
func (m *Message) frame(i int) []byte {
	s := m.spans[i]
	if s.from >= 0 {
		return m.frameAt(s)
	}
	own := 0
	for _, t := range m.spans[:i] {
		if t.from < 0 {
			own++
		}
	}
	return m.own[own]
}

// frameAt returns the frame at s in the buffer, capped at its end.
func (m *Message) frameAt(s span) []byte {
	from, to := m.from+s.from, m.from+s.to
	return m.data[from:to:to]
}

// A Command is a ZMTP command frame: a name and a body.
type Command struct {
	// Name is one of CmdPing, CmdPong, CmdSubscribe, CmdCancel.
	Name string
	// Body is the command data after the name; valid until the next read.
	Body []byte
}

// PingTTL returns the time-to-live of a PING command (RFC 37): how long
// the peer waits for traffic before dropping the connection; zero if not
// set or if the command is not a PING.
func (c Command) PingTTL() time.Duration {
	if c.Name != CmdPing || len(c.Body) < 2 {
		return 0
	}
	return time.Duration(binary.BigEndian.Uint16(c.Body)) * 100 * time.Millisecond
}

// PingContext returns the context of a PING command (at most 16 bytes)
// that the PONG must echo, or nil. It aliases the Message's buffer: copy
// it before handing it to the writer goroutine, then call WritePong.
func (c Command) PingContext() []byte {
	if c.Name != CmdPing || len(c.Body) <= 2 {
		return nil
	}
	ctx := c.Body[2:]
	if len(ctx) > maxPingContext {
		ctx = ctx[:maxPingContext]
	}
	return ctx
}
