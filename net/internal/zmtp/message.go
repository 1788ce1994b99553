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
	// Retain is the largest backing buffer the Message keeps between
	// reads (0: 256 KiB); a larger one, from a big message, is dropped at
	// the next read. A connection that carries big messages one after
	// another reads faster with a bigger Retain: no allocation, no
	// zeroing, no growing copy for each of them.
	Retain int

	data []byte   // backing store of the frames, reused across reads
	ends []int    // end offset of each frame in data, or -1 for the next one in own
	own  [][]byte // big frames read into buffers of their own (see ownMin)
	size int      // bytes in all frames
	hint int      // largest frame read so far (see decoder.readBody)
}

// retainMax is the default Message.Retain.
const retainMax = 256 << 10

// ownMin is the smallest frame that is read into a buffer of its own when
// it does not fit in the spare room of the message's buffer after other
// frames: growing that buffer would copy them all (a batch of big
// envelopes would be copied again for each one, and a batch bigger than
// Retain regrown from scratch for the next message).
const ownMin = 16 << 10

// Size returns the sum of the frame sizes of a data message, or the
// command frame size of a command.
func (m *Message) Size() int { return m.size }

func (m *Message) reset() {
	m.Kind = KindData
	m.Command = Command{}
	m.Frames = m.Frames[:0]
	m.ends = m.ends[:0]
	clear(m.own) // the collector may have them
	m.own = m.own[:0]
	m.size = 0
	if limit := cmp.Or(m.Retain, retainMax); cap(m.data) > limit {
		m.data = nil
	}
	m.data = m.data[:0]
}

// Detach hands the buffers of the message just read to the caller and
// forgets them: Frames and Command.Body, which alias them, then stay valid
// after the next ReadMessage, which reads into new buffers. Use it to keep
// big frames without copying them. Detach allocates the buffer for the
// next message at once, as big as the one given away (up to Retain): the
// allocation, and the zeroing of the memory, then happen while the
// connection waits for that message rather than once it has come.
func (m *Message) Detach() {
	n := min(len(m.data), cmp.Or(m.Retain, retainMax))
	m.data = nil
	if n > 0 {
		m.data = make([]byte, 0, n)
	}
}

// Retained returns the capacity of the reusable buffer the last message
// was read into: what Detach would give away with it.
func (m *Message) Retained() int { return cap(m.data) }

// frames slices data into Frames from the recorded end offsets.
func (m *Message) frames() {
	start, own := 0, m.own
	for _, end := range m.ends {
		if end < 0 {
			m.Frames = append(m.Frames, own[0])
			own = own[1:]
			continue
		}
		m.Frames = append(m.Frames, m.data[start:end:end])
		start = end
	}
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
