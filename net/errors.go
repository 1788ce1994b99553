package net

import (
	"errors"

	"github.com/troupe-go/troupe/net/internal/wire"
)

// Errors of the net package. Errors that come from another node (an
// ERROR envelope, a troupe.Error reply, a remote exit reason) are
// *RemoteError values that errors.Is matches against these and against
// actor's sentinels (actor.ErrNotFound, actor.ErrNormal, mailbox.ErrFull…).
var (
	// ErrNodeDown is the reason given to watchers of actors on a node that
	// was declared down, and the error of requests that were waiting on it.
	ErrNodeDown = wire.ErrNodeDown
	// ErrClosed is returned by a Node's methods after Close.
	ErrClosed = errors.New("net: node closed")
	// ErrBadAddress is returned for a node address that is not a dialable
	// tcp:// or ipc:// endpoint.
	ErrBadAddress = errors.New("net: bad node address")
	// ErrTooLarge is returned by Send for a message over the maximum
	// message size.
	ErrTooLarge = wire.ErrTooLarge
	// ErrSpawnFailed is returned by SpawnRemote when the remote node could
	// not start the actor (unknown kind, name taken, failed start).
	ErrSpawnFailed = wire.ErrSpawnFailed
	// ErrUnknownType reports a message whose type the receiver could not
	// decode.
	ErrUnknownType = wire.ErrUnknownType
	// ErrMalformed reports bytes that are not a valid envelope.
	ErrMalformed = wire.ErrMalformed
)

// A RemoteError is an error or exit reason received from another node as
// a code and a text (see docs/PROTOCOL.md). errors.Is matches it against
// the sentinel of its code.
type RemoteError = wire.RemoteError

// Error codes of ERROR envelopes, troupe.Error replies and remote exit
// reasons (docs/PROTOCOL.md); RemoteError.Code holds one.
const (
	CodeNotFound     = wire.CodeNotFound
	CodeUnknownType  = wire.CodeUnknownType
	CodeMalformed    = wire.CodeMalformed
	CodeFull         = wire.CodeFull
	CodeTimeout      = wire.CodeTimeout
	CodeNodeDown     = wire.CodeNodeDown
	CodeNormal       = wire.CodeNormal
	CodeFailure      = wire.CodeFailure
	CodeShutdown     = wire.CodeShutdown
	CodeSpawnFailed  = wire.CodeSpawnFailed
	CodeTooLarge     = wire.CodeTooLarge
	CodeKilled       = wire.CodeKilled
	CodeSlowConsumer = wire.CodeSlowConsumer
	CodeIntensity    = wire.CodeIntensity
)
