package zmtp

import (
	"fmt"
	"io"

	"github.com/go-zeromq/zmq4"
)

// The security mechanisms below implement zmq4.Security so that
// zmq4.Open runs them after its greeting. They replace zmq4's own NULL
// and PLAIN mechanisms because those trust the peer too much: the PLAIN
// server accepts any credentials, the metadata parser can panic on a
// short body, and an ERROR from the peer becomes an unclear error.

// statusAuthFailed is the reason a PLAIN server sends in its ERROR
// command: the ZAP status code (RFC 27) that libzmq sends too. (libzmq
// 4.3 misspells the ERROR command itself, see libzmqError, so a libzmq
// 4.3 client reports our RFC-conformant ERROR as a protocol failure,
// ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL, rather than an authentication
// failure; either way it is refused.)
const statusAuthFailed = "400"

// clearText is the frame transform of NULL and PLAIN: none.
type clearText struct{}

func (clearText) Encrypt(w io.Writer, data []byte) (int, error) { return w.Write(data) }
func (clearText) Decrypt(w io.Writer, data []byte) (int, error) { return w.Write(data) }

// nullMechanism is ZMTP NULL (RFC 23): both sides send READY.
type nullMechanism struct {
	clearText
	ours SocketType
}

func (nullMechanism) Type() zmq4.SecurityType { return zmq4.NullSecurity }

func (m nullMechanism) Handshake(conn *zmq4.Conn, _ bool) error {
	if err := sendMetadata(conn, zmq4.CmdReady); err != nil {
		return err
	}
	return recvMetadata(conn, zmq4.CmdReady, m.ours)
}

// plainServer is the server side of PLAIN (RFC 24) with a real check.
type plainServer struct {
	clearText
	ours  SocketType
	check func(user, pass string) bool
}

func (plainServer) Type() zmq4.SecurityType { return zmq4.PlainSecurity }

func (m plainServer) Handshake(conn *zmq4.Conn, _ bool) error {
	cmd, err := conn.RecvCmd()
	if err != nil {
		return fmt.Errorf("receive HELLO: %w", err)
	}
	user, pass, ok := parseHello(cmd)
	if !ok {
		_ = sendError(conn, "malformed HELLO")
		return fmt.Errorf("%w: expected a PLAIN HELLO, got %q command of %d bytes", ErrMalformed, cmd.Name, len(cmd.Body))
	}
	if !m.check(user, pass) {
		_ = sendError(conn, statusAuthFailed)
		return fmt.Errorf("%w: credentials of user %q refused", ErrAuthFailed, user)
	}
	if err := conn.SendCmd(zmq4.CmdWelcome, nil); err != nil {
		return fmt.Errorf("send WELCOME: %w", err)
	}
	if err := recvMetadata(conn, zmq4.CmdInitiate, m.ours); err != nil {
		return err
	}
	return sendMetadata(conn, zmq4.CmdReady)
}

// parseHello splits a HELLO body: user length, user, password length,
// password, nothing else.
func parseHello(cmd zmq4.Cmd) (user, pass string, ok bool) {
	b := cmd.Body
	if cmd.Name != zmq4.CmdHello || len(b) < 2 {
		return "", "", false
	}
	ul := int(b[0])
	if 1+ul+1 > len(b) {
		return "", "", false
	}
	pl := int(b[1+ul])
	if 1+ul+1+pl != len(b) {
		return "", "", false
	}
	return string(b[1 : 1+ul]), string(b[2+ul:]), true
}

// plainClient is the client side of PLAIN (RFC 24).
type plainClient struct {
	clearText
	ours       SocketType
	user, pass string
}

func (plainClient) Type() zmq4.SecurityType { return zmq4.PlainSecurity }

func (m plainClient) Handshake(conn *zmq4.Conn, _ bool) error {
	hello := make([]byte, 0, 2+len(m.user)+len(m.pass))
	hello = append(append(hello, byte(len(m.user))), m.user...)
	hello = append(append(hello, byte(len(m.pass))), m.pass...)
	if err := conn.SendCmd(zmq4.CmdHello, hello); err != nil {
		return fmt.Errorf("send HELLO: %w", err)
	}
	cmd, err := conn.RecvCmd()
	switch {
	case err != nil:
		return fmt.Errorf("receive WELCOME: %w", err)
	case cmd.Name == zmq4.CmdError:
		return fmt.Errorf("%w: server refused user %q: %s", ErrAuthFailed, m.user, errorReason(cmd.Body))
	case cmd.Name != zmq4.CmdWelcome:
		return fmt.Errorf("%w: expected WELCOME, got %q", ErrMalformed, cmd.Name)
	}
	if err := sendMetadata(conn, zmq4.CmdInitiate); err != nil {
		return err
	}
	return recvMetadata(conn, zmq4.CmdReady, m.ours)
}

// sendMetadata sends our properties (Socket-Type, Identity) in a READY or
// INITIATE command.
func sendMetadata(conn *zmq4.Conn, name string) error {
	raw, err := conn.Meta.MarshalZMTP()
	if err != nil {
		return fmt.Errorf("encode metadata: %w", err)
	}
	if err := conn.SendCmd(name, raw); err != nil {
		return fmt.Errorf("send %s: %w", name, err)
	}
	return nil
}

// recvMetadata receives the peer's READY or INITIATE, stores its
// properties and checks its socket type.
func recvMetadata(conn *zmq4.Conn, want string, ours SocketType) error {
	cmd, err := conn.RecvCmd()
	switch {
	case err != nil:
		return fmt.Errorf("receive %s: %w", want, err)
	case cmd.Name == zmq4.CmdError:
		return fmt.Errorf("%w: %s", ErrRefused, errorReason(cmd.Body))
	case cmd.Name != want:
		return fmt.Errorf("%w: expected %s, got %q", ErrMalformed, want, cmd.Name)
	}
	if err := parseMetadata(cmd.Body, conn.Peer.Meta); err != nil {
		return fmt.Errorf("%s: %w", want, err)
	}
	return checkPeer(conn, ours)
}

// sendError sends an ERROR command with a reason (at most 255 bytes).
func sendError(conn *zmq4.Conn, reason string) error {
	body := append([]byte{byte(len(reason))}, reason...)
	return conn.SendCmd(zmq4.CmdError, body)
}

// errorReason returns a readable form of an ERROR command body.
func errorReason(body []byte) string {
	if len(body) == 0 || int(body[0]) > len(body)-1 {
		return fmt.Sprintf("ERROR with malformed reason %q", body)
	}
	reason := string(body[1 : 1+int(body[0])])
	if reason == statusAuthFailed {
		return "ERROR 400 (invalid credentials)"
	}
	return fmt.Sprintf("ERROR %q", reason)
}
