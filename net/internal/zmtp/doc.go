// Package zmtp is Troupe's ZeroMQ connection layer: it listens, dials,
// runs the ZMTP 3 handshake and reads and writes ZMTP frames on
// connections that Troupe owns, so that the node links and the socket
// mailboxes speak standard ZMTP 3.0 (RFC 23, 37) with any ZeroMQ peer
// while keeping buffering, batching, limits and goroutines under control.
//
// # Tour
//
// Listen binds a "tcp://host:port" (port 0 picks a free port, host "*"
// means all interfaces) or "ipc:///path" endpoint; Listener.Endpoint
// tells the bound address. Listener.Accept returns connections whose
// handshake succeeded; Dial connects and handshakes. Both take options:
// WithSocketType (Listen defaults to Router, Dial to Dealer),
// WithIdentity, WithPlain / WithPlainServer, WithMaxMessageSize,
// WithMaxFrames, WithLogger...
//
//	ln, err := zmtp.Listen(ctx, "tcp://127.0.0.1:0")
//	c, err := zmtp.Dial(ctx, ln.Endpoint())     // in one place
//	s, err := ln.Accept(ctx)                     // in the other
//	err = c.WriteMessage([]byte("hello"), []byte("world"))
//	err = c.Flush()
//	var m zmtp.Message
//	err = s.ReadMessage(&m) // m.Frames: "hello", "world"
//
// # Handshake
//
// The greeting and the security handshake run through zmq4.Open over the
// raw connection wrapped so that each handshake write is flushed at once
// and reads go through a bufio.Reader: zmq4 reads exactly what it needs
// with io.ReadFull and starts no goroutine, so bytes the peer sends right
// after its READY stay buffered, and ReadMessage decodes them first. Frame
// headers are checked before zmq4 sees them (it would allocate any length
// it is told), and a panic inside zmq4 becomes an ErrMalformed error.
// The mechanisms are this package's own implementations of
// zmq4.Security: NULL (default) and PLAIN, whose server side checks the
// credentials with the function given to WithPlainServer and answers bad
// ones with an ERROR command (reason "400", as libzmq's ZAP does). After
// the handshake zmq4 is out of the way: this package does its own
// framing, NULL and PLAIN do not transform frames.
//
// # Goroutine contract
//
// A Conn starts no goroutine. It is used by one reader goroutine
// (ReadMessage) and one writer goroutine (WriteMessage, WriteCommand,
// WritePing, WritePong, Flush); the two run concurrently. Close is safe
// from any goroutine, is idempotent, and unblocks both. A Listener owns
// an accept goroutine and one goroutine per handshake in progress;
// Listener.Close stops and waits for all of them.
//
// # Reading
//
// ReadMessage fills a caller-owned Message, reusing its buffers: no
// allocation per message in steady state, and the frames are valid only
// until the next ReadMessage into that Message (or for good after
// Message.Detach). It reads from the connection straight into the
// Message's buffer, in calls of at least the buffer size when there is
// room, and leaves each frame where it was read, between the frame
// headers: no copy. Bytes read past the end of a message are kept for the
// next one (copied to the new buffer after Detach; reads stop near the end
// of a big frame so that stays small). A big frame that does not fit in
// the buffer after the frames before it goes into a buffer of its own,
// read exactly. The maximum message size
// (sum of frames) and frame count are enforced from each frame header,
// before allocating; a buffer never grows more than 1 MiB (or double)
// ahead of the bytes actually received. Errors: ErrMessageTooLarge,
// ErrTooManyFrames, ErrMalformed (reserved flag bits, long length with
// the high bit set, bad command frame), io.ErrUnexpectedEOF (peer closed
// inside a message), io.EOF (closed between messages). After an error the
// caller closes the Conn.
//
// # Writing
//
// WriteMessage appends to a bufio.Writer and does not flush: the writer
// goroutine flushes when its queue is empty or a batch limit is reached,
// so many messages go out in one system call. Frames of at least the
// buffer size bypass the copy when the buffer is empty.
//
// # Commands and heartbeats
//
// ReadMessage returns PING, PONG, SUBSCRIBE and CANCEL commands as
// messages of KindCommand; other commands are skipped and counted
// (ConnStats.UnknownCommands). Because only the writer goroutine may
// write, the reader answers a PING by passing a copy of
// Command.PingContext to the writer, which calls WritePong. A libzmq peer
// with ZMQ_HEARTBEAT_IVL set drops the connection if PONGs do not come
// back within its ZMQ_HEARTBEAT_TIMEOUT. WritePing lets Troupe heartbeat
// libzmq peers; they answer with PONG.
package zmtp
