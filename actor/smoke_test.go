package actor_test

import (
	"context"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
)

func TestSmoke(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sys := actor.NewSystem()
	echo, err := sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		if s, ok := p.Message().(string); ok {
			return p.Reply("echo " + s)
		}
		return nil
	}), actor.WithName("echo"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		r, err := sys.Request(ctx, echo, "hi")
		if err != nil || r != "echo hi" {
			t.Fatalf("request %d: %v %v", i, r, err)
		}
	}
	if ref, ok := sys.Lookup("echo"); !ok || ref != echo {
		t.Fatalf("lookup: %v %v", ref, ok)
	}
	if err := sys.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}
