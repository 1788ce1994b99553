package wire

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// TestSkipScalars checks the fast path for small containers of scalars
// against the element-by-element skipper, on random maps and arrays of
// every scalar encoding, whole and cut short: both must stop at the same
// byte, and fail on the same inputs.
func TestSkipScalars(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	scalars := []func() any{
		func() any { return rng.IntN(128) },
		func() any { return -rng.IntN(32) - 1 },
		func() any { return nil },
		func() any { return rng.IntN(2) == 0 },
		func() any { return string(make([]byte, rng.IntN(40))) },
		func() any { return make([]byte, rng.IntN(300)) },
		func() any { return uint8(200) },
		func() any { return int8(-100) },
		func() any { return uint16(60000) },
		func() any { return int16(-30000) },
		func() any { return uint32(4e9) },
		func() any { return int32(-2e9) },
		func() any { return float32(1.5) },
		func() any { return uint64(math.MaxUint64) },
		func() any { return int64(math.MinInt64) },
		func() any { return 2.5 },
		func() any { return []any{1} }, // a container: the slow path
	}
	for i := range 2000 {
		n := rng.IntN(8)
		var v any
		if rng.IntN(2) == 0 {
			a := make([]any, n)
			for j := range a {
				a[j] = scalars[rng.IntN(len(scalars))]()
			}
			v = a
		} else {
			m := make(map[string]any, n)
			for j := range n {
				m[string(rune('a'+j))] = scalars[rng.IntN(len(scalars))]()
			}
			v = m
		}
		b, err := msgpack.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, cut := range []int{len(b), rng.IntN(len(b) + 1)} {
			in := b[:cut]
			fast := reader{b: in}
			fast.skip(0)
			slow := reader{b: in}
			if c := slow.byte(); slow.err == nil {
				switch {
				case c&0xf0 == 0x90:
					slow.skipN(int(c&0x0f), 0)
				case c&0xf0 == 0x80:
					slow.skipN(2*int(c&0x0f), 0)
				default:
					slow = reader{b: in}
					slow.skip(0)
				}
			}
			if (fast.err == nil) != (slow.err == nil) || fast.err == nil && fast.pos != slow.pos {
				t.Fatalf("value %d cut at %d of %d: fast path at %d (%v), element by element at %d (%v)",
					i, cut, len(b), fast.pos, fast.err, slow.pos, slow.err)
			}
			if cut == len(b) && (fast.err != nil || fast.pos != len(b)) {
				t.Fatalf("value %d: skipped to %d of %d: %v", i, fast.pos, len(b), fast.err)
			}
		}
	}
}
