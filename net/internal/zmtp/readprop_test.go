package zmtp

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
)

// randomReader returns its bytes in chunks of random sizes, from 1 byte
// to more than a read buffer.
type randomReader struct {
	b   []byte
	rng *rand.Rand
}

func (r *randomReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	limit := 1 + r.rng.IntN(1+[]int{7, 300, 5000, 200 << 10}[r.rng.IntN(4)])
	n := copy(p[:min(len(p), limit)], r.b)
	r.b = r.b[n:]
	return n, nil
}

// randomMessage makes a message of 1 to 12 frames of sizes that cross the
// decoder's thresholds (short and long headers, ownMin), each frame
// filled with its own byte.
func randomMessage(rng *rand.Rand, id int) [][]byte {
	frames := make([][]byte, 1+rng.IntN(12))
	for i := range frames {
		var n int
		switch rng.IntN(5) {
		case 0:
			n = 0
		case 1:
			n = 1 + rng.IntN(255)
		case 2:
			n = 256 + rng.IntN(5000)
		case 3:
			n = ownMin - 100 + rng.IntN(200)
		default:
			n = ownMin + rng.IntN(100<<10)
		}
		frames[i] = bytes.Repeat([]byte{byte(id*13 + i)}, n)
	}
	return frames
}

// TestReadRandomStreams reads random streams of messages, cut into random
// reads, holding the Messages every way a caller may: one reused, two in
// turn, detached, and read into recycled buffers (Alloc). Every message
// reads back as written, and the frames of detached messages stay intact
// while later messages are read.
func TestReadRandomStreams(t *testing.T) {
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var (
			msgs [][][]byte
			in   []byte
		)
		for i := range 40 {
			m := randomMessage(rng, i)
			msgs = append(msgs, m)
			in = append(in, frameBytes(t, m)...)
		}
		d := &decoder{raw: &randomReader{b: in, rng: rng}, readSize: 1 << (10 + rng.IntN(8)),
			maxSize: DefaultMaxMessageSize, maxFrames: DefaultMaxFrames}
		var (
			ms    [2]Message
			kept  []keptMessage // detached: must not change
			spare [][]byte      // buffers given back, for Alloc
		)
		alloc := func(n int) []byte {
			for i, b := range spare {
				if cap(b) >= n {
					spare = append(spare[:i], spare[i+1:]...)
					return b[:cap(b)]
				}
			}
			return nil
		}
		for i, want := range msgs {
			m := &ms[rng.IntN(2)]
			if rng.IntN(3) == 0 {
				m.Alloc = alloc
			} else {
				m.Alloc = nil
			}
			if err := d.readMessage(m); err != nil {
				t.Fatalf("seed %d, message %d: %v", seed, i, err)
			}
			if m.Kind != KindData || !equalFrames(m.Frames, want) {
				t.Fatalf("seed %d, message %d read back differently", seed, i)
			}
			if rng.IntN(2) == 0 {
				kept = append(kept, keptMessage{frames: append([][]byte(nil), m.Frames...), want: want, buf: m.Buffer()})
				m.Detach()
			}
			if len(kept) > 3 { // give the oldest back, as Node.Recycle does
				old := kept[0]
				if !equalFrames(old.frames, old.want) {
					t.Fatalf("seed %d: a detached message changed before it was given back", seed)
				}
				kept = kept[1:]
				spare = append(spare, old.buf)
			}
		}
		for _, k := range kept {
			if !equalFrames(k.frames, k.want) {
				t.Fatalf("seed %d: a detached message changed", seed)
			}
		}
		if err := d.readMessage(&ms[0]); err != io.EOF {
			t.Fatalf("seed %d: after the last message: %v, want io.EOF", seed, err)
		}
	}
}

// A keptMessage is a detached message: its frames, what they must hold,
// and the buffer it was read into.
type keptMessage struct {
	frames, want [][]byte
	buf          []byte
}
