package socket

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// A socket actor that fails (here: a nil peer reported to it, a bug's
// stand-in) is torn down like a stopped one, restarted by the system
// under its name, and binds the same endpoint again.
func TestRestartRebinds(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sys := actor.NewSystem()
	defer func() {
		if err := sys.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	}()
	cfg := newConfig([]Option{Bind("tcp://127.0.0.1:0"), WithName("restarting")})
	s := newSock(sys, KindPush, actor.Ref{}, nil, cfg)
	if err := s.listen(ctx); err != nil {
		t.Fatal(err)
	}
	first, err := s.spawn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	restarted := make(chan actor.Restarted, 1)
	defer sys.SubscribeFunc(actor.TopicRestarted, func(p actor.Publication) {
		restarted <- p.Message.(actor.Restarted)
	})()
	ep, err := Endpoint(ctx, sys, first)
	if err != nil {
		t.Fatal(err)
	}
	s.events <- peerExit{} // nil peer: the loop panics
	var r actor.Restarted
	select {
	case r = <-restarted:
	case <-ctx.Done():
		t.Fatal("the socket was not restarted")
	}
	if r.Old != first || r.New.Name != "restarting" {
		t.Fatalf("restarted %v as %v", r.Old, r.New)
	}
	// The new incarnation registers for StatsOf when its loop starts: a
	// request it answers (with an error: not a Message) means it has.
	if _, err := sys.Request(ctx, r.New, "are you there?"); !errors.Is(err, ErrBadMessage) {
		t.Fatalf("request to the restarted socket: %v, want ErrBadMessage", err)
	}
	again, err := Endpoint(ctx, sys, r.New)
	if err != nil {
		t.Fatal(err)
	}
	if again != ep {
		t.Fatalf("the restarted socket is bound to %s, want %s again", again, ep)
	}
}
