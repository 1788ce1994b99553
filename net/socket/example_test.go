package socket_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/socket"
)

// A PUSH socket is a ref: what is sent to it goes to a PULL peer, here a
// PULL socket that feeds an actor. The PULL connects before anybody
// listens; the PUSH holds the messages until the connection is up.
func ExamplePush() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sys := actor.NewSystem()
	defer sys.Shutdown(ctx)

	done := make(chan struct{})
	worker, _ := sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		if m, ok := p.Message().(socket.Message); ok {
			fmt.Println("worker got", m.Strings())
			if string(m.Frames[0]) == "last" {
				close(done)
			}
		}
		return nil
	}))
	push, err := socket.Push(ctx, sys, socket.Bind("tcp://127.0.0.1:0"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, task := range []string{"wash", "dry", "last"} {
		_ = sys.Send(ctx, push, socket.Text(task, "")) // multipart, with an empty frame
	}
	ep, _ := socket.Endpoint(ctx, sys, push)
	_, _ = socket.Pull(ctx, sys, worker, socket.Connect(ep))
	<-done
	st, _ := socket.StatsOf(ctx, sys, push)
	fmt.Println("sent:", st.Sent, "dropped:", st.Dropped.Total())
	// Output:
	// worker got [wash ]
	// worker got [dry ]
	// worker got [last ]
	// sent: 3 dropped: 0
}

// A REQ socket makes requests with socket.Request; a REP socket hands
// each request to an actor, whose p.Reply is the reply.
func ExampleReq() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sys := actor.NewSystem()
	defer sys.Shutdown(ctx)

	upper, _ := sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		if m, ok := p.Message().(socket.Message); ok {
			return p.Reply(socket.Text(strings.ToUpper(string(m.Frames[0]))))
		}
		return nil
	}))
	rep, _ := socket.Rep(ctx, sys, upper, socket.Bind("tcp://127.0.0.1:0"))
	ep, _ := socket.Endpoint(ctx, sys, rep)
	req, _ := socket.Req(ctx, sys, socket.Connect(ep))
	for _, word := range []string{"hello", "world"} {
		reply, err := socket.Request(ctx, sys, req, socket.Text(word))
		fmt.Println(reply.Strings(), err)
	}
	// Output:
	// [HELLO] <nil>
	// [WORLD] <nil>
}

// A SUB socket delivers the messages whose first frame starts with one of
// its topics. The PUB filters: the subscription events tell when it knows
// what the subscriber wants.
func ExampleSub() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sys := actor.NewSystem()
	defer sys.Shutdown(ctx)

	subscribed := make(chan struct{}, 1)
	unsubscribe := sys.SubscribeFunc(socket.TopicSubscription, func(actor.Publication) { subscribed <- struct{}{} })
	defer unsubscribe()
	got := make(chan socket.Message, 10)
	reader, _ := sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		if m, ok := p.Message().(socket.Message); ok {
			got <- m
		}
		return nil
	}))
	pub, _ := socket.Pub(ctx, sys, socket.Bind("tcp://127.0.0.1:0"))
	ep, _ := socket.Endpoint(ctx, sys, pub)
	_, _ = socket.Sub(ctx, sys, reader, []string{"weather."}, socket.Connect(ep))
	<-subscribed
	_ = sys.Send(ctx, pub, socket.Text("sport.tennis", "6-4"))
	_ = sys.Send(ctx, pub, socket.Text("weather.paris", "rain"))
	fmt.Println((<-got).Strings())
	st, _ := socket.StatsOf(ctx, sys, pub)
	fmt.Println("sent:", st.Sent, "unwanted:", st.Dropped[socket.DropNoSubscriber])
	// Output:
	// [weather.paris rain]
	// sent: 1 unwanted: 1
}
