package mailbox_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/troupe-go/troupe/mailbox"
)

// A DropNewest mailbox behaves like a ZeroMQ PUB socket: once full, new
// messages are discarded, counted and handed to the drop handler.
func ExampleMailbox_Stats() {
	mb := mailbox.New(
		mailbox.WithCapacity(2),
		mailbox.WithPolicy(mailbox.DropNewest),
		mailbox.WithDropHandler(func(msg any, why mailbox.DropReason) {
			fmt.Println("dead letter:", msg, why)
		}),
	)
	for _, m := range []string{"a", "b", "c", "d"} {
		if err := mb.Post(context.Background(), m); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println("received:", <-mb.C())
	s := mb.Stats()
	fmt.Printf("posted=%d received=%d dropped=%d depth=%d max=%d lost=%d\n",
		s.Posted, s.Received, s.Dropped, s.Depth, s.MaxDepth, s.Lost())
	// Output:
	// dead letter: c dropped-newest
	// dead letter: d dropped-newest
	// received: a
	// posted=2 received=1 dropped=2 depth=1 max=2 lost=2
}

// Under the Fail policy a full mailbox refuses the message and the sender
// decides what to do with it.
func ExampleMailbox_Post_fail() {
	mb := mailbox.New(mailbox.WithCapacity(1), mailbox.WithPolicy(mailbox.Fail))
	fmt.Println(mb.Post(context.Background(), "first"))
	err := mb.Post(context.Background(), "second")
	fmt.Println(err, errors.Is(err, mailbox.ErrFull))
	fmt.Println(<-mb.C(), mb.Stats().Rejected)
	mb.Close()
	fmt.Println(mb.Post(context.Background(), "third"))
	// Output:
	// <nil>
	// mailbox: full true
	// first 1
	// mailbox: closed
}

// Under Block a post waits for room until its context ends, and returns an
// error wrapping the context's cause.
func ExampleMailbox_Post_block() {
	mb := mailbox.New(mailbox.WithCapacity(1))
	_ = mb.Post(context.Background(), "first")
	ctx, cancel := context.WithCancelCause(context.Background())
	shutdown := errors.New("shutting down")
	cancel(shutdown)
	err := mb.Post(ctx, "second")
	fmt.Println(err)
	fmt.Println(errors.Is(err, shutdown))
	// Output:
	// mailbox: full, gave up waiting: shutting down
	// true
}

// System messages bypass a full user lane.
func ExampleMailbox_PostSystem() {
	mb := mailbox.New(mailbox.WithCapacity(1), mailbox.WithPolicy(mailbox.Fail))
	_ = mb.Post(context.Background(), "work")
	mb.PostSystem("stop")
	mb.PostSystem("watch")
	n := mb.DrainSystem(func(msg any) { fmt.Println("system:", msg) })
	fmt.Println(n, "handled;", mb.Len(), "user message waiting")
	// Output:
	// system: stop
	// system: watch
	// 2 handled; 1 user message waiting
}

func ExampleParsePolicy() {
	p, err := mailbox.ParsePolicy("drop-oldest")
	fmt.Println(p, err, p == mailbox.DropOldest)
	_, err = mailbox.ParsePolicy("newest")
	fmt.Println(err)
	// Output:
	// drop-oldest <nil> true
	// mailbox: unknown policy "newest"
}

// A transport posts a run of messages as one value; the owner unbatches
// it and handles the messages in order. Each counts against the mark.
func ExampleMailbox_PostBatch() {
	mb := mailbox.New(mailbox.WithCapacity(4))
	fmt.Println("batch posted:", mb.PostBatch([]any{"a", "b", "c"}))
	fmt.Println("depth:", mb.Len())
	fmt.Println("too big:", mb.PostBatch([]any{"d", "e"}))
	switch v := (<-mb.C()).(type) {
	case *mailbox.Batch:
		for _, m := range mb.Unbatch(v) {
			fmt.Println("handle", m)
		}
	default:
		fmt.Println("handle", v)
	}
	fmt.Println("depth:", mb.Len())
	// Output:
	// batch posted: true
	// depth: 3
	// too big: false
	// handle a
	// handle b
	// handle c
	// depth: 0
}
