// Package testmsg holds the message types that the testnode program and
// the multi-process tests of package net exchange, registered under the
// same names on both sides.
package testmsg

import "github.com/troupe-go/troupe/net"

// Tick is one message of a stream to the counting actor; Seq numbers the
// stream from 1.
type Tick struct{ Seq uint64 }

// Count asks the counting actor for its counters; it answers Counted.
type Count struct{}

// Counted is the counting actor's answer to Count: N ticks received by
// this incarnation, the highest Seq among them, and Gaps, the number of
// ticks whose Seq was not one above the previous one's.
type Counted struct{ N, Last, Gaps uint64 }

// The registered names of the types above.
const (
	TickName    = "testnode.Tick"
	CountName   = "testnode.Count"
	CountedName = "testnode.Counted"
)

// Register registers the types in c (net.DefaultCodec if c is nil). It is
// safe to call more than once.
func Register(c *net.Codec) error {
	if c == nil {
		c = net.DefaultCodec
	}
	if err := net.Register[Tick](c, TickName); err != nil {
		return err
	}
	if err := net.Register[Count](c, CountName); err != nil {
		return err
	}
	return net.Register[Counted](c, CountedName)
}
