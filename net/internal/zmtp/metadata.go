package zmtp

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/go-zeromq/zmq4"
)

// Metadata property names used by ZMTP (RFC 23), in the canonical form
// parseMetadata stores them.
const (
	propSocketType = "Socket-Type"
	propIdentity   = "Identity"
)

// parseMetadata decodes a READY or INITIATE body (a list of name/value
// properties) into md, checking every length against the body; zmq4's
// own parser can panic on a short body. Names are case-insensitive and
// stored in canonical form ("socket-type" becomes "Socket-Type").
func parseMetadata(body []byte, md zmq4.Metadata) error {
	for len(body) > 0 {
		n := int(body[0])
		if n == 0 || 1+n+4 > len(body) {
			return fmt.Errorf("%w: metadata property name of %d bytes in %d bytes", ErrMalformed, n, len(body))
		}
		name := canonicalName(string(body[1 : 1+n]))
		body = body[1+n:]
		vlen := binary.BigEndian.Uint32(body)
		body = body[4:]
		if uint64(vlen) > uint64(len(body)) {
			return fmt.Errorf("%w: metadata value of %d bytes in %d bytes", ErrMalformed, vlen, len(body))
		}
		md[name] = string(body[:vlen])
		body = body[vlen:]
	}
	return nil
}

// canonicalName upper-cases the first letter of each dash-separated word
// and lower-cases the rest (ASCII only).
func canonicalName(s string) string {
	b := []byte(strings.ToLower(s))
	up := true
	for i, c := range b {
		if up && 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '-'
	}
	return string(b)
}

// checkPeer validates the peer's socket type against ours.
func checkPeer(conn *zmq4.Conn, ours SocketType) error {
	peer := SocketType(conn.Peer.Meta[propSocketType])
	if !peer.valid() {
		return fmt.Errorf("%w: peer announced socket type %q", ErrIncompatible, string(peer))
	}
	if !ours.CompatibleWith(peer) {
		return fmt.Errorf("%w: %s cannot talk to %s", ErrIncompatible, ours, peer)
	}
	return nil
}
