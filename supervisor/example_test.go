package supervisor_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/supervisor"
)

// decisions subscribes to the supervisors' ChildExit events. The channel
// is buffered: a subscriber function must never block the publisher.
func decisions(sys *actor.System) (<-chan supervisor.ChildExit, func()) {
	ch := make(chan supervisor.ChildExit, 16)
	stop := sys.SubscribeFunc(supervisor.TopicChildExit, func(p actor.Publication) {
		select {
		case ch <- p.Message.(supervisor.ChildExit):
		default:
		}
	})
	return ch, stop
}

// A rest-for-one pipeline: when the filter crashes, it and the stage
// started after it are restarted; the source keeps running.
func ExampleSpec() {
	ctx := context.Background()
	sys := actor.NewSystem()
	defer sys.Shutdown(ctx)
	exits, unsubscribe := decisions(sys)
	defer unsubscribe()

	stage := actor.Func(func(p *actor.Process) error {
		if p.Message() == "crash" {
			return errors.New("crashed")
		}
		return nil
	})
	spec := supervisor.NewSpec(supervisor.RestForOne,
		supervisor.ChildSpec{Name: "source", Behavior: stage},
		supervisor.ChildSpec{Name: "filter", Behavior: stage},
		supervisor.ChildSpec{Name: "sink", Behavior: stage, Restart: supervisor.Transient},
	)
	sup, err := supervisor.Start(ctx, sys, spec, actor.WithName("pipeline"))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := sys.Send(ctx, actor.Ref{Name: "pipeline/filter"}, "crash"); err != nil {
		fmt.Println(err)
		return
	}
	d := <-exits
	fmt.Printf("%s exited (%v): %v %v\n", d.Child, d.Reason, d.Action, d.Group)

	children, err := supervisor.WhichChildren(ctx, sys, sup)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range children {
		fmt.Printf("%s: %v %v, %d starts\n", c.Ref.Name, c.Restart, c.State, c.Starts)
	}
	// Output:
	// filter exited (actor: failed: crashed): restart [filter sink]
	// pipeline/source: permanent running, 1 starts
	// pipeline/filter: permanent running, 2 starts
	// pipeline/sink: transient running, 2 starts
}

// The suicidal snail: a consumer that cannot keep up with a feed is
// stopped as a slow consumer, and left stopped, while the feed goes on.
func ExampleSnail() {
	ctx := context.Background()
	sys := actor.NewSystem()
	defer sys.Shutdown(ctx)
	exits, unsubscribe := decisions(sys)
	defer unsubscribe()
	slow := make(chan actor.SlowConsumer, 1)
	defer sys.SubscribeFunc(actor.TopicSlowConsumer, func(p actor.Publication) {
		select {
		case slow <- p.Message.(actor.SlowConsumer):
		default:
		}
	})()

	gate := make(chan struct{}) // the consumer is stuck until the gate opens
	consumer := actor.Func(func(p *actor.Process) error {
		switch p.Message().(type) {
		case actor.Started:
			p.Subscribe("prices")
		case actor.Publication:
			<-gate
		}
		return nil
	})
	snail := supervisor.Snail{MaxDelay: 50 * time.Millisecond} // DefaultSnail() says 1 s
	spec := supervisor.NewSpec(supervisor.OneForOne,
		supervisor.ChildSpec{Name: "consumer", Behavior: consumer, Snail: &snail},
	)
	if _, err := supervisor.Start(ctx, sys, spec, actor.WithName("feed")); err != nil {
		fmt.Println(err)
		return
	}
	for price := range 10 {
		sys.Publish("prices", price) // never waits, whatever the consumer does
	}

	ev := <-slow
	close(gate) // let the stuck handler return, so that the consumer can stop
	var se *supervisor.SnailError
	if errors.As(ev.Reason, &se) {
		fmt.Printf("%s is a slow consumer (%v), %d messages posted to it\n", ev.Ref.Name, se.Limit, ev.Mailbox.Posted)
	}
	d := <-exits
	fmt.Println(d.Child, "exited as a slow consumer:", errors.Is(d.Reason, actor.ErrSlowConsumer), "; action:", d.Action)
	// Output:
	// feed/consumer is a slow consumer (max-delay), 10 messages posted to it
	// consumer exited as a slow consumer: true ; action: none
}

// A Sequence tells a consumer when it lost messages.
func ExampleSequence() {
	var seq supervisor.Sequence
	for _, n := range []uint64{7, 8, 9, 12} {
		if err := seq.Check(n); err != nil {
			var gap *supervisor.GapError
			errors.As(err, &gap)
			fmt.Println(gap.Missed(), "missed;", errors.Is(err, actor.ErrSlowConsumer))
		}
	}
	// Output:
	// 2 missed; true
}
