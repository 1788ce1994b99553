// Package timeline collects what happens during an example's run, from any
// goroutine and without blocking, and prints it at the end, each line
// stamped with the time since the timeline started.
//
// Lines go to a buffered channel of a fixed size; lines that do not fit are
// counted, never lost silently, and the count is printed after the lines.
package timeline

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// A Timeline is a bounded log of stamped lines. Add is safe for
// concurrent use; Print is called once everything that adds has finished
// (it prints only the lines collected so far).
type Timeline struct {
	start  time.Time
	lines  chan string
	missed atomic.Int64 // lines that did not fit: added from any goroutine
}

// New returns a timeline that starts now and holds up to size lines.
func New(size int) *Timeline {
	return &Timeline{start: time.Now(), lines: make(chan string, size)}
}

// Add formats a line as fmt.Sprintf does and stamps it with the time since
// the timeline started. It never blocks: a line that does not fit is
// counted instead.
func (t *Timeline) Add(format string, args ...any) {
	line := fmt.Sprintf("  +%-7v %s", time.Since(t.start).Round(time.Millisecond), fmt.Sprintf(format, args...))
	select {
	case t.lines <- line:
	default:
		t.missed.Add(1)
	}
}

// Print writes the lines collected so far, one per line, then how many did
// not fit, if any.
func (t *Timeline) Print(w io.Writer) {
	for {
		select {
		case l := <-t.lines:
			fmt.Fprintln(w, l)
		default:
			if n := t.missed.Load(); n > 0 {
				fmt.Fprintf(w, "  (%d more lines did not fit the timeline)\n", n)
			}
			return
		}
	}
}
