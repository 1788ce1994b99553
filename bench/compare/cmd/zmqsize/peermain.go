package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	zmq "github.com/pebbe/zmq4"

	"github.com/troupe-go/troupe/bench/bysize"
)

// The roles a peer process plays.
const (
	rolePush = "push" // throughput sender: PUSH, connects
	roleEcho = "echo" // latency replier: REP, connects
)

// ErrBadRole is returned for an unknown -role in a peer process.
var ErrBadRole = errors.New("zmqsize: unknown peer role")

type peerConfig struct {
	role, endpoint string
	size, count    int
	deadline       time.Time
}

func parsePeer(args []string, stderr io.Writer) (peerConfig, error) {
	var pc peerConfig
	fs := flag.NewFlagSet("zmqsize peer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&pc.role, "role", "", "push or echo")
	fs.StringVar(&pc.endpoint, "endpoint", "", "endpoint to connect to")
	fs.IntVar(&pc.size, "size", 0, "message size in bytes")
	fs.IntVar(&pc.count, "count", 0, "messages to send or requests to answer")
	dl, err := bysize.ParsePeerFlags(fs, args)
	if err != nil {
		return pc, err
	}
	pc.deadline = dl
	if pc.role != rolePush && pc.role != roleEcho {
		return pc, fmt.Errorf("%w: %q", ErrBadRole, pc.role)
	}
	if pc.size < 1 || pc.count < 1 || pc.endpoint == "" {
		return pc, fmt.Errorf("peer needs -endpoint, -size ≥ 1 and -count ≥ 1, got %q, %d, %d",
			pc.endpoint, pc.size, pc.count)
	}
	return pc, nil
}

// runPeer is the peer process (see bysize.RunPeer): it connects to the
// measuring process and plays its role, then holds its socket open until
// release (its stdin) reaches end of file: the measuring side closes it
// once it has everything. It ends by terminating the ZeroMQ context. It
// writes nothing on stdout.
func runPeer(args []string, release io.Reader, _, stderr io.Writer) error {
	pc, err := parsePeer(args, stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithDeadline(context.Background(), pc.deadline)
	defer cancel()
	err = pc.play(ctx, release)
	if termErr := zmq.Term(); err == nil && termErr != nil {
		err = fmt.Errorf("terminate context: %w", termErr)
	}
	return err
}

func (pc peerConfig) play(ctx context.Context, release io.Reader) error {
	t := zmq.PUSH
	if pc.role == roleEcho {
		t = zmq.REP
	}
	sock, err := zmq.NewSocket(t)
	if err != nil {
		return fmt.Errorf("new %v socket: %w", t, err)
	}
	defer sock.Close()
	if err := setTimeouts(sock); err != nil {
		return err
	}
	if err := sock.SetLinger(time.Until(pc.deadline)); err != nil {
		return fmt.Errorf("set linger: %w", err)
	}
	if err := sock.Connect(pc.endpoint); err != nil {
		return fmt.Errorf("connect %s: %w", pc.endpoint, err)
	}
	w := watch{ctx: ctx}
	if pc.role == roleEcho {
		err = echoPeer(sock, pc.size, pc.count, w)
	} else {
		err = pushPeer(sock, pc.size, pc.count, w)
	}
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, release); err != nil {
		return fmt.Errorf("wait for release: %w", err)
	}
	return nil
}
