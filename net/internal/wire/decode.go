package wire

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/troupe-go/troupe/actor"
)

// ErrMalformed is wrapped by every decoding error.
var ErrMalformed = errors.New("wire: malformed envelope")

// maxDepth bounds the nesting of a body, so a hostile body cannot exhaust
// the stack of the skipper.
const maxDepth = 64

// maxInterned bounds the strings a Decoder keeps for reuse.
const maxInterned = 4096

// A Decoder decodes envelopes. It remembers the strings it has seen (node
// addresses, names, type names) so that decoding a stream of envelopes
// between the same parties does not allocate them again. The zero value
// is ready to use; a Decoder is not safe for concurrent use.
type Decoder struct {
	strs   map[string]string
	recent [4]string // the last strings returned, checked before strs
	next   int
}

// Decode parses one envelope from b into e. b must hold exactly one
// envelope. e.Body aliases b: copy it, or decode it, before b is reused.
//
// A NEXT envelope sets only e.Kind and e.Body: the other fields keep what
// the envelope decoded into e before had, which for a well-formed stream
// is the SEND (or NEXT) that came before it in the same message. Checking
// that there was one is the caller's job.
func (d *Decoder) Decode(b []byte, e *Envelope) error {
	if len(b) < 2 || b[0] != NextHeader[0] || b[1] != NextHeader[1] {
		*e = Envelope{}
	} else if body, ok := nextBody(b); ok {
		e.Kind, e.Body = Next, body
		return nil
	}
	r := reader{b: b, d: d}
	n := r.arrayLen()
	if r.err == nil && n < 1 {
		r.fail("empty envelope")
	}
	kind := Kind(r.uint())
	if r.err == nil {
		r.decodeKind(kind, n, e)
	}
	if r.err == nil && r.pos != len(b) {
		r.fail(fmt.Sprintf("%d trailing bytes", len(b)-r.pos))
	}
	if r.err != nil {
		return r.err
	}
	return nil
}

// nextBody returns the body of b, a NEXT envelope (b starts with
// NextHeader), if one well-formed value follows the header and nothing
// else: the fast path of a stream. Anything else is left to the full
// decoder, which says what is wrong.
func nextBody(b []byte) ([]byte, bool) {
	if end, ok := skipFlat(b, len(NextHeader)); ok && end == len(b) {
		return b[len(NextHeader):len(b):len(b)], true
	}
	r := reader{b: b, pos: len(NextHeader)}
	r.skip(0)
	if r.err != nil || r.pos != len(b) {
		return nil, false
	}
	return b[len(NextHeader):len(b):len(b)], true
}

func (r *reader) decodeKind(kind Kind, n int, e *Envelope) {
	want := [...]int{4, 6, 4, 4, 1, 2, 2}
	if kind > maxKind {
		r.fail(fmt.Sprintf("unknown kind %d", kind))
		return
	}
	if n != want[kind] && (kind != Hello || n != want[kind]+1) { // a HELLO may tell its heartbeat
		r.fail(fmt.Sprintf("%v has %d elements, want %d", kind, n, want[kind]))
		return
	}
	e.Kind = kind
	switch kind {
	case Hello:
		e.Node, e.Epoch, e.Version = r.str(), r.uint(), r.uint()
		if n == 5 {
			e.Beat = r.uint()
		}
	case Send:
		e.To, e.From = r.ref(), r.ref()
		e.Type, e.Body, e.Corr = r.str(), r.raw(), r.uint()
	case Reply:
		e.Corr, e.Type, e.Body = r.uint(), r.str(), r.raw()
	case Error:
		e.Corr, e.Code, e.Text = r.uint(), r.uint(), r.str()
	case Ack:
		e.Count = r.uint()
	case Next:
		e.Body = r.raw()
	}
}

// reader walks a msgpack buffer; the first error sticks and every later
// read returns a zero value.
type reader struct {
	b   []byte
	pos int
	err error
	d   *Decoder
}

func (r *reader) fail(why string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s at byte %d", ErrMalformed, why, r.pos)
	}
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.pos {
		r.fail(fmt.Sprintf("needs %d bytes, %d left", n, len(r.b)-r.pos))
		return nil
	}
	s := r.b[r.pos : r.pos+n]
	r.pos += n
	return s
}

func (r *reader) byte() byte {
	if r.err == nil && r.pos < len(r.b) {
		c := r.b[r.pos]
		r.pos++
		return c
	}
	r.take(1) // records the error
	return 0
}

func (r *reader) peek() byte {
	if r.err != nil || r.pos >= len(r.b) {
		r.fail("unexpected end")
		return 0
	}
	return r.b[r.pos]
}

func (r *reader) be(n int) uint64 {
	s := r.take(n)
	switch len(s) {
	case 1:
		return uint64(s[0])
	case 2:
		return uint64(binary.BigEndian.Uint16(s))
	case 4:
		return uint64(binary.BigEndian.Uint32(s))
	case 8:
		return binary.BigEndian.Uint64(s)
	}
	return 0
}

func (r *reader) arrayLen() int {
	c := r.byte()
	switch {
	case c&0xf0 == 0x90:
		return int(c & 0x0f)
	case c == 0xdc:
		return int(r.be(2))
	case c == 0xdd:
		return int(r.be(4))
	}
	r.fail(fmt.Sprintf("want array, got 0x%02x", c))
	return 0
}

// uint reads a non-negative integer in any msgpack integer form.
func (r *reader) uint() uint64 {
	c := r.byte()
	switch {
	case r.err != nil:
		return 0
	case c < 0x80:
		return uint64(c)
	case c >= 0xcc && c <= 0xcf:
		return r.be(1 << (c - 0xcc))
	case c >= 0xd0 && c <= 0xd3:
		v := r.be(1 << (c - 0xd0))
		if signBit(v, c-0xd0) {
			r.fail("negative integer")
			return 0
		}
		return v
	}
	r.fail(fmt.Sprintf("want unsigned integer, got 0x%02x", c))
	return 0
}

func signBit(v uint64, sizeLog byte) bool {
	bits := 8 << sizeLog
	return v>>(bits-1)&1 == 1
}

// strBytes reads a str (or nil, returning ok=false).
func (r *reader) strBytes() (s []byte, ok bool) {
	c := r.byte()
	switch {
	case r.err != nil:
		return nil, false
	case c == 0xc0:
		return nil, false
	case c&0xe0 == 0xa0:
		return r.take(int(c & 0x1f)), true
	case c == 0xd9:
		return r.take(int(r.be(1))), true
	case c == 0xda:
		return r.take(int(r.be(2))), true
	case c == 0xdb:
		return r.take(int(r.be(4))), true
	}
	r.fail(fmt.Sprintf("want string, got 0x%02x", c))
	return nil, false
}

// str reads a string; nil reads as "".
func (r *reader) str() string {
	s, _ := r.strBytes()
	return r.intern(s)
}

func (r *reader) intern(s []byte) string {
	if len(s) == 0 {
		return ""
	}
	d := r.d
	// A stream between two parties repeats the same few strings: look at
	// the most recent ones before hashing.
	for _, v := range d.recent {
		if v == string(s) {
			return v
		}
	}
	v, ok := d.strs[string(s)]
	if !ok {
		v = d.keep(string(s))
	}
	d.recent[d.next] = v
	d.next = (d.next + 1) % len(d.recent)
	return v
}

// keep interns a string seen for the first time.
func (d *Decoder) keep(v string) string {
	if d.strs == nil {
		d.strs = make(map[string]string)
	}
	if len(d.strs) < maxInterned {
		d.strs[v] = v
	}
	return v
}

// ref reads nil or [node|nil, name|nil, id].
func (r *reader) ref() actor.Ref {
	if r.peek() == 0xc0 {
		r.pos++
		return actor.Ref{}
	}
	if n := r.arrayLen(); r.err == nil && n != 3 {
		r.fail(fmt.Sprintf("ref has %d elements, want 3", n))
	}
	ref := actor.Ref{Node: r.str(), Name: r.str(), ID: r.uint()}
	if r.err == nil && ref.Name == "" && ref.ID == 0 {
		r.fail("ref with neither name nor id")
	}
	return ref
}

// raw returns the bytes of the next msgpack value, whatever it is.
func (r *reader) raw() []byte {
	start := r.pos
	r.skip(0)
	if r.err != nil {
		return nil
	}
	return r.b[start:r.pos:r.pos]
}
