package net_test

import (
	"context"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net"
)

// Greet is a message type; both nodes register it under the same name.
type Greet struct{ Who string }

func init() { net.MustRegister[Greet](net.DefaultCodec, "example.Greet") }

// greeter answers each Greet with a greeting.
func greeter() actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		if g, ok := p.Message().(Greet); ok {
			return p.Reply("hello, " + g.Who)
		}
		return nil
	})
}

// Two nodes in one process: one runs a greeter, the other finds it by
// name and asks it something.
func ExampleListen() {
	ctx := context.Background()

	server := actor.NewSystem()
	defer server.Shutdown(ctx) // closes the node too
	node, err := net.Listen(ctx, server, "tcp://127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	_, err = server.Spawn(ctx, greeter(), actor.WithName("greeter"))
	if err != nil {
		panic(err)
	}

	client := actor.NewSystem()
	defer client.Shutdown(ctx)
	if _, err := net.Listen(ctx, client, "tcp://127.0.0.1:0"); err != nil {
		panic(err)
	}
	ref, err := client.LookupOn(ctx, node.Address(), "greeter")
	if err != nil {
		panic(err)
	}
	reply, err := client.Request(ctx, ref, Greet{Who: "world"})
	fmt.Println(reply, err)
	// Output: hello, world <nil>
}

// A node spawns actors on another node from the kinds registered there.
func ExampleNode_SpawnRemote() {
	ctx := context.Background()
	worker := actor.NewSystem()
	defer worker.Shutdown(ctx)
	workerNode, err := net.Listen(ctx, worker, "tcp://127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	err = workerNode.RegisterKind("doubler", actor.Func(func(p *actor.Process) error {
		if n, ok := p.Message().(int64); ok {
			return p.Reply(2 * n)
		}
		return nil
	}))
	if err != nil {
		panic(err)
	}

	boss := actor.NewSystem()
	defer boss.Shutdown(ctx)
	bossNode, err := net.Listen(ctx, boss, "tcp://127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	ref, err := bossNode.SpawnRemote(ctx, workerNode.Address(), "doubler", "d1")
	if err != nil {
		panic(err)
	}
	reply, err := boss.Request(ctx, ref, int64(21))
	fmt.Println(ref.Name, reply, err)
	// Output: d1 42 <nil>
}

// An actor that is done with a big []byte from another node gives it
// back: the node reads a later big message into the same memory instead
// of new memory, and the garbage collector has nothing to do. Here a
// store keeps a checksum of each 1 MB blob it is sent, then recycles it.
func ExampleNode_Recycle() {
	ctx := context.Background()
	server := actor.NewSystem()
	defer server.Shutdown(ctx)
	node, err := net.Listen(ctx, server, "tcp://127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	_, err = server.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		blob, ok := p.Message().([]byte)
		if !ok {
			return nil
		}
		sum := 0
		for _, b := range blob {
			sum += int(b)
		}
		node.Recycle(blob) // blob must not be used after this
		return p.Reply(sum)
	}), actor.WithName("store"))
	if err != nil {
		panic(err)
	}

	client := actor.NewSystem()
	defer client.Shutdown(ctx)
	if _, err := net.Listen(ctx, client, "tcp://127.0.0.1:0"); err != nil {
		panic(err)
	}
	store := actor.Ref{Node: node.Address(), Name: "store"}
	blob := make([]byte, 1<<20)
	for i := range 3 {
		blob[0] = byte(i + 1) // a new blob each time: a sent []byte must not change
		sum, err := client.Request(ctx, store, append([]byte(nil), blob...))
		fmt.Println(sum, err)
	}
	fmt.Println("buffers reused:", node.Stats().Reused > 0)
	// Output:
	// 1 <nil>
	// 2 <nil>
	// 3 <nil>
	// buffers reused: true
}

// A node that answers requests polls its inbound sockets a little longer
// than the default, for clients that think a while between requests; a
// client node that values CPU over latency does not poll at all.
func ExampleWithReadSpin() {
	ctx := context.Background()
	server := actor.NewSystem()
	defer server.Shutdown(ctx)
	node, err := net.Listen(ctx, server, "tcp://127.0.0.1:0", net.WithReadSpin(200*time.Microsecond, 0))
	if err != nil {
		panic(err)
	}
	_, err = server.Spawn(ctx, greeter(), actor.WithName("greeter"))
	if err != nil {
		panic(err)
	}

	client := actor.NewSystem()
	defer client.Shutdown(ctx)
	clientNode, err := net.Listen(ctx, client, "tcp://127.0.0.1:0", net.WithReadSpin(0, 0))
	if err != nil {
		panic(err)
	}
	ref := actor.Ref{Node: node.Address(), Name: "greeter"}
	for range 10 {
		if _, err := client.Request(ctx, ref, Greet{Who: "again"}); err != nil {
			panic(err)
		}
	}
	st, cst := node.Stats(), clientNode.Stats()
	fmt.Println("server polled:", st.SpinCaught+st.SpinMissed > 0)
	fmt.Println("client polled:", cst.SpinCaught+cst.SpinMissed+cst.SpinLimited > 0)
	// Output:
	// server polled: true
	// client polled: false
}
