package zmtp

import (
	"io"
	stdnet "net"
	"sync/atomic"
	"syscall"
	"time"
)

// A ReadSpin makes the Conns that share it poll their socket for a while
// before they wait for it: a read that finds the socket empty tries again
// (yielding to the goroutines ready meanwhile) until data comes or the
// spin time is over, and only then parks the goroutine in the runtime's
// network poller.
//
// Why: a goroutine parked on a socket, on a thread whose CPU has gone
// idle, is woken by the kernel, the runtime and (in a virtual machine) the
// hypervisor, one after the other. On the 2-CPU VM where Troupe is
// measured that costs a loopback round trip of two Go processes 60–70 µs;
// with both readers polling for 50 µs it takes about 10 µs. The price is
// CPU: a reader whose peer is quiet polls for up to the spin time after
// each message before it sleeps.
//
// At most Max Conns spin at once; the others wait for their sockets
// right away. A ReadSpin is safe for concurrent use. The zero value (or a
// nil *ReadSpin) never spins.
type ReadSpin struct {
	time    time.Duration
	max     int32
	active  atomic.Int32  // Conns spinning now
	caught  atomic.Uint64 // spins that ended with data
	missed  atomic.Uint64 // spins that ended in a wait
	limited atomic.Uint64 // reads that waited because Max Conns spun
}

// NewReadSpin returns a ReadSpin of d per read, for at most max Conns at
// once. d ≤ 0 or max < 1 never spins.
func NewReadSpin(d time.Duration, max int) *ReadSpin {
	return &ReadSpin{time: d, max: int32(max)}
}

// ReadSpinStats counts what the Conns sharing a ReadSpin did when they
// found their socket empty.
type ReadSpinStats struct {
	Caught  uint64 // spins that ended with data
	Missed  uint64 // spins that ended in a wait
	Limited uint64 // reads that waited without spinning, since Max Conns spun
}

// Stats returns the counts so far.
func (s *ReadSpin) Stats() ReadSpinStats {
	if s == nil {
		return ReadSpinStats{}
	}
	return ReadSpinStats{Caught: s.caught.Load(), Missed: s.missed.Load(), Limited: s.limited.Load()}
}

func (s *ReadSpin) on() bool { return s != nil && s.time > 0 && s.max > 0 }

// reader returns what a Conn over c reads from: c itself, or a spinning
// reader of c's socket that stops spinning once closed is set.
func (s *ReadSpin) reader(c stdnet.Conn, closed *atomic.Bool) io.Reader {
	if !canSpin || !s.on() {
		return c
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return c
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return c
	}
	r := &spinReader{spin: s, raw: raw, closed: closed}
	r.try = func(fd uintptr) bool { return r.attempt.try(r, fd) }
	return r
}

// A spinReader reads a socket through its syscall.RawConn, spinning as
// its ReadSpin says before the runtime waits for the socket.
type spinReader struct {
	spin    *ReadSpin
	raw     syscall.RawConn
	closed  *atomic.Bool // the Conn's: set by Close
	attempt readAttempt  // the Read under way
	try     func(fd uintptr) bool
}

// What a read did with an empty socket, for testHookSpin.
type spinEvent int

const (
	spinStarted spinEvent = iota // it began to spin
	spinMissed                   // the spin is over without data: it waits
	spinLimited                  // it waits without spinning: others spin
)

// testHookSpin, if set, is told what reads do with empty sockets.
var testHookSpin func(spinEvent)

// Read reads into p. Its errors are those of the socket's net.Conn: a
// deadline (os.ErrDeadlineExceeded), Close (net.ErrClosed), io.EOF, a
// system call's error. A deadline that passes while the read spins is
// noticed when the spin is over.
func (r *spinReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.attempt = readAttempt{p: p}
	err := r.raw.Read(r.try) // try is made once: a closure per Read would be an allocation
	n, rerr := r.attempt.n, r.attempt.err
	r.attempt = readAttempt{}
	if err != nil {
		return 0, err
	}
	return n, rerr
}
