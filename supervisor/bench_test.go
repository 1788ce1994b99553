package supervisor_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/supervisor"
)

// benchRestarts measures a full failure cycle: a message makes a child
// fail, the supervisor restarts it (and, for one-for-all, its siblings),
// and the caller learns of it through the ChildExit event.
func benchRestarts(b *testing.B, strategy supervisor.Strategy, siblings int) {
	ctx := context.Background()
	sys := actor.NewSystem()
	defer sys.Shutdown(ctx)
	done := make(chan struct{}, 1)
	defer sys.SubscribeFunc(supervisor.TopicChildExit, func(actor.Publication) { done <- struct{}{} })()
	fail := actor.Func(func(p *actor.Process) error {
		if p.Message() == "fail" {
			return errBoom
		}
		return nil
	})
	spec := supervisor.Spec{Strategy: strategy, Intensity: 1 << 20, Period: time.Millisecond}
	spec.Children = append(spec.Children, supervisor.ChildSpec{Name: "w", Behavior: fail})
	for i := range siblings {
		spec.Children = append(spec.Children, supervisor.ChildSpec{Name: fmt.Sprintf("s%d", i), Behavior: fail})
	}
	if _, err := supervisor.Start(ctx, sys, spec, actor.WithName("sup")); err != nil {
		b.Fatal(err)
	}
	w := actor.Ref{Name: "sup/w"}
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		if err := sys.Send(ctx, w, "fail"); err != nil {
			b.Fatal(err)
		}
		<-done
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "restarts/s")
}

func BenchmarkRestartOneForOne(b *testing.B)    { benchRestarts(b, supervisor.OneForOne, 0) }
func BenchmarkRestartOneForAll8(b *testing.B)   { benchRestarts(b, supervisor.OneForAll, 7) }
func BenchmarkRestartOneForOneBig(b *testing.B) { benchRestarts(b, supervisor.OneForOne, 63) }
func BenchmarkRestartRestForOne8(b *testing.B)  { benchRestarts(b, supervisor.RestForOne, 7) }
