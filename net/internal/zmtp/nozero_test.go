package zmtp

import (
	"testing"
)

// TestNewBuffer checks that NewBuffer gives n usable bytes in one
// allocation that holds no pointers (the collector need not scan it).
func TestNewBuffer(t *testing.T) {
	for _, n := range []int{1, 7, 4096, 1 << 20} {
		b := NewBuffer(n)
		if len(b) != n || cap(b) != n {
			t.Fatalf("NewBuffer(%d): len %d, cap %d", n, len(b), cap(b))
		}
		for i := range b {
			b[i] = byte(i)
		}
		if b[n-1] != byte(n-1) {
			t.Fatalf("NewBuffer(%d): last byte not writable", n)
		}
	}
	if b := NewBuffer(0); b != nil {
		t.Fatalf("NewBuffer(0) = %v, want nil", b)
	}
	if allocs := testing.AllocsPerRun(10, func() { _ = NewBuffer(64 << 10) }); allocs != 1 {
		t.Fatalf("NewBuffer allocates %v times, want 1", allocs)
	}
}
