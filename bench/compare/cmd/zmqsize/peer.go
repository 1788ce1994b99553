package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

// peerEnv marks a re-executed copy of this program (or of its test binary)
// as the peer process: the sender of a throughput run, or the echo side of a
// latency run.
const peerEnv = "ZMQSIZE_PEER"

// ErrPeerExited is returned when the peer process ended before the
// measurement did.
var ErrPeerExited = errors.New("zmqsize: peer process exited early")

// spawnFunc builds the command that runs a peer with args. The default
// re-executes this program; tests substitute failing commands.
type spawnFunc func(ctx context.Context, args []string) (*exec.Cmd, error)

// spawnSelf re-executes the running binary as a peer. The peer is killed
// when ctx ends and, on Linux, when this process dies.
func spawnSelf(ctx context.Context, args []string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), peerEnv+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return cmd, nil
}

// A peer is a running peer process. Its waiter goroutine is owned by the
// peer and ends when the process does; finish or kill always waits for it.
//
// The peer keeps its socket open until its stdin is closed: the measuring
// side closes it only once it has received everything. Without this hold,
// libzmq 4.3.4 over ipc was seen to lose the tail of a stream when the
// sending process exited straight after zmq_ctx_term (pyzmq peers too).
type peer struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser // closing it releases the peer
	stderr bytes.Buffer
	done   chan struct{} // closed by the waiter after err is set
	err    error
}

func startPeer(ctx context.Context, spawn spawnFunc, args []string) (*peer, error) {
	cmd, err := spawn(ctx, args)
	if err != nil {
		return nil, err
	}
	p := &peer{cmd: cmd, done: make(chan struct{})}
	cmd.Stdout = os.Stderr
	cmd.Stderr = &p.stderr
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("peer stdin: %w", err)
	}
	if err := cmd.Start(); err != nil {
		_ = p.stdin.Close()
		return nil, fmt.Errorf("start peer %s: %w", cmd.Path, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// gone reports, without blocking, an error if the peer process has ended:
// the measuring side calls it while it waits for the peer's messages.
func (p *peer) gone() error {
	select {
	case <-p.done:
		return fmt.Errorf("%w: %s", ErrPeerExited, p.describe())
	default:
		return nil
	}
}

// finish waits for the peer to end (bounded by ctx: the command is killed
// when ctx ends) and returns its failure, with what it wrote to stderr.
func (p *peer) finish() error {
	_ = p.stdin.Close()
	<-p.done
	if p.err != nil {
		return fmt.Errorf("peer failed: %s", p.describe())
	}
	return nil
}

// kill stops the peer at once and waits for it.
func (p *peer) kill() {
	_ = p.cmd.Process.Kill()
	_ = p.stdin.Close()
	<-p.done
}

func (p *peer) describe() string {
	status := "exit status 0"
	if p.err != nil {
		status = p.err.Error()
	}
	if msg := strings.TrimSpace(p.stderr.String()); msg != "" {
		return status + ": " + msg
	}
	return status
}
