package wire

import (
	"github.com/troupe-go/troupe/actor"
)

// A Kind is the first element of an envelope.
type Kind uint8

// The envelope kinds (docs/PROTOCOL.md).
const (
	Hello     Kind = 0 // [0, node, epoch, version] or [0, node, epoch, version, heartbeat]
	Send      Kind = 1 // [1, to, from, type, body, corr]
	Reply     Kind = 2 // [2, corr, type, body]
	Error     Kind = 3 // [3, corr, code, text]
	Heartbeat Kind = 4 // [4]
	Ack       Kind = 5 // [5, count]
	Next      Kind = 6 // [6, body]: a SEND like the one before it in the message, with another body
	maxKind        = Next
)

// Version is the protocol version a node announces in HELLO.
const Version = 1

var kindNames = [...]string{"HELLO", "SEND", "REPLY", "ERROR", "HEARTBEAT", "ACK", "NEXT"}

// NextHeader is how a NEXT envelope starts: its array header and kind. A
// NEXT is these two bytes followed by its body.
var NextHeader = [2]byte{0x92, byte(Next)}

// String names the kind as the protocol document does.
func (k Kind) String() string {
	if k <= maxKind {
		return kindNames[k]
	}
	return "KIND?"
}

// An Envelope is one decoded envelope. Which fields are meaningful depends
// on Kind; the others are zero.
type Envelope struct {
	Kind    Kind
	To      actor.Ref // Send: the target; empty Node means the receiving node
	From    actor.Ref // Send: the sender, or zero; empty Node means the sending node
	Type    string    // Send, Reply: the registered type name of Body
	Body    []byte    // Send, Reply, Next: the body, raw msgpack (aliases the decoded input)
	Corr    uint64    // Send, Reply, Error: correlation id for foreign clients, 0 = none
	Node    string    // Hello: the sender's node address
	Epoch   uint64    // Hello: the sender's incarnation
	Version uint64    // Hello: protocol version
	Beat    uint64    // Hello: the sender's heartbeat interval in milliseconds, 0 = not told
	Count   uint64    // Ack: SEND envelopes taken off the link so far
	Code    uint64    // Error: error code
	Text    string    // Error: error text
}

// Reset clears e for reuse.
func (e *Envelope) Reset() { *e = Envelope{} }

// Append appends the msgpack encoding of e to b. For Send and Reply, e.Body
// must already be one valid msgpack value (an empty Body encodes nil).
func Append(b []byte, e *Envelope) []byte {
	switch e.Kind {
	case Hello:
		if e.Beat == 0 {
			b = append(b, 0x94, byte(Hello))
		} else {
			b = append(b, 0x95, byte(Hello))
		}
		b = AppendStr(b, e.Node)
		b = AppendUint(b, e.Epoch)
		b = AppendUint(b, e.Version)
		if e.Beat != 0 {
			b = AppendUint(b, e.Beat)
		}
		return b
	case Send, Reply:
		return AppendTail(appendBody(AppendHead(b, e), e.Body), e)
	case Error:
		b = append(b, 0x94, byte(Error))
		b = AppendUint(b, e.Corr)
		b = AppendUint(b, e.Code)
		return AppendStr(b, e.Text)
	case Ack:
		b = append(b, 0x92, byte(Ack))
		return AppendUint(b, e.Count)
	case Next:
		return appendBody(append(b, NextHeader[:]...), e.Body)
	default:
		return append(b, 0x91, byte(Heartbeat))
	}
}

func appendBody(b, body []byte) []byte {
	if len(body) == 0 {
		return append(b, 0xc0)
	}
	return append(b, body...)
}

// appendRef writes nil for the zero Ref, else [node|nil, name|nil, id].
func appendRef(b []byte, r actor.Ref) []byte {
	if r.IsZero() {
		return append(b, 0xc0)
	}
	b = append(b, 0x93)
	b = appendOptStr(b, r.Node)
	b = appendOptStr(b, r.Name)
	return AppendUint(b, r.ID)
}

// AppendHead appends the part of a Send or Reply envelope that comes
// before its body, so that the body can be encoded in place after it (one
// copy fewer than Append); AppendTail appends the part after the body.
// AppendHead, a body, then AppendTail give the bytes of Append. For other
// kinds AppendHead appends the whole envelope.
func AppendHead(b []byte, e *Envelope) []byte {
	switch e.Kind {
	case Send:
		b = append(b, 0x96, byte(Send))
		b = appendRef(b, e.To)
		b = appendRef(b, e.From)
		return AppendStr(b, e.Type)
	case Reply:
		b = append(b, 0x94, byte(Reply))
		b = AppendUint(b, e.Corr)
		return AppendStr(b, e.Type)
	}
	return Append(b, e)
}

// AppendTail appends the part of a Send envelope after its body (see
// AppendHead); Reply has none.
func AppendTail(b []byte, e *Envelope) []byte {
	if e.Kind == Send {
		return AppendUint(b, e.Corr)
	}
	return b
}

// SendHeadLen returns len(AppendHead(nil, e)) for a Send envelope e from
// from to to with a body of type typ, without an Envelope to fill: the
// size of the envelope before its body.
func SendHeadLen(to, from *actor.Ref, typ string) int {
	return 2 + refLen(to) + refLen(from) + strLen(len(typ))
}

func refLen(r *actor.Ref) int {
	if r.Node == "" && r.Name == "" && r.ID == 0 {
		return 1
	}
	return 1 + optStrLen(len(r.Node)) + optStrLen(len(r.Name)) + uintLen(r.ID)
}

func optStrLen(n int) int {
	if n == 0 {
		return 1
	}
	return strLen(n)
}

// strLen is the size of a msgpack str of n bytes.
func strLen(n int) int {
	switch {
	case n < 32:
		return 1 + n
	case n <= 0xff:
		return 2 + n
	case n <= 0xffff:
		return 3 + n
	}
	return 5 + n
}

func uintLen(v uint64) int {
	switch {
	case v < 128:
		return 1
	case v <= 0xff:
		return 2
	case v <= 0xffff:
		return 3
	case v <= 0xffffffff:
		return 5
	}
	return 9
}
