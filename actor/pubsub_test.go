package actor_test

import (
	"fmt"
	"runtime/debug"
	"slices"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// collector is an actor that records the publications it receives and
// answers markers, so a test can wait until it has seen everything.
func collector(t *testing.T, sys *actor.System, opts ...actor.SpawnOption) (actor.Ref, <-chan actor.Publication) {
	t.Helper()
	ch := make(chan actor.Publication, 4096)
	ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		switch m := p.Message().(type) {
		case actor.Publication:
			ch <- m
		case marker:
			return p.Reply(m)
		}
		return nil
	}), opts...)
	return ref, ch
}

func drain[T any](ch <-chan T) []T {
	var out []T
	for {
		select {
		case v := <-ch:
			out = append(out, v)
		default:
			return out
		}
	}
}

func topics(pubs []actor.Publication) []string {
	out := make([]string, len(pubs))
	for i, p := range pubs {
		out[i] = p.Topic
	}
	return out
}

// Subscriptions are prefix filters: "" matches everything, "a.b" matches
// "a.b" and "a.b.c" but not "a.c" or "a".
func TestPublishPrefixFilters(t *testing.T) {
	sys := newSystem(t)
	prefixes := []string{"", "a.b", "a.c", "x"}
	refs := make([]actor.Ref, len(prefixes))
	chans := make([]<-chan actor.Publication, len(prefixes))
	funcs := make([][]string, len(prefixes))
	for i, prefix := range prefixes {
		refs[i], chans[i] = collector(t, sys)
		sys.Subscribe(refs[i], prefix)
		sys.Subscribe(refs[i], prefix) // twice: still one delivery
		unsubscribe := sys.SubscribeFunc(prefix, func(p actor.Publication) { funcs[i] = append(funcs[i], p.Topic) })
		defer unsubscribe()
	}
	published := []string{"a.b.c", "a.c", "a.b", "a", "b", "x.y"}
	for i, topic := range published {
		sys.Publish(topic, i)
	}
	want := [][]string{published, {"a.b.c", "a.b"}, {"a.c"}, {"x.y"}}
	for i := range prefixes {
		flush(t, sys, refs[i])
		pubs := drain(chans[i])
		if got := topics(pubs); !slices.Equal(got, want[i]) {
			t.Errorf("actor subscribed to %q got %q, want %q", prefixes[i], got, want[i])
		}
		for _, p := range pubs {
			if p.Message != slices.Index(published, p.Topic) {
				t.Errorf("publication %+v carries the wrong message", p)
			}
		}
		if !slices.Equal(funcs[i], want[i]) {
			t.Errorf("func subscribed to %q got %q, want %q", prefixes[i], funcs[i], want[i])
		}
	}

	// Unsubscribe ends one subscription, not the others.
	sys.Unsubscribe(refs[1], "a.b")
	sys.Publish("a.b.d", "after")
	flush(t, sys, refs[1])
	flush(t, sys, refs[0])
	if got := drain(chans[1]); len(got) != 0 {
		t.Errorf("unsubscribed actor got %v", got)
	}
	if got := drain(chans[0]); len(got) != 1 {
		t.Errorf("catch-all subscriber got %v, want one publication", got)
	}
}

// A subscriber whose Block mailbox is full, behind a handler that is stuck,
// slows neither the publisher nor the other subscribers; every publication
// it misses is a dead letter (ReasonFull: a publication never waits).
func TestPublishStalledSubscriber(t *testing.T) {
	sys := newSystem(t)
	dead := deadLetters(t, sys)
	g := newGate(t)
	stalled := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Publication); ok {
			g.block()
		}
		return nil
	}), actor.WithMailbox(mailbox.WithCapacity(2), mailbox.WithPolicy(mailbox.Block)))
	sys.Subscribe(stalled, "news")
	fast, fastPubs := collector(t, sys, actor.WithMailbox(mailbox.WithCapacity(512)))
	sys.Subscribe(fast, "news")
	var funcCount int
	defer sys.SubscribeFunc("news", func(actor.Publication) { funcCount++ })()

	sys.Publish("news", 0)
	g.wait(t) // the stalled subscriber holds publication 0
	const n = 300
	published := make(chan struct{})
	go func() {
		defer close(published)
		for i := 1; i <= n; i++ {
			sys.Publish("news", i)
		}
	}()
	recv(t, published, "the publisher to finish while a subscriber is stuck")

	flush(t, sys, fast)
	if got := drain(fastPubs); len(got) != n+1 {
		t.Errorf("the fast subscriber got %d publications, want %d", len(got), n+1)
	}
	if funcCount != n+1 {
		t.Errorf("the func subscriber got %d publications, want %d", funcCount, n+1)
	}
	missed := n - 2 // two fit in the stalled mailbox
	for i := range missed {
		dl := recv(t, dead, "dead letter")
		pub, ok := dl.Message.(actor.Publication)
		if dl.Target != stalled || dl.Reason != actor.ReasonFull || !ok || pub.Message != i+3 {
			t.Fatalf("dead letter %d: %+v, want publication %d refused by %v", i, dl, i+3, stalled)
		}
	}
	if st, _ := sys.MailboxStats(stalled); st.Posted != 3 {
		t.Errorf("stalled mailbox %+v: want 3 posted", st)
	}
	g.release()
}

// A subscriber that receives dead-letter events and cannot keep up must not
// turn each miss into another dead-letter event, forever (that overflowed
// the stack and crashed the process).
func TestDeadLetterEventsToFullSubscriber(t *testing.T) {
	// A regression would overflow the stack: make that quick.
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	for _, policy := range []mailbox.Policy{mailbox.Block, mailbox.DropNewest, mailbox.DropOldest, mailbox.Fail} {
		t.Run(policy.String(), func(t *testing.T) {
			sys := newSystem(t)
			g := newGate(t)
			sub := spawn(t, sys, gated(g), actor.WithMailbox(mailbox.WithCapacity(1), mailbox.WithPolicy(policy)))
			sys.Subscribe(sub, "")
			sys.Publish("a", "first")
			g.wait(t)
			for i := range 5 {
				sys.Publish("a", fmt.Sprint(i))
			}
			if n := sys.DeadLetters().Total(); n < 4 {
				t.Errorf("%d dead letters, want at least 4", n)
			}
			g.release()
		})
	}
}

// SubscribeFunc's function runs for each matching publication until it is
// unsubscribed.
func TestSubscribeFunc(t *testing.T) {
	sys := newSystem(t)
	var got []any
	unsubscribe := sys.SubscribeFunc("t.", func(p actor.Publication) { got = append(got, p.Message) })
	sys.Publish("t.1", 1)
	sys.Publish("u.1", 2)
	sys.Publish("t.2", 3)
	unsubscribe()
	sys.Publish("t.3", 4)
	unsubscribe() // idempotent
	if !slices.Equal(got, []any{1, 3}) {
		t.Errorf("got %v, want [1 3]", got)
	}
	if n := actor.SubscriptionCount(sys); n != 0 {
		t.Errorf("%d subscriptions left", n)
	}
}

// An actor's subscriptions end when it dies, whether it subscribed itself
// or was subscribed.
func TestUnsubscribeOnDeath(t *testing.T) {
	sys := newSystem(t)
	subscribed := make(chan struct{})
	ref := spawn(t, sys, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Started); ok {
			p.Subscribe("self.")
			close(subscribed)
		}
		return nil
	}))
	<-subscribed
	sys.Subscribe(ref, "other.")
	if n := actor.SubscriptionCount(sys); n != 2 {
		t.Fatalf("%d subscriptions, want 2", n)
	}
	if err := sys.Stop(testContext(t), ref); err != nil {
		t.Fatal(err)
	}
	if n := actor.SubscriptionCount(sys); n != 0 {
		t.Errorf("%d subscriptions outlived their actor", n)
	}
	sys.Publish("self.x", 1)
	if n := sys.DeadLetters().Total(); n != 0 {
		t.Errorf("%d dead letters from publishing to nobody", n)
	}
}

// A loop actor receives publications in its inbox and can unsubscribe.
func TestPublishToLoop(t *testing.T) {
	sys := newSystem(t)
	got := make(chan actor.Publication, 8)
	ref := spawn(t, sys, actor.Loop(func(p *actor.Process, inbox <-chan any) error {
		p.Subscribe("loop")
		for {
			select {
			case <-p.Context().Done():
				return nil
			case v := <-inbox:
				switch m := p.Accept(v).(type) {
				case actor.Publication:
					got <- m
					p.Unsubscribe("loop")
				case marker:
					if err := p.Reply(m); err != nil {
						return err
					}
				}
			}
		}
	}))
	flush(t, sys, ref) // the loop has subscribed
	sys.Publish("loop.1", 1)
	if p := recv(t, got, "publication"); p.Topic != "loop.1" || p.Message != 1 {
		t.Errorf("publication %+v", p)
	}
	flush(t, sys, ref) // and unsubscribed
	sys.Publish("loop.2", 2)
	flush(t, sys, ref)
	noMore(t, got, "publication after Unsubscribe")
}
