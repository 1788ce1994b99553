package zmtp

import "errors"

// Sentinel errors. Every error this package returns wraps one of these (or
// io.EOF, io.ErrUnexpectedEOF, a context error or an I/O error of the
// underlying connection), so callers can test them with errors.Is.
var (
	// ErrMalformed reports bytes that are not valid ZMTP 3 framing: reserved
	// flag bits set, a long length with its high bit set, a command frame
	// with a bad name, a greeting that is not a ZMTP greeting. The
	// connection is unusable afterwards and must be closed.
	ErrMalformed = errors.New("zmtp: malformed frame")

	// ErrMessageTooLarge reports a message whose frames add up to more
	// than the maximum message size. It is detected from a frame header,
	// before the frame is allocated or read; the connection must be closed.
	ErrMessageTooLarge = errors.New("zmtp: message too large")

	// ErrTooManyFrames reports a message with more frames than allowed.
	// It is detected from a frame header; the connection must be closed.
	ErrTooManyFrames = errors.New("zmtp: too many frames")

	// ErrEmptyMessage reports an attempt to write a message with no frame.
	ErrEmptyMessage = errors.New("zmtp: message has no frames")

	// ErrBadCommand reports an invalid command to write: a name that is
	// not 1..255 ASCII letters, or a PING/PONG context over 16 bytes.
	ErrBadCommand = errors.New("zmtp: invalid command")

	// ErrBadEndpoint reports an endpoint that cannot be parsed or used.
	ErrBadEndpoint = errors.New("zmtp: bad endpoint")

	// ErrBadOption reports an invalid option value.
	ErrBadOption = errors.New("zmtp: bad option")

	// ErrHandshake wraps every failure of the ZMTP greeting and security
	// handshake; the cause is wrapped too.
	ErrHandshake = errors.New("zmtp: handshake failed")

	// ErrAuthFailed reports rejected PLAIN credentials: on the server when
	// the check function refuses them, on the client when the server
	// answers HELLO with ERROR.
	ErrAuthFailed = errors.New("zmtp: authentication failed")

	// ErrRefused reports a peer that answered the handshake with an
	// ERROR command for a reason other than credentials.
	ErrRefused = errors.New("zmtp: handshake refused by peer")

	// ErrIncompatible reports a peer whose socket type cannot talk to
	// ours (for example PUSH to DEALER), or that sent no valid socket type.
	ErrIncompatible = errors.New("zmtp: incompatible socket type")

	// ErrClosed reports use of a closed Listener or Conn.
	ErrClosed = errors.New("zmtp: closed")
)
