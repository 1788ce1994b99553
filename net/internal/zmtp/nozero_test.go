package zmtp

import (
	"testing"
)

// TestMakeNoZero checks that makeNoZero gives n usable bytes in one
// allocation that holds no pointers (the collector need not scan it).
func TestMakeNoZero(t *testing.T) {
	for _, n := range []int{1, 7, 4096, 1 << 20} {
		b := makeNoZero(n)
		if len(b) != n || cap(b) != n {
			t.Fatalf("makeNoZero(%d): len %d, cap %d", n, len(b), cap(b))
		}
		for i := range b {
			b[i] = byte(i)
		}
		if b[n-1] != byte(n-1) {
			t.Fatalf("makeNoZero(%d): last byte not writable", n)
		}
	}
	if b := makeNoZero(0); b != nil {
		t.Fatalf("makeNoZero(0) = %v, want nil", b)
	}
	if allocs := testing.AllocsPerRun(10, func() { _ = makeNoZero(64 << 10) }); allocs != 1 {
		t.Fatalf("makeNoZero allocates %v times, want 1", allocs)
	}
}
