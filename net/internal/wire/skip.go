package wire

import "fmt"

// skip moves past one msgpack value of any type, checking every length.
func (r *reader) skip(depth int) {
	if depth > maxDepth {
		r.fail("nesting too deep")
		return
	}
	c := r.byte()
	if r.err != nil {
		return
	}
	switch {
	case c < 0x80 || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3:
		// fixint, negative fixint, nil, false, true
	case c&0xe0 == 0xa0:
		r.take(int(c & 0x1f))
	case c&0xf0 == 0x90:
		r.skipContainer(int(c&0x0f), depth)
	case c&0xf0 == 0x80:
		r.skipContainer(2*int(c&0x0f), depth)
	default:
		r.skipTyped(c, depth)
	}
}

func (r *reader) skipN(n, depth int) {
	if n > len(r.b)-r.pos { // every element takes at least one byte
		r.fail(fmt.Sprintf("%d elements cannot fit in %d bytes", n, len(r.b)-r.pos))
		return
	}
	for i := 0; i < n && r.err == nil; i++ {
		r.skip(depth + 1)
	}
}

// skipTyped handles the msgpack types that carry an explicit size.
func (r *reader) skipTyped(c byte, depth int) {
	switch c {
	case 0xcc, 0xd0:
		r.take(1)
	case 0xcd, 0xd1:
		r.take(2)
	case 0xce, 0xd2, 0xca:
		r.take(4)
	case 0xcf, 0xd3, 0xcb:
		r.take(8)
	case 0xd9, 0xc4:
		r.take(int(r.be(1)))
	case 0xda, 0xc5:
		r.take(int(r.be(2)))
	case 0xdb, 0xc6:
		r.take(int(r.be(4)))
	case 0xdc:
		r.skipN(int(r.be(2)), depth)
	case 0xdd:
		r.skipN(int(r.be(4)), depth)
	case 0xde:
		r.skipN(2*int(r.be(2)), depth)
	case 0xdf:
		r.skipN(2*int(r.be(4)), depth)
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1, 2, 4, 8, 16
		r.take(1 + 1<<(c-0xd4))
	case 0xc7:
		r.take(1 + int(r.be(1)))
	case 0xc8:
		r.take(1 + int(r.be(2)))
	case 0xc9:
		r.take(1 + int(r.be(4)))
	default:
		r.fail(fmt.Sprintf("invalid msgpack byte 0x%02x", c))
	}
}

// skipContainer skips the n elements of a small map or array: at once if
// none is a container itself (a typical message struct), else one by one.
func (r *reader) skipContainer(n, depth int) {
	if end, ok := skipScalars(r.b, r.pos, n); ok {
		r.pos = end
		return
	}
	r.skipN(n, depth)
}

// skipFlat returns where the value at b[pos] ends, if it is a scalar, a
// short string or binary, or a small map or array of those (a typical
// message struct); ok is false for anything else, or if it does not fit.
func skipFlat(b []byte, pos int) (end int, ok bool) {
	if pos >= len(b) {
		return 0, false
	}
	switch c := b[pos]; c & 0xf0 {
	case 0x80:
		return skipScalars(b, pos+1, 2*int(c&0x0f))
	case 0x90:
		return skipScalars(b, pos+1, int(c&0x0f))
	}
	return skipScalars(b, pos, 1)
}

// skipScalars returns where the n values from b[pos:] end, if they are all
// scalars, strings or binaries; ok is false if one is anything else, or
// does not fit in b.
func skipScalars(b []byte, pos, n int) (end int, ok bool) {
	for ; n > 0; n-- {
		if pos >= len(b) {
			return 0, false
		}
		size := int(scalarSize[b[pos]])
		pos++
		if size < 0 {
			if size != sizeInByte || pos >= len(b) {
				return 0, false
			}
			size = 1 + int(b[pos])
		}
		if size > len(b)-pos {
			return 0, false
		}
		pos += size
	}
	return pos, true
}

// Entries of scalarSize that are not sizes.
const (
	notScalar  = -1 // a container, an extension, or a long string or binary
	sizeInByte = -2 // str 8 or bin 8: the size is the next byte
)

// scalarSize gives, for the first byte of a msgpack value, how many bytes
// of the value follow it, if it is a scalar or a short string or binary
// (see notScalar and sizeInByte for the others).
var scalarSize = func() (t [256]int8) {
	for c := range t {
		switch {
		case c < 0x80 || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3:
			t[c] = 0 // fixint, negative fixint, nil, false, true
		case c&0xe0 == 0xa0:
			t[c] = int8(c & 0x1f) // fixstr
		case c == 0xcc || c == 0xd0:
			t[c] = 1
		case c == 0xcd || c == 0xd1:
			t[c] = 2
		case c == 0xce || c == 0xd2 || c == 0xca:
			t[c] = 4
		case c == 0xcf || c == 0xd3 || c == 0xcb:
			t[c] = 8
		case c == 0xd9 || c == 0xc4:
			t[c] = sizeInByte
		default:
			t[c] = notScalar
		}
	}
	return t
}()
