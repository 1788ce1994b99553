package actor_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// A handler-form actor: Receive is called once per message, lifecycle
// messages included. Spawn returns once Started has been handled; Stop
// returns once Stopped has been.
func ExampleSystem_Spawn() {
	ctx := context.Background()
	sys := actor.NewSystem()
	defer sys.Shutdown(ctx)

	greeter, err := sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case actor.Started:
			fmt.Println("started as", p.Self().Name)
		case string:
			return p.Reply("hello, " + m)
		case actor.Stopped:
			fmt.Println("stopped:", m.Reason)
		}
		return nil
	}), actor.WithName("greeter"))
	if err != nil {
		fmt.Println(err)
		return
	}
	reply, err := sys.Request(ctx, greeter, "world")
	fmt.Println(reply, err)
	if err := sys.Stop(ctx, greeter); err != nil {
		fmt.Println(err)
	}
	_, found := sys.Lookup("greeter")
	fmt.Println("still registered:", found)
	// Output:
	// started as greeter
	// hello, world <nil>
	// stopped: actor: stopped normally
	// still registered: false
}

// Request waits for the reply to its own message, bounded by its context.
// A timeout names the target and the message type; a request to an actor
// that is gone fails at once.
func ExampleSystem_Request() {
	ctx := context.Background()
	sys := actor.NewSystem()
	defer sys.Shutdown(ctx)

	calc, _ := sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case int:
			return p.Reply(m * m)
		case string:
			// Never answers strings.
		}
		return nil
	}), actor.WithName("calc"))

	r, err := sys.Request(ctx, calc, 12)
	fmt.Println(r, err)

	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	_, err = sys.Request(short, calc, "twelve")
	var te *actor.TimeoutError
	if errors.As(err, &te) {
		fmt.Println("timeout:", te.Target.Name, te.MsgType, errors.Is(err, context.DeadlineExceeded))
	}

	_ = sys.Stop(ctx, calc)
	_, err = sys.Request(ctx, calc, 12)
	fmt.Println(errors.Is(err, actor.ErrNotFound))
	// Output:
	// 144 <nil>
	// timeout: calc string true
	// true
}

// A watcher gets one Terminated when the actor it watches stops, with the
// reason.
func ExampleSystem_Watch() {
	ctx := context.Background()
	sys := actor.NewSystem()
	defer sys.Shutdown(ctx)

	worker, _ := sys.Spawn(ctx, actor.Func(func(*actor.Process) error { return nil }), actor.WithName("worker"))
	done := make(chan struct{})
	_, _ = sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case actor.Started:
			return p.Watch(worker)
		case actor.Terminated:
			fmt.Printf("%s terminated: %v\n", m.Ref.Name, m.Reason)
			close(done)
		}
		return nil
	}))
	_ = sys.Exit(ctx, worker, errors.New("no more work"))
	<-done
	// Output:
	// worker terminated: no more work
}

// A loop-form actor owns its goroutine and selects on its inbox together
// with a ticker, like CZMQ's zactor. This one answers "ping" at once and
// an afterTicks request once that many ticks have passed.
func ExampleLoop() {
	ctx := context.Background()
	sys := actor.NewSystem()
	defer sys.Shutdown(ctx)

	type afterTicks struct{ n int }
	type waiter struct {
		who actor.Ref
		n   int
	}
	timer, _ := sys.Spawn(ctx, actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		ticker := time.NewTicker(time.Millisecond)
		defer ticker.Stop()
		var waiting []waiter
		for {
			select {
			case <-p.Context().Done():
				return nil
			case <-ticker.C:
				for i := range waiting {
					waiting[i].n--
				}
				for len(waiting) > 0 && waiting[0].n <= 0 {
					_ = p.Send(waiting[0].who, "ticked")
					waiting = waiting[1:]
				}
			case v := <-inbox:
				switch m := p.Accept(v).(type) {
				case afterTicks:
					waiting = append(waiting, waiter{who: p.Sender(), n: m.n})
				case string:
					_ = p.Reply(strings.ToUpper(m))
				}
			}
		}
	}))
	r, _ := sys.Request(ctx, timer, "ping")
	fmt.Println(r)
	r, _ = sys.Request(ctx, timer, afterTicks{n: 3})
	fmt.Println(r)
	// Output:
	// PING
	// ticked
}

// Publish delivers to every subscriber whose prefix starts the topic:
// actors receive a Publication in their mailbox, functions are called on
// the publisher's goroutine.
func ExampleSystem_Publish() {
	ctx := context.Background()
	sys := actor.NewSystem()
	defer sys.Shutdown(ctx)

	type report struct{}
	sports, _ := sys.Spawn(ctx, actor.New(func() actor.Handler {
		var seen []string // the handler's own state
		return actor.HandlerFunc(func(p *actor.Process) error {
			switch m := p.Message().(type) {
			case actor.Publication:
				seen = append(seen, fmt.Sprintf("%s=%v", m.Topic, m.Message))
			case report:
				return p.Reply(strings.Join(seen, " "))
			}
			return nil
		})
	}))
	sys.Subscribe(sports, "news.sport")
	unsubscribe := sys.SubscribeFunc("news.", func(pub actor.Publication) {
		fmt.Println("news:", pub.Topic, pub.Message)
	})
	defer unsubscribe()

	sys.Publish("news.sport.tennis", "6-4")
	sys.Publish("news.weather", "rain")
	sys.Publish("gossip", "none of your business")
	sys.Publish("news.sport.chess", "draw")

	seen, _ := sys.Request(ctx, sports, report{}) // queued after the publications
	fmt.Println("sports desk:", seen)
	// Output:
	// news: news.sport.tennis 6-4
	// news: news.weather rain
	// news: news.sport.chess draw
	// sports desk: news.sport.tennis=6-4 news.sport.chess=draw
}
