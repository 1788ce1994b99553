package wire

import (
	"errors"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// Error codes carried by ERROR envelopes and by remote exit reasons.
const (
	CodeNotFound     = 1
	CodeUnknownType  = 2
	CodeMalformed    = 3
	CodeFull         = 4
	CodeTimeout      = 5
	CodeNodeDown     = 6
	CodeNormal       = 7
	CodeFailure      = 8
	CodeShutdown     = 9
	CodeSpawnFailed  = 10
	CodeTooLarge     = 11
	CodeKilled       = 12
	CodeSlowConsumer = 13
	CodeIntensity    = 14
)

// Errors with no home in package actor; package net re-exports them.
var (
	// ErrNodeDown is the reason given for actors of a node declared down,
	// and the error of requests waiting on it.
	ErrNodeDown = errors.New("net: node down")
	// ErrUnknownType: the receiver could not decode the message's type.
	ErrUnknownType = errors.New("net: unknown message type")
	// ErrSpawnFailed: a remote spawn did not start the actor.
	ErrSpawnFailed = errors.New("net: remote spawn failed")
	// ErrTooLarge: a message broke a size limit.
	ErrTooLarge = errors.New("net: message too large")
	// ErrTimeout: the remote side gave up waiting.
	ErrTimeout = errors.New("net: timed out")
)

// sentinels maps each code to the error a RemoteError with that code
// matches with errors.Is.
var sentinels = map[uint64]error{
	CodeNotFound:     actor.ErrNotFound,
	CodeUnknownType:  ErrUnknownType,
	CodeMalformed:    ErrMalformed,
	CodeFull:         mailbox.ErrFull,
	CodeTimeout:      ErrTimeout,
	CodeNodeDown:     ErrNodeDown,
	CodeNormal:       actor.ErrNormal,
	CodeShutdown:     actor.ErrShutdown,
	CodeSpawnFailed:  ErrSpawnFailed,
	CodeTooLarge:     ErrTooLarge,
	CodeKilled:       actor.ErrKilled,
	CodeSlowConsumer: actor.ErrSlowConsumer,
	CodeIntensity:    actor.ErrIntensity,
}

// A RemoteError is an error, or an exit reason, that came from another
// node as a code and a text. errors.Is matches it against the sentinel of
// its code (actor.ErrNotFound, actor.ErrNormal, ErrNodeDown, …); a failure
// (CodeFailure) matches none, and its text says what failed.
type RemoteError struct {
	Code uint64
	Text string
}

// Error returns the remote text.
func (e *RemoteError) Error() string { return e.Text }

// Is reports whether target is the sentinel of e's code.
func (e *RemoteError) Is(target error) bool {
	s, ok := sentinels[e.Code]
	return ok && s == target
}

// ErrorFromCode rebuilds an error received as code and text.
func ErrorFromCode(code uint64, text string) error {
	if text == "" {
		if s, ok := sentinels[code]; ok {
			text = s.Error()
		} else {
			text = "remote error"
		}
	}
	return &RemoteError{Code: code, Text: text}
}

// ErrorCode returns the code to send for err: the code of the first
// sentinel err matches, CodeFailure otherwise.
func ErrorCode(err error) uint64 {
	var re *RemoteError
	if errors.As(err, &re) {
		return re.Code
	}
	for _, code := range codeOrder {
		if errors.Is(err, sentinels[code]) {
			return code
		}
	}
	return CodeFailure
}

// codeOrder fixes the order in which ErrorCode tries the sentinels, most
// specific first.
var codeOrder = []uint64{
	CodeSlowConsumer, CodeIntensity, CodeKilled, CodeShutdown, CodeNormal,
	CodeNodeDown, CodeNotFound, CodeFull, CodeTimeout, CodeUnknownType,
	CodeMalformed, CodeSpawnFailed, CodeTooLarge,
}
