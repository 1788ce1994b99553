package net

import (
	"testing"

	"github.com/troupe-go/troupe/actor"
)

// TestReadSpin makes sequential requests to a node that polls its
// inbound sockets (the default) and to one that does not: the first
// finds its socket empty after each request and polls it, the second
// never polls, and both answer every request.
func TestReadSpin(t *testing.T) {
	const requests = 50
	for _, tc := range []struct {
		name string
		opts []Option
		spin bool
	}{
		{"default", nil, true},
		{"off", []Option{WithReadSpin(0, 0)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t)
			sysA, _ := startNode(t, endpoint(t, "tcp"))
			sysB, b := startNode(t, endpoint(t, "tcp"), tc.opts...)
			got := make(chan any, requests)
			ref := spawn(t, sysB, echo(got), actor.WithName("echo"))
			remote := actor.Ref{Node: b.Address(), Name: ref.Name, ID: ref.ID}
			for i := range int64(requests) {
				if reply, err := sysA.Request(ctx, remote, msgPing{N: i}); err != nil || reply != (msgPong{N: i}) {
					t.Fatalf("request %d: %#v, %v", i, reply, err)
				}
			}
			st := b.Stats()
			polled := st.SpinCaught + st.SpinMissed
			if tc.spin && polled < requests/2 {
				t.Errorf("%d polls (%d caught, %d missed, %d limited) for %d requests, want one for most",
					polled, st.SpinCaught, st.SpinMissed, st.SpinLimited, requests)
			}
			if !tc.spin && polled+st.SpinLimited != 0 {
				t.Errorf("a node without read spin polled: %+v", st)
			}
		})
	}
}
