package zmtp_test

import (
	"context"
	"fmt"
	"time"

	"github.com/troupe-go/troupe/net/internal/zmtp"
)

func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ln, err := zmtp.Listen(ctx, "tcp://127.0.0.1:0") // a ROUTER-type endpoint
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	client, err := zmtp.Dial(ctx, ln.Endpoint(), zmtp.WithIdentity([]byte("me")))
	if err != nil {
		panic(err)
	}
	defer client.Close()
	server, err := ln.Accept(ctx)
	if err != nil {
		panic(err)
	}
	defer server.Close()

	// The writer appends a batch, then flushes once.
	_ = client.WriteMessage([]byte("hello"), []byte("world"))
	_ = client.WriteMessage([]byte("bye"))
	if err := client.Flush(); err != nil {
		panic(err)
	}

	var m zmtp.Message // reused: frames are valid until the next read
	for range 2 {
		if err := server.ReadMessage(&m); err != nil {
			panic(err)
		}
		fmt.Printf("%s %s: %q\n", server.PeerSocketType(), server.PeerIdentity(), m.Frames)
	}
	// Output:
	// DEALER me: ["hello" "world"]
	// DEALER me: ["bye"]
}
