package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net"
)

// closeTimeout bounds the teardown of a node and its system.
const closeTimeout = 10 * time.Second

// A benchNode is an actor System made a node, listening on a fresh
// endpoint: 127.0.0.1 with an ephemeral port, or a socket in a private
// temporary directory.
type benchNode struct {
	sys  *actor.System
	node *net.Node
	dir  string // ipc only; removed by close
}

// linkQueue is the high-water mark of the links' queues for messages of
// size bytes: deep for small messages (batching needs a backlog), about
// 256 MiB of them for large ones.
func linkQueue(size int) int {
	return max(16, min(net.DefaultLinkQueue, (256<<20)/max(size, 1)))
}

// sinkMailbox is the capacity of the counting actor's mailbox: 4096
// small messages, about 64 MiB of large ones, at least 4.
func sinkMailbox(size int) int {
	return max(4, min(4096, (64<<20)/max(size, 1)))
}

// listenNode makes a node for messages of size bytes; its inbound
// connections poll their sockets for readSpin (see net.WithReadSpin).
func listenNode(ctx context.Context, transport string, size int, readSpin time.Duration) (*benchNode, error) {
	if err := register(); err != nil {
		return nil, err
	}
	n := &benchNode{sys: actor.NewSystem()}
	endpoint := "tcp://127.0.0.1:0"
	if transport == "ipc" {
		dir, err := os.MkdirTemp("", "troupe-bench")
		if err != nil {
			return nil, fmt.Errorf("ipc directory: %w", err)
		}
		n.dir = dir
		endpoint = "ipc://" + filepath.Join(dir, "node.sock")
	}
	node, err := net.Listen(ctx, n.sys, endpoint, net.WithLinkQueue(linkQueue(size), mailbox.Block), net.WithReadSpin(readSpin, 0))
	if err != nil {
		n.close()
		return nil, fmt.Errorf("listen %s: %w", endpoint, err)
	}
	n.node = node
	return n, nil
}

// spawn starts a top-level actor named name.
func (n *benchNode) spawn(ctx context.Context, name string, b actor.Behavior, capacity int) error {
	_, err := n.sys.Spawn(ctx, b, actor.WithName(name),
		actor.WithMailbox(mailbox.WithCapacity(capacity), mailbox.WithPolicy(mailbox.Block)))
	if err != nil {
		return fmt.Errorf("spawn %s: %w", name, err)
	}
	return nil
}

// close closes the node, shuts the system down and removes the ipc
// directory.
func (n *benchNode) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	var err error
	if n.node != nil {
		err = n.node.Close(ctx)
	}
	err = errors.Join(err, n.sys.Shutdown(ctx))
	if n.dir != "" {
		_ = os.RemoveAll(n.dir)
	}
	return err
}

// isUser reports whether msg was sent by somebody, rather than being one
// of the runtime's lifecycle messages.
func isUser(msg any) bool {
	switch msg.(type) {
	case actor.Started, actor.Stopping, actor.Stopped, actor.Restarting, actor.Terminated:
		return false
	}
	return true
}
