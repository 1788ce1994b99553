package socket

// A Message is one ZeroMQ message: one or more frames, delivered whole.
// An empty frame is a zero-length slice. Once sent to a socket actor, a
// Message belongs to the socket: its frames must not be modified (a PUB
// shares them between all its subscribers' queues). A received Message
// belongs to its receiver, which may keep or modify it.
type Message struct {
	Frames [][]byte
}

// NewMessage returns a Message made of frames (not copied).
func NewMessage(frames ...[]byte) Message { return Message{Frames: frames} }

// Text returns a Message with one frame per string.
func Text(frames ...string) Message {
	m := Message{Frames: make([][]byte, len(frames))}
	for i, f := range frames {
		m.Frames[i] = []byte(f)
	}
	return m
}

// Strings returns the frames as strings, for printing and tests.
func (m Message) Strings() []string {
	s := make([]string, len(m.Frames))
	for i, f := range m.Frames {
		s[i] = string(f)
	}
	return s
}

// Size returns the sum of the frame sizes.
func (m Message) Size() int {
	n := 0
	for _, f := range m.Frames {
		n += len(f)
	}
	return n
}

// copyMessage copies frames (valid only until the next read of the
// connection) into a Message of its own, with prefix frames first: one
// allocation for the bytes, one for the frame list.
func copyMessage(prefix [][]byte, frames [][]byte) Message {
	n := 0
	for _, f := range prefix {
		n += len(f)
	}
	for _, f := range frames {
		n += len(f)
	}
	buf := make([]byte, 0, n)
	out := make([][]byte, 0, len(prefix)+len(frames))
	for _, list := range [2][][]byte{prefix, frames} {
		for _, f := range list {
			start := len(buf)
			buf = append(buf, f...)
			out = append(out, buf[start:len(buf):len(buf)])
		}
	}
	return Message{Frames: out}
}
