package main

import (
	"fmt"
	"sync"

	"github.com/troupe-go/troupe/net"
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
