package zmtp

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A session drives a Conn the way the node layer will: one reader
// goroutine that answers PINGs through the writer and delivers copies of
// data messages, one writer goroutine that flushes when its queue is empty.
type session struct {
	c     *Conn
	in    chan [][]byte // data messages received; closed by the reader
	pongs chan []byte   // PONG contexts received
	out   chan outItem
	quit  chan struct{}
	pings atomic.Int64
	rerr  error // why the reader stopped; read after in is closed
	wg    sync.WaitGroup
}

type outItem struct {
	frames [][]byte
	cmd    string // CmdPing or CmdPong for a command
	ctx    []byte
}

func startSession(t testing.TB, c *Conn) *session {
	s := &session{c: c, in: make(chan [][]byte, 64), pongs: make(chan []byte, 16),
		out: make(chan outItem, 64), quit: make(chan struct{})}
	s.wg.Add(2)
	go s.read()
	go s.write()
	t.Cleanup(func() {
		close(s.quit)
		_ = c.Close()
		s.wg.Wait()
	})
	return s
}

func (s *session) read() {
	defer s.wg.Done()
	defer close(s.in)
	var m Message
	for {
		if s.rerr = s.c.ReadMessage(&m); s.rerr != nil {
			return
		}
		if !s.deliver(&m) {
			return
		}
	}
}

// deliver hands a copy of what m holds to the right channel.
func (s *session) deliver(m *Message) bool {
	var ch chan<- outItem
	var it outItem
	var in chan<- [][]byte
	var frames [][]byte
	var pongs chan<- []byte
	var pong []byte
	switch {
	case m.Kind == KindData:
		in, frames = s.in, copyFrames(m.Frames)
	case m.Command.Name == CmdPing:
		s.pings.Add(1)
		ch, it = s.out, outItem{cmd: CmdPong, ctx: append([]byte(nil), m.Command.PingContext()...)}
	case m.Command.Name == CmdPong:
		pongs, pong = s.pongs, append([]byte(nil), m.Command.Body...)
	default:
		return true
	}
	select {
	case in <- frames:
	case ch <- it:
	case pongs <- pong:
	case <-s.quit:
		return false
	}
	return true
}

func copyFrames(frames [][]byte) [][]byte {
	out := make([][]byte, len(frames))
	for i, f := range frames {
		out[i] = append([]byte{}, f...)
	}
	return out
}

func (s *session) write() {
	defer s.wg.Done()
	for {
		select {
		case it := <-s.out:
			if err := s.put(it); err != nil {
				return
			}
			if len(s.out) == 0 {
				if err := s.c.Flush(); err != nil {
					return
				}
			}
		case <-s.quit:
			return
		}
	}
}

func (s *session) put(it outItem) error {
	switch it.cmd {
	case CmdPing:
		return s.c.WritePing(time.Second, it.ctx)
	case CmdPong:
		return s.c.WritePong(it.ctx)
	}
	return s.c.WriteMessage(it.frames...)
}

func (s *session) send(t testing.TB, it outItem) {
	select {
	case s.out <- it:
	case <-time.After(testTimeout):
		t.Fatal("writer queue stuck")
	}
}

func (s *session) recv(t testing.TB) [][]byte {
	t.Helper()
	select {
	case m, ok := <-s.in:
		if !ok {
			t.Fatalf("connection ended: %v", s.rerr)
		}
		return m
	case <-time.After(testTimeout):
		t.Fatal("no message received")
		return nil
	}
}

// echo sends every received data message back until the peer closes,
// and returns the reader's final error.
func (s *session) echo(t testing.TB) error {
	for m := range s.in {
		s.send(t, outItem{frames: m})
	}
	return s.rerr
}
