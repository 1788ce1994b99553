package socket_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/socket"
)

// TestReadSpin makes sequential requests from a REQ to a REP, both
// polling their connections (WithReadSpin), and then between a pair that
// does not: each answer is right, the polling pair's Stats count a poll
// for most reads, and the other pair's count none.
func TestReadSpin(t *testing.T) {
	const requests = 40
	for _, tc := range []struct {
		name string
		opt  socket.Option
		spin bool
	}{
		{"polling", socket.WithReadSpin(time.Second, 0), true},
		{"default", socket.WithLinger(socket.DefaultLinger), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sys := newSystem(t)
			rep, err := socket.Rep(testCtx(t), sys, echoReplier(t, sys), socket.Bind("tcp://127.0.0.1:0"), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			req, err := socket.Req(testCtx(t), sys, socket.Connect(endpoint(t, sys, rep)), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			for i := range requests {
				text := fmt.Sprint("ping ", i)
				reply, err := sys.Request(testCtx(t), req, socket.Text(text))
				if m, ok := reply.(socket.Message); err != nil || !ok || !equal(m, socket.Text("re:"+text)) {
					t.Fatalf("request %d: %v, %v", i, reply, err)
				}
			}
			for _, ref := range []actor.Ref{rep, req} {
				st := stats(t, sys, ref)
				polled := st.SpinCaught + st.SpinMissed
				if tc.spin && polled < requests/2 {
					t.Errorf("%s: %d polls (%d caught, %d missed, %d limited) for %d requests, want one for most",
						st.Kind, polled, st.SpinCaught, st.SpinMissed, st.SpinLimited, requests)
				}
				if !tc.spin && polled+st.SpinLimited != 0 {
					t.Errorf("%s polled without WithReadSpin: %+v", st.Kind, st)
				}
			}
		})
	}
}
