package mailbox

import (
	"context"
	"testing"
)

func TestStatsDepthMaxDepthReceived(t *testing.T) {
	mb := New(WithCapacity(8), WithPolicy(Fail))
	post := func(n int) {
		t.Helper()
		for i := range n {
			if err := mb.Post(context.Background(), i); err != nil {
				t.Fatal(err)
			}
		}
	}
	recv := func(n int) {
		t.Helper()
		for range n {
			<-mb.C()
		}
	}
	steps := []struct {
		do   func()
		want Stats
	}{
		{func() {}, Stats{}},
		{func() { post(5) }, Stats{Posted: 5, Depth: 5, MaxDepth: 5}},
		{func() { recv(2) }, Stats{Posted: 5, Received: 2, Depth: 3, MaxDepth: 5}},
		{func() { post(1) }, Stats{Posted: 6, Received: 2, Depth: 4, MaxDepth: 5}},
		{func() { post(4) }, Stats{Posted: 10, Received: 2, Depth: 8, MaxDepth: 8}},
		{func() { _ = mb.Post(context.Background(), "x") }, Stats{Posted: 10, Received: 2, Depth: 8, MaxDepth: 8, Rejected: 1}},
		{func() { recv(8) }, Stats{Posted: 10, Received: 10, Rejected: 1, MaxDepth: 8}},
	}
	for i, s := range steps {
		s.do()
		s.want.Capacity, s.want.Policy = 8, Fail
		if got := mb.Stats(); got != s.want {
			t.Errorf("step %d: %+v\nwant      %+v", i, got, s.want)
		}
		if mb.Len() != s.want.Depth {
			t.Errorf("step %d: Len %d, want %d", i, mb.Len(), s.want.Depth)
		}
	}
}

func TestStatsLost(t *testing.T) {
	s := Stats{Dropped: 1, Evicted: 20, Flushed: 300, Rejected: 4000}
	if s.Lost() != 321 {
		t.Errorf("Lost() = %d, want 321 (rejected posts are returned, not lost)", s.Lost())
	}
}
