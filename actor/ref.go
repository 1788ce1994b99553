package actor

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A Ref addresses one incarnation of an actor, local or remote. It is a
// small comparable value with no pointers inside, so it can be used as a
// map key, compared with ==, and encoded into messages by a transport.
//
// Node is the address of the node that runs the actor ("" for a system
// that is not a network node). Name is the actor's registered name, or ""
// for an anonymous actor. ID identifies the incarnation: every spawn and
// every restart gets a new ID, and IDs are never reused by a running
// system, so a message for a dead actor never reaches its restarted
// successor. A Ref with a Name and ID 0 means "whoever holds that name
// now", which is how clients that only know names address actors.
//
// The string form is name#id@node, with the id in hexadecimal and each part
// left out when empty: "sink#1a2b@tcp://127.0.0.1:5555", "#1f",
// "sink@ipc:///tmp/a.sock". ParseRef reverses it.
type Ref struct {
	Node string
	Name string
	ID   uint64
}

// IsZero reports whether r is the zero Ref, which addresses nobody.
func (r Ref) IsZero() bool { return isZeroRef(&r) }

// isZeroRef is IsZero for the hot paths: r == Ref{}, without comparing
// strings, and field by field. (A Ref copied whole, to call a method on
// it or to assign Ref{}, is read back in 16-byte pieces from the 8-byte
// words just stored: the CPU cannot forward them, and waits.)
func isZeroRef(r *Ref) bool { return r.ID == 0 && len(r.Name) == 0 && len(r.Node) == 0 }

// copyRef is *dst = *src for the hot paths, field by field, without the
// temporary copy a whole-struct assignment makes (see isZeroRef).
func copyRef(dst, src *Ref) { dst.Node, dst.Name, dst.ID = src.Node, src.Name, src.ID }

// String returns the ref's stable string form (see Ref). The zero Ref
// prints as "nobody".
func (r Ref) String() string {
	if r.IsZero() {
		return "nobody"
	}
	var b strings.Builder
	b.WriteString(r.Name)
	if r.ID != 0 {
		b.WriteByte('#')
		b.WriteString(strconv.FormatUint(r.ID, 16))
	}
	if r.Node != "" {
		b.WriteByte('@')
		b.WriteString(r.Node)
	}
	return b.String()
}

// ErrBadRef is wrapped by the errors of ParseRef and of names that cannot
// be used in a Ref.
var ErrBadRef = errors.New("actor: malformed ref")

// ParseRef parses the string form produced by Ref.String.
func ParseRef(s string) (Ref, error) {
	if s == "nobody" {
		return Ref{}, nil
	}
	var r Ref
	local, node, hasNode := strings.Cut(s, "@")
	if hasNode {
		if node == "" {
			return Ref{}, fmt.Errorf("%w: %q: empty node after @", ErrBadRef, s)
		}
		r.Node = node
	}
	name, id, hasID := strings.Cut(local, "#")
	if hasID {
		n, err := strconv.ParseUint(id, 16, 64)
		if err != nil || n == 0 {
			return Ref{}, fmt.Errorf("%w: %q: bad id %q", ErrBadRef, s, id)
		}
		r.ID = n
	}
	r.Name = name
	if r.Name == "" && r.ID == 0 {
		return Ref{}, fmt.Errorf("%w: %q: neither name nor id", ErrBadRef, s)
	}
	if r.Name != "" {
		if err := checkName(r.Name); err != nil {
			return Ref{}, fmt.Errorf("%w (in %q)", err, s)
		}
	}
	return r, nil
}

// checkName reports whether name can be registered: non-empty, not
// "nobody" (the zero Ref's string form), and free of the characters the
// string form uses ('#', '@') and of whitespace.
func checkName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: empty name", ErrBadRef)
	}
	if name == "nobody" {
		return fmt.Errorf("%w: name %q is the string form of the zero Ref", ErrBadRef, name)
	}
	if strings.ContainsAny(name, "#@ \t\r\n") {
		return fmt.Errorf("%w: name %q contains '#', '@' or white space", ErrBadRef, name)
	}
	return nil
}
