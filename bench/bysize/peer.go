package bysize

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// ErrPeerExited is returned when the peer process ended before the
// measurement did.
var ErrPeerExited = errors.New("bysize: peer process exited early")

// A SpawnFunc builds the command that runs a peer with args. SpawnSelf's
// re-executes the running program; tests substitute others.
type SpawnFunc func(ctx context.Context, args []string) (*exec.Cmd, error)

// SpawnSelf returns the SpawnFunc that re-executes the running binary (a
// command, or its test binary) as a peer, with env=1 in its environment so
// that it knows it is one (see IsPeer). The peer is killed when the
// context ends and, on Linux, when this process dies.
func SpawnSelf(env string) SpawnFunc {
	return func(ctx context.Context, args []string) (*exec.Cmd, error) {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("find own executable: %w", err)
		}
		cmd := exec.CommandContext(ctx, exe, args...)
		cmd.Env = append(os.Environ(), env+"=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		return cmd, nil
	}
}

// IsPeer reports whether this process was started by SpawnSelf(env).
func IsPeer(env string) bool { return os.Getenv(env) != "" }

// DeadlineArg is the value of a peer's -deadline flag: ctx's deadline, or
// an hour from now if it has none, in RFC 3339 with nanoseconds.
func DeadlineArg(ctx context.Context) string {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(time.Hour)
	}
	return deadline.Format(time.RFC3339Nano)
}

// ParsePeerFlags adds the -deadline flag (see DeadlineArg) to fs, parses
// a peer process's args with it, and returns the deadline. A flag error,
// or a missing or malformed deadline, is an error.
func ParsePeerFlags(fs *flag.FlagSet, args []string) (time.Time, error) {
	deadline := fs.String("deadline", "", "RFC 3339 time to give up at")
	if err := fs.Parse(args); err != nil {
		return time.Time{}, fmt.Errorf("peer arguments: %w", err)
	}
	dl, err := time.Parse(time.RFC3339Nano, *deadline)
	if err != nil {
		return time.Time{}, fmt.Errorf("peer -deadline: %w", err)
	}
	return dl, nil
}

// A Peer is a running peer process. It may print "address ADDR" on its
// stdout (once its node listens; see Addr); anything else it prints there
// goes to this process's stderr. It holds on until its stdin is closed
// (Finish, Kill): the measuring side closes it only once it has everything.
// Without this hold, libzmq 4.3.4 over ipc was seen to lose the tail of a
// stream when the sending process exited straight after zmq_ctx_term.
//
// Its waiter goroutine is owned by the Peer and ends when the process
// does; Finish and Kill always wait for it. A Peer is used by one
// goroutine.
type Peer struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser // closing it releases the peer
	stderr  bytes.Buffer
	address chan string   // the peer's address, once
	done    chan struct{} // closed by the waiter after err is set
	err     error
}

// StartPeer starts the command spawn builds for args. The caller must end
// the peer with Finish or Kill.
func StartPeer(ctx context.Context, spawn SpawnFunc, args []string) (*Peer, error) {
	cmd, err := spawn(ctx, args)
	if err != nil {
		return nil, err
	}
	p := &Peer{cmd: cmd, address: make(chan string, 1), done: make(chan struct{})}
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

// wait reads the peer's stdout, taking its address line, until the
// process closes it, then waits for the process to end.
func (p *Peer) wait(stdout io.Reader) {
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		addr, ok := strings.CutPrefix(sc.Text(), "address ")
		if !ok {
			fmt.Fprintln(os.Stderr, sc.Text())
			continue
		}
		select {
		case p.address <- addr:
		default: // a second address line: ignored
		}
	}
	p.err = p.cmd.Wait()
	close(p.done)
}

// Addr waits for the address the peer prints once it listens.
func (p *Peer) Addr(ctx context.Context) (string, error) {
	select {
	case a := <-p.address:
		return a, nil
	case <-p.done:
		return "", fmt.Errorf("%w before it listened: %s", ErrPeerExited, p.describe())
	case <-ctx.Done():
		return "", fmt.Errorf("wait for the peer's address: %w", context.Cause(ctx))
	}
}

// Done is closed once the peer process has ended.
func (p *Peer) Done() <-chan struct{} { return p.done }

// Exited reports, without blocking, whether the peer process has ended:
// nil while it runs, else an error wrapping ErrPeerExited with how it
// ended and what it wrote to stderr.
func (p *Peer) Exited() error {
	select {
	case <-p.done:
		return fmt.Errorf("%w: %s", ErrPeerExited, p.describe())
	default:
		return nil
	}
}

// Finish releases the peer, waits for it to end (bounded by the context
// given to StartPeer: the command is killed when it ends) and returns its
// failure, with what it wrote to stderr.
func (p *Peer) Finish() error {
	_ = p.stdin.Close()
	<-p.done
	if p.err != nil {
		return fmt.Errorf("peer failed: %s", p.describe())
	}
	return nil
}

// Kill stops the peer at once and waits for it.
func (p *Peer) Kill() {
	_ = p.cmd.Process.Kill()
	_ = p.stdin.Close()
	<-p.done
}

func (p *Peer) describe() string {
	status := "exit status 0"
	if p.err != nil {
		status = p.err.Error()
	}
	if msg := strings.TrimSpace(p.stderr.String()); msg != "" {
		return status + ": " + msg
	}
	return status
}
