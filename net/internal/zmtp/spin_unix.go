//go:build unix

package zmtp

import (
	"io"
	"os"
	"runtime"
	"syscall"
	"time"
)

// canSpin tells whether reads can spin on this system.
const canSpin = true

// A readAttempt is one Read of a spinReader: the runtime calls try with
// the socket whenever it may be readable, until try returns true.
type readAttempt struct {
	p    []byte
	n    int
	err  error
	spun bool // the spin is over (or was refused): an empty socket is waited for
}

// try reads the socket, and spins on it once if it is empty. It reports
// whether the read is over (with data, EOF or an error); false makes the
// runtime wait for the socket.
func (a *readAttempt) try(r *spinReader, fd uintptr) bool {
	s := r.spin
	if a.read(fd) {
		return true
	}
	if a.spun {
		return false
	}
	a.spun = true
	if s.active.Add(1) > s.max {
		s.active.Add(-1)
		s.limited.Add(1)
		hook(spinLimited)
		return false
	}
	defer s.active.Add(-1)
	hook(spinStarted)
	start := time.Now()
	for i := 1; ; i++ {
		runtime.Gosched() // what this goroutine's wake-ups readied runs first
		if a.read(fd) {
			s.caught.Add(1)
			return true
		}
		if r.closed.Load() || i%8 == 0 && time.Since(start) >= s.time {
			s.missed.Add(1)
			hook(spinMissed)
			return false // the runtime waits, or reports the Close
		}
	}
}

// read makes one non-blocking read; it reports false if the socket was
// empty.
func (a *readAttempt) read(fd uintptr) bool {
	for {
		n, err := syscall.Read(int(fd), a.p)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			return false
		case err != nil:
			a.err = os.NewSyscallError("read", err)
		case n == 0:
			a.err = io.EOF
		default:
			a.n = n
		}
		return true
	}
}

func hook(ev spinEvent) {
	if testHookSpin != nil {
		testHookSpin(ev)
	}
}
