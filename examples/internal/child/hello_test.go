package child_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/child"
)

// Hellos hands each greeting to the channel and ignores other messages; a
// greeting beyond the channel's room fails the actor.
func TestHellos(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	sys := actor.NewSystem()
	defer func() {
		if err := sys.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	}()
	failures := make(chan error, 4)
	defer sys.SubscribeFunc(actor.TopicEvents, func(pub actor.Publication) {
		var reason error
		switch ev := pub.Message.(type) {
		case actor.Restarted:
			reason = ev.Reason
		case actor.ActorStopped:
			reason = ev.Reason
		}
		if errors.Is(reason, child.ErrUnexpectedHello) {
			select {
			case failures <- reason:
			default:
			}
		}
	})()
	hellos := make(chan string, 1)
	ref, err := sys.Spawn(ctx, child.Hellos(hellos))
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range []any{42, "up", "one too many"} {
		if err := sys.Send(ctx, ref, msg); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case err := <-failures:
		if got := <-hellos; got != "up" || !strings.HasSuffix(err.Error(), "child: unexpected hello: one too many") {
			t.Errorf("greeting %q, failure %v", got, err)
		}
	case <-ctx.Done():
		t.Fatalf("no failure for the greeting beyond the room: %v", context.Cause(ctx))
	}
}
