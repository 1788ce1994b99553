// Package wire encodes and decodes Troupe's envelopes: the msgpack arrays
// that travel one per ZMTP frame between nodes and from foreign clients
// (see docs/PROTOCOL.md). The envelope header is written and parsed by
// hand, without reflection; the message body is carried as raw msgpack
// bytes, encoded and decoded by the net package's type registry.
//
// Decoding is strict and bounded: every length is checked against the
// input before it is used, nesting is limited, and malformed input yields
// an error wrapping ErrMalformed, never a panic.
package wire
