package main

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// A timeline collects what happens, from any goroutine, without blocking:
// lines go to a buffered channel and are printed at the end. Lines that do
// not fit are counted, not lost silently.
type timeline struct {
	start  time.Time
	lines  chan string
	missed atomic.Int64
}

func newTimeline(size int) *timeline {
	return &timeline{start: time.Now(), lines: make(chan string, size)}
}

func (t *timeline) add(format string, args ...any) {
	line := fmt.Sprintf("  +%-7v %s", time.Since(t.start).Round(time.Millisecond), fmt.Sprintf(format, args...))
	select {
	case t.lines <- line:
	default:
		t.missed.Add(1)
	}
}

// print writes the lines collected so far.
func (t *timeline) print(w io.Writer) {
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
