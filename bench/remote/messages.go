package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/troupe-go/troupe/net"
	"github.com/vmihailenco/msgpack/v5"
)

// A Tick is W5's small message: one number, the message's place in its
// stream (from 1), so that the counting actor can check order and loss.
type Tick struct{ Seq uint64 }

// tickName is Tick's registered name, the same in both processes.
const tickName = "bench.Tick"

var registerOnce = sync.OnceValue(func() error {
	if err := net.Register[Tick](net.DefaultCodec, tickName); err != nil {
		return fmt.Errorf("register %s: %w", tickName, err)
	}
	return nil
})

// register registers the benchmark's message types in net.DefaultCodec
// (once; safe to call again).
func register() error { return registerOnce() }

// tickPrefix is the msgpack encoding of a one-entry map's header and its
// key "Seq", as msgpack's own encoder writes a Tick.
var tickPrefix = []byte{0x81, 0xa3, 'S', 'e', 'q', 0xcf}

// AppendMsgpack encodes t as msgpack would ({"Seq": n}), without
// reflection: net.Codec's fast path for hot message types.
func (t Tick) AppendMsgpack(b []byte) ([]byte, error) {
	return binary.BigEndian.AppendUint64(append(b, tickPrefix...), t.Seq), nil
}

// UnmarshalMsgpack decodes what AppendMsgpack writes, and any other
// msgpack encoding of a Tick through msgpack's decoder.
func (t *Tick) UnmarshalMsgpack(b []byte) error {
	if len(b) == len(tickPrefix)+8 && bytes.Equal(b[:len(tickPrefix)], tickPrefix) {
		t.Seq = binary.BigEndian.Uint64(b[len(tickPrefix):])
		return nil
	}
	type plain Tick
	return msgpack.Unmarshal(b, (*plain)(t))
}
