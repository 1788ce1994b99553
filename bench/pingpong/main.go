// Command pingpong measures the floor under W5's request/reply: two plain
// Go processes, no Troupe, bounce a small message over a loopback
// connection, the measuring one writing it and reading the echo, the
// other reading it and writing it back, each on one goroutine with a
// blocking socket. It prints the round trip's 50th and 99th percentiles.
//
//	go run ./bench/pingpong                 # 20,000 round trips of 8 bytes over tcp
//	go run ./bench/pingpong -transport ipc  # over a Unix socket
//
// What it shows on a small virtual machine: a goroutine parked on a
// socket is woken by the kernel, the runtime and the hypervisor, and on
// the 2-vCPU VM of bench/ that costs more than everything else in the
// round trip. Troupe's nodes poll their inbound sockets for a while
// before they park (net.WithReadSpin), which is why W5's request/reply,
// with two actors, a link writer and a connection reader on each side, is
// faster than this loop of two goroutines.
//
// # Flags
//
//	-n          round trips measured (default 20,000), after n/10 unmeasured
//	-size       message size in bytes (default 8)
//	-transport  tcp or ipc (default tcp)
//	-procs      GOMAXPROCS of both processes (default: Go's)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	stdnet "net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/troupe-go/troupe/bench/bysize"
)

// peerEnv marks the re-executed copy of this program that echoes.
const peerEnv = "TROUPE_PINGPONG_PEER"

// ErrBadFlag is returned for an invalid flag value.
var ErrBadFlag = errors.New("pingpong: bad flag")

// ErrBadEcho is returned when the echo differs from the message sent.
var ErrBadEcho = errors.New("pingpong: echo differs from the message")

func main() { bysize.Main("pingpong", peerEnv, runPeer, run) }

type config struct {
	n, size, procs int
	transport      string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("pingpong", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.n, "n", 20_000, "round trips measured")
	fs.IntVar(&c.size, "size", 8, "message size in bytes")
	fs.StringVar(&c.transport, "transport", "tcp", "tcp or ipc")
	fs.IntVar(&c.procs, "procs", 0, "GOMAXPROCS of both processes (0: Go's default)")
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("flags: %w", err)
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("%w: unexpected argument %q", ErrBadFlag, fs.Arg(0))
	case c.n < 1 || c.size < 1 || c.size > 1<<20 || c.procs < 0:
		return c, fmt.Errorf("%w: -n ≥ 1, 1 ≤ -size ≤ 1 MiB, -procs ≥ 0", ErrBadFlag)
	case c.transport != "tcp" && c.transport != "ipc":
		return c, fmt.Errorf("%w: -transport %q (want tcp or ipc)", ErrBadFlag, c.transport)
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if c.procs > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(c.procs))
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	p, err := bysize.StartPeer(ctx, bysize.SpawnSelf(peerEnv), []string{"-transport", c.transport,
		"-procs", strconv.Itoa(c.procs), "-deadline", bysize.DeadlineArg(ctx)})
	if err != nil {
		return err
	}
	lat, err := measure(ctx, p, c)
	if err != nil {
		p.Kill()
		return err
	}
	if err := p.Finish(); err != nil {
		return err
	}
	p50, p99 := percentile(lat, 50), percentile(lat, 99)
	fmt.Fprintf(stdout, "plain Go ping-pong: %d round trips of %d B, %s loopback, two processes (GOMAXPROCS=%d each): p50 %.1f µs, p99 %.1f µs\n",
		c.n, c.size, c.transport, runtime.GOMAXPROCS(0), micros(p50), micros(p99))
	return nil
}

// measure dials the peer and times c.n round trips after c.n/10 warm-ups.
func measure(ctx context.Context, p *bysize.Peer, c config) ([]time.Duration, error) {
	addr, err := p.Addr(ctx)
	if err != nil {
		return nil, err
	}
	var d stdnet.Dialer
	conn, err := d.DialContext(ctx, c.transport2net(), addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	msg, echo := make([]byte, c.size), make([]byte, c.size)
	for i := range msg {
		msg[i] = byte(i)
	}
	lat := make([]time.Duration, 0, c.n)
	for i := range c.n + c.n/10 {
		start := time.Now()
		if _, err := conn.Write(msg); err != nil {
			return nil, fmt.Errorf("round trip %d: %w", i, err)
		}
		if _, err := io.ReadFull(conn, echo); err != nil {
			return nil, fmt.Errorf("round trip %d: %w", i, err)
		}
		if i >= c.n/10 {
			lat = append(lat, time.Since(start))
		}
		if !slices.Equal(msg, echo) {
			return nil, fmt.Errorf("%w: round trip %d", ErrBadEcho, i)
		}
	}
	return lat, nil
}

func (c config) transport2net() string {
	if c.transport == "ipc" {
		return "unix"
	}
	return "tcp"
}

// percentile returns the p-th percentile of d (nearest rank), sorting d.
func percentile(d []time.Duration, p int) time.Duration {
	slices.Sort(d)
	i := (len(d)*p + 99) / 100
	return d[max(i-1, 0)]
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// runPeer is the echoing process: it listens, prints its address, echoes
// one connection until it ends, and waits for release (its stdin) to
// reach end of file.
func runPeer(args []string, release io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pingpong peer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	transport := fs.String("transport", "tcp", "tcp or ipc")
	procs := fs.Int("procs", 0, "GOMAXPROCS (0: Go's default)")
	deadline, err := bysize.ParsePeerFlags(fs, args)
	if err != nil {
		return err
	}
	if *procs > 0 {
		runtime.GOMAXPROCS(*procs)
	}
	ln, cleanup, err := listen(*transport)
	if err != nil {
		return err
	}
	defer cleanup()
	_ = ln.(interface{ SetDeadline(time.Time) error }).SetDeadline(deadline)
	fmt.Fprintln(stdout, "address", ln.Addr().String())
	conn, err := ln.Accept()
	if err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(deadline)
	if err := echo(conn); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, release)
	return err
}

// echo writes back what it reads until the connection ends, with plain
// reads and writes (io.Copy would splice socket to socket in the kernel).
func echo(conn stdnet.Conn) error {
	buf := make([]byte, 64<<10)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return fmt.Errorf("echo: %w", werr)
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("echo: %w", err)
		}
	}
}

// listen listens on a fresh loopback port or Unix socket; cleanup closes
// it and removes the socket's directory.
func listen(transport string) (stdnet.Listener, func(), error) {
	if transport == "tcp" {
		ln, err := stdnet.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, fmt.Errorf("listen: %w", err)
		}
		return ln, func() { _ = ln.Close() }, nil
	}
	dir, err := os.MkdirTemp("", "pingpong")
	if err != nil {
		return nil, nil, fmt.Errorf("socket directory: %w", err)
	}
	ln, err := stdnet.Listen("unix", filepath.Join(dir, "s.sock"))
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("listen: %w", err)
	}
	return ln, func() { _ = ln.Close(); _ = os.RemoveAll(dir) }, nil
}
