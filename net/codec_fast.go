package net

import (
	"encoding/binary"
	"math"

	"github.com/troupe-go/troupe/net/internal/wire"
)

// appendBuiltin encodes the scalar built-in types by hand, as msgpack
// would, without reflection or allocation. It reports false for anything
// else.
func appendBuiltin(b []byte, msg any) ([]byte, bool) {
	switch v := msg.(type) {
	case nil:
		return append(b, 0xc0), true
	case bool:
		if v {
			return append(b, 0xc3), true
		}
		return append(b, 0xc2), true
	case string:
		return append(wire.AppendStrHeader(b, len(v)), v...), true
	case []byte:
		return append(wire.AppendBinHeader(b, len(v)), v...), true
	case int:
		return wire.AppendInt(b, int64(v)), true
	case int8:
		return wire.AppendInt(b, int64(v)), true
	case int16:
		return wire.AppendInt(b, int64(v)), true
	case int32:
		return wire.AppendInt(b, int64(v)), true
	case int64:
		return wire.AppendInt(b, v), true
	case uint:
		return wire.AppendUint(b, uint64(v)), true
	case uint8:
		return wire.AppendUint(b, uint64(v)), true
	case uint16:
		return wire.AppendUint(b, uint64(v)), true
	case uint32:
		return wire.AppendUint(b, uint64(v)), true
	case uint64:
		return wire.AppendUint(b, v), true
	case float32:
		return binary.BigEndian.AppendUint64(append(b, 0xcb), math.Float64bits(float64(v))), true
	case float64:
		return binary.BigEndian.AppendUint64(append(b, 0xcb), math.Float64bits(v)), true
	}
	return b, false
}

// decodeBuiltinFast decodes str and bytes bodies without a decoder: the
// common case for payloads. ok is false when it does not apply (another
// type, or a form it leaves to the full decoder).
func decodeBuiltinFast(name string, raw []byte) (v any, ok bool, err error) {
	switch name {
	case TypeBytes:
		p, ok := binPayload(raw)
		if !ok {
			return nil, false, nil
		}
		return boxedCopy(p), true, nil
	case TypeString:
		p, ok := strPayload(raw)
		if !ok {
			return nil, false, nil
		}
		return string(p), true, nil
	}
	return nil, false, nil
}

// decodeBodyOwned is DecodeBody for a raw body that the caller gives
// away: a non-empty []byte body is then returned as kept, the payload
// inside raw, not a copy of it, and not yet in an interface (the caller
// boxes it: see inReader.boxKept). When kept is not nil, the caller must
// never write raw, nor let its buffer be reused, again.
func (c *Codec) decodeBodyOwned(typeName string, raw []byte) (v any, kept []byte, err error) {
	if typeName == TypeBytes {
		if p, ok := binPayload(raw); ok && len(p) > 0 {
			return nil, p[:len(p):len(p)], nil // appending to it must not reach past it
		}
	}
	v, err = c.DecodeBody(typeName, raw)
	return v, nil, err
}

// binPayload returns the payload of a bin value that fills raw exactly.
func binPayload(raw []byte) ([]byte, bool) {
	if len(raw) == 0 {
		return nil, false
	}
	var n, h int
	switch raw[0] {
	case 0xc4:
		if len(raw) < 2 {
			return nil, false
		}
		n, h = int(raw[1]), 2
	case 0xc5:
		if len(raw) < 3 {
			return nil, false
		}
		n, h = int(binary.BigEndian.Uint16(raw[1:])), 3
	case 0xc6:
		if len(raw) < 5 {
			return nil, false
		}
		n, h = int(binary.BigEndian.Uint32(raw[1:])), 5
	default:
		return nil, false
	}
	if len(raw)-h != n {
		return nil, false
	}
	return raw[h:], true
}

// strPayload returns the payload of a str value that fills raw exactly.
func strPayload(raw []byte) ([]byte, bool) {
	if len(raw) == 0 {
		return nil, false
	}
	var n, h int
	switch c := raw[0]; {
	case c&0xe0 == 0xa0:
		n, h = int(c&0x1f), 1
	case c == 0xd9 && len(raw) >= 2:
		n, h = int(raw[1]), 2
	case c == 0xda && len(raw) >= 3:
		n, h = int(binary.BigEndian.Uint16(raw[1:])), 3
	case c == 0xdb && len(raw) >= 5:
		n, h = int(binary.BigEndian.Uint32(raw[1:])), 5
	default:
		return nil, false
	}
	if len(raw)-h != n {
		return nil, false
	}
	return raw[h:], true
}
