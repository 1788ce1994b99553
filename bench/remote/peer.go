package main

import (
	"bufio"
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
// as the peer process: node A, the sender of a throughput run, or the node
// whose echo actor answers a latency run.
const peerEnv = "TROUPE_REMOTE_PEER"

// ErrPeerExited is returned when the peer process ended before the
// measurement did.
var ErrPeerExited = errors.New("remote: peer process exited early")

// spawnFunc builds the command that runs a peer with args. The default
// re-executes this program; tests may substitute others.
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

// A peer is a running peer process. It prints "address ADDR" once its node
// listens, and holds its node open until its stdin is closed. Its waiter
// goroutine is owned by the peer and ends when the process does; finish
// and kill always wait for it.
type peer struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser // closing it releases the peer
	stderr  bytes.Buffer
	address chan string   // the peer's node address, once
	done    chan struct{} // closed by the waiter after err is set
	err     error
}

func startPeer(ctx context.Context, spawn spawnFunc, args []string) (*peer, error) {
	cmd, err := spawn(ctx, args)
	if err != nil {
		return nil, err
	}
	p := &peer{cmd: cmd, address: make(chan string, 1), done: make(chan struct{})}
	cmd.Stderr = &p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("peer stdout: %w", err)
	}
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("peer stdin: %w", err)
	}
	if err := cmd.Start(); err != nil {
		_ = p.stdin.Close()
		return nil, fmt.Errorf("start peer %s: %w", cmd.Path, err)
	}
	go p.wait(stdout)
	return p, nil
}

// wait reads the peer's stdout for its address line, then waits for the
// process to end.
func (p *peer) wait(stdout io.Reader) {
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), "address "); ok {
			select {
			case p.address <- addr:
			default: // a second address line: ignored
			}
		}
	}
	p.err = p.cmd.Wait()
	close(p.done)
}

// addr waits for the peer's node address.
func (p *peer) addr(ctx context.Context) (string, error) {
	select {
	case a := <-p.address:
		return a, nil
	case <-p.done:
		return "", fmt.Errorf("%w before it listened: %s", ErrPeerExited, p.describe())
	case <-ctx.Done():
		return "", fmt.Errorf("wait for the peer's address: %w", context.Cause(ctx))
	}
}

// finish releases the peer, waits for it to end (bounded by ctx: the
// command is killed when ctx ends) and returns its failure, with what it
// wrote to stderr.
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
