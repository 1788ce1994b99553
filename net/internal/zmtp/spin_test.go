package zmtp

import (
	"bytes"
	"errors"
	"io"
	stdnet "net"
	"sync/atomic"
	"testing"
	"time"
)

// spinEvents makes the spinning reads of the test report to the channel
// it returns.
func spinEvents(t *testing.T) <-chan spinEvent {
	events := make(chan spinEvent, 16)
	testHookSpin = func(ev spinEvent) { events <- ev }
	t.Cleanup(func() { testHookSpin = nil })
	return events
}

func waitEvent(t *testing.T, events <-chan spinEvent, want spinEvent) {
	t.Helper()
	select {
	case ev := <-events:
		if ev != want {
			t.Fatalf("spin event %d, want %d", ev, want)
		}
	case <-time.After(testTimeout):
		t.Fatalf("no spin event %d", want)
	}
}

// readAsync reads one message from c on another goroutine.
func readAsync(c *Conn) <-chan error {
	done := make(chan error, 1)
	go func() {
		var m Message
		err := c.ReadMessage(&m)
		if err == nil && (len(m.Frames) != 1 || string(m.Frames[0]) != "ping") {
			err = errors.New("read something other than ping")
		}
		done <- err
	}()
	return done
}

func ping(t *testing.T, c *Conn) {
	t.Helper()
	if err := waitErr(t, sendAsync(c, [][]byte{[]byte("ping")})); err != nil {
		t.Fatal(err)
	}
}

// TestReadSpinMessages sends messages of every size both ways between
// Conns that spin, over tcp and ipc: what the spinning reader reads goes
// to the decoder as the plain one did.
func TestReadSpinMessages(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	msgs := [][][]byte{{[]byte("hello")}, {{}}, {[]byte("a"), {}, []byte("b")}, {[]byte("big"), big}, {[]byte("after big")}}
	for tr, ep := range endpoints(t) {
		t.Run(tr, func(t *testing.T) {
			spin := NewReadSpin(200*time.Microsecond, 2)
			c, s := connect(t, listen(t, ep, WithReadSpin(spin)), WithReadSpin(spin))
			for round := range 20 {
				for _, pair := range [][2]*Conn{{c, s}, {s, c}} {
					done := sendAsync(pair[0], msgs...)
					for i, want := range msgs {
						m := readMsg(t, pair[1])
						if !equalFrames(m.Frames, want) {
							t.Fatalf("round %d, message %d: got %d frames, want %d", round, i, len(m.Frames), len(want))
						}
					}
					if err := waitErr(t, done); err != nil {
						t.Fatal(err)
					}
				}
			}
			if st := spin.Stats(); st.Caught+st.Missed == 0 {
				t.Errorf("stats %+v: no read found its socket empty in 20 rounds", st)
			}
		})
	}
}

// TestReadSpinOneRead has a read spin, then sends: a spin longer than
// the wait gets the message, a shorter one gives up, and the read waits
// for the message and gets it.
func TestReadSpinOneRead(t *testing.T) {
	for _, tc := range []struct {
		name   string
		spin   time.Duration
		events []spinEvent // before the send
		want   ReadSpinStats
	}{
		{"catches", time.Minute, []spinEvent{spinStarted}, ReadSpinStats{Caught: 1}},
		{"gives up", time.Microsecond, []spinEvent{spinStarted, spinMissed}, ReadSpinStats{Missed: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			events := spinEvents(t)
			spin := NewReadSpin(tc.spin, 1)
			c, s := connect(t, listen(t, "tcp://127.0.0.1:0", WithReadSpin(spin)))
			done := readAsync(s)
			for _, ev := range tc.events {
				waitEvent(t, events, ev)
			}
			ping(t, c)
			if err := waitErr(t, done); err != nil {
				t.Fatal(err)
			}
			if st := spin.Stats(); st != tc.want {
				t.Errorf("stats %+v, want %+v", st, tc.want)
			}
		})
	}
}

// TestReadSpinLimit has one Conn spin while the limit is one: another
// Conn's read waits at once, and both get their messages.
func TestReadSpinLimit(t *testing.T) {
	events := spinEvents(t)
	spin := NewReadSpin(time.Minute, 1)
	l := listen(t, "tcp://127.0.0.1:0", WithReadSpin(spin))
	c1, s1 := connect(t, l)
	c2, s2 := connect(t, l)
	done1 := readAsync(s1)
	waitEvent(t, events, spinStarted)
	done2 := readAsync(s2)
	waitEvent(t, events, spinLimited)
	ping(t, c2)
	ping(t, c1)
	for _, done := range []<-chan error{done1, done2} {
		if err := waitErr(t, done); err != nil {
			t.Fatal(err)
		}
	}
	if st := spin.Stats(); st != (ReadSpinStats{Caught: 1, Limited: 1}) {
		t.Errorf("stats %+v, want one catch and one limited", st)
	}
}

// TestReadSpinEnds closes a spinning Conn, and the peer of another: the
// reads end with ErrClosed and io.EOF without waiting for their minute of
// spin.
func TestReadSpinEnds(t *testing.T) {
	events := spinEvents(t)
	spin := NewReadSpin(time.Minute, 2)
	l := listen(t, "tcp://127.0.0.1:0", WithReadSpin(spin))
	_, s1 := connect(t, l)
	c2, s2 := connect(t, l)

	done := readAsync(s1)
	waitEvent(t, events, spinStarted)
	closed := make(chan error, 1)
	go func() { closed <- s1.Close() }() // Close waits for the read to let go of the socket
	if err := waitErr(t, closed); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, events, spinMissed)
	if err := waitErr(t, done); !errors.Is(err, ErrClosed) {
		t.Errorf("read of a Conn closed while it spun: %v, want ErrClosed", err)
	}

	done = readAsync(s2)
	waitEvent(t, events, spinStarted)
	if err := c2.Close(); err != nil {
		t.Fatal(err)
	}
	if err := waitErr(t, done); !errors.Is(err, io.EOF) {
		t.Errorf("read of a Conn whose peer closed while it spun: %v, want io.EOF", err)
	}
}

// TestReadSpinOff: no spin time, no spinner or a nil ReadSpin read as
// before, and never spin.
func TestReadSpinOff(t *testing.T) {
	events := spinEvents(t)
	for _, spin := range []*ReadSpin{nil, NewReadSpin(0, 4), NewReadSpin(time.Minute, 0)} {
		c, s := connect(t, listen(t, "tcp://127.0.0.1:0", WithReadSpin(spin)))
		done := readAsync(s)
		ping(t, c)
		if err := waitErr(t, done); err != nil {
			t.Fatal(err)
		}
		if st := spin.Stats(); st != (ReadSpinStats{}) {
			t.Errorf("%v: stats %+v", spin, st)
		}
	}
	select {
	case ev := <-events:
		t.Errorf("a read that may not spin reported spin event %d", ev)
	default:
	}
}

// TestReadSpinZeroAllocs reads through a spinning reader: no allocation
// per Read (a closure made for each would be one).
func TestReadSpinZeroAllocs(t *testing.T) {
	ln, err := stdnet.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := stdnet.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	const size, reads = 8, 101 // AllocsPerRun(100) calls once more
	if _, err := client.Write(make([]byte, size*reads)); err != nil {
		t.Fatal(err)
	}
	var closed atomic.Bool
	r := NewReadSpin(time.Minute, 1).reader(server, &closed)
	if _, ok := r.(*spinReader); !ok {
		t.Fatalf("reader is a %T, want a *spinReader", r)
	}
	buf := make([]byte, size)
	allocs := testing.AllocsPerRun(reads-1, func() {
		if _, err := io.ReadFull(r, buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("a spinning Read allocates %v times, want 0", allocs)
	}
}
