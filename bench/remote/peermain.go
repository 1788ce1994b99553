package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/bench/bysize"
	"github.com/troupe-go/troupe/net"
)

// The roles a peer process plays.
const (
	roleSend = "send" // node A of a throughput run: streams to the sink of the measuring node
	roleEcho = "echo" // the node whose echo actor answers a latency run
)

// peerEnv marks a re-executed copy of this program (or of its test binary)
// as the peer process: node A, the sender of a throughput run, or the node
// whose echo actor answers a latency run.
const peerEnv = "TROUPE_REMOTE_PEER"

// echoName is the name of the echo actor on a peer.
const echoName = "echo"

// ErrBadRole is returned for an unknown -role in a peer process.
var ErrBadRole = errors.New("remote: unknown peer role")

type peerConfig struct {
	role, transport, target, msg string
	cpuProfile, tracePath        string
	size, count, procs           int
	readSpin                     time.Duration
	deadline                     time.Time
}

func parsePeer(args []string, stderr io.Writer) (peerConfig, error) {
	var pc peerConfig
	fs := flag.NewFlagSet("remote peer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&pc.role, "role", "", "send or echo")
	fs.StringVar(&pc.transport, "transport", "tcp", "tcp or ipc")
	fs.StringVar(&pc.target, "target", "", "send: the measuring node's address")
	fs.StringVar(&pc.msg, "msg", msgBytes, "send: bytes or tick")
	fs.IntVar(&pc.size, "size", 1, "send: message size in bytes")
	fs.IntVar(&pc.count, "count", 0, "send: messages to send")
	fs.StringVar(&pc.cpuProfile, "cpuprofile", "", "write a CPU profile to the file")
	fs.StringVar(&pc.tracePath, "trace", "", "write an execution trace to the file")
	fs.IntVar(&pc.procs, "procs", 0, "GOMAXPROCS, or 0 for Go's default")
	fs.DurationVar(&pc.readSpin, "readspin", net.DefaultReadSpin, "how long inbound connections poll their sockets")
	dl, err := bysize.ParsePeerFlags(fs, args)
	if err != nil {
		return pc, err
	}
	pc.deadline = dl
	switch {
	case pc.role != roleSend && pc.role != roleEcho:
		return pc, fmt.Errorf("%w: %q", ErrBadRole, pc.role)
	case pc.role == roleSend && (pc.target == "" || pc.count < 1 || pc.size < 1):
		return pc, fmt.Errorf("send needs -target, -count ≥ 1 and -size ≥ 1, got %q, %d, %d", pc.target, pc.count, pc.size)
	}
	return pc, nil
}

// runPeer is the peer process (see bysize.RunPeer): it makes a node,
// prints its address, plays its role, and holds the node open until
// release (its stdin) reaches end of file: the measuring side closes it
// once it has everything.
func runPeer(args []string, release io.Reader, stdout, stderr io.Writer) error {
	pc, err := parsePeer(args, stderr)
	if err != nil {
		return err
	}
	if pc.procs > 0 {
		runtime.GOMAXPROCS(pc.procs)
	}
	return withProfile(pc.cpuProfile, pc.tracePath, func() error { return pc.serve(release, stdout) })
}

func (pc peerConfig) serve(release io.Reader, stdout io.Writer) error {
	ctx, cancel := context.WithDeadline(context.Background(), pc.deadline)
	defer cancel()
	n, err := listenNode(ctx, pc.transport, pc.size, pc.readSpin)
	if err != nil {
		return err
	}
	err = pc.play(ctx, n, stdout)
	if err == nil {
		_, err = io.Copy(io.Discard, release)
	}
	return errors.Join(err, n.close())
}

func (pc peerConfig) play(ctx context.Context, n *benchNode, stdout io.Writer) error {
	if pc.role == roleEcho {
		if err := n.spawn(ctx, echoName, echoWith(n.node.Recycle), 16); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, "address", n.node.Address())
	if pc.role == roleSend {
		return pc.send(ctx, n.sys)
	}
	return nil
}

// send streams count messages to the sink of the target node, as fast as
// the link takes them. It looks the sink up first, and sends to its exact
// ref: a message addressed by name costs the receiving system a look-up
// in its name registry each time, which is not what this measures.
func (pc peerConfig) send(ctx context.Context, sys *actor.System) error {
	to, err := sys.LookupOn(ctx, pc.target, sinkName)
	if err != nil {
		return err
	}
	var payload any = make([]byte, pc.size) // boxed once: not an allocation per message
	for i := 1; i <= pc.count; i++ {
		msg := payload
		if pc.msg == msgTick {
			msg = Tick{Seq: uint64(i)}
		}
		if err := sys.Send(ctx, to, msg); err != nil {
			return fmt.Errorf("send message %d of %d: %w", i, pc.count, err)
		}
	}
	return nil
}
