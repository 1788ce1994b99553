package bysize

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// A PeerFunc is the main function of a peer process: it plays the peer
// given args, may print "address ADDR" on stdout (see Peer), and holds on
// until release, its stdin, ends.
type PeerFunc func(args []string, release io.Reader, stdout, stderr io.Writer) error

// RunPeer makes this process a peer if SpawnSelf(env) started it: it calls
// peer with the arguments and the standard streams, and exits, with status
// 1 after "NAME peer: error" on stderr if peer fails. Otherwise it returns
// at once. Main calls it first; a command's TestMain calls it too, since
// its tests re-execute the test binary as the peer.
func RunPeer(env, name string, peer PeerFunc) {
	if !IsPeer(env) {
		return
	}
	if err := peer(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, name+" peer:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// Main is the main function of a by-size command that re-executes itself
// as its peer. In a peer it runs peer (see RunPeer). Otherwise it calls
// run with the arguments, stdout and stderr under a context that ends on
// an interrupt or SIGTERM, and exits, with status 1 after "NAME: error" on
// stderr if run fails. It does not return.
func Main(name, peerEnv string, peer PeerFunc,
	run func(ctx context.Context, args []string, stdout, stderr io.Writer) error) {
	RunPeer(peerEnv, name, peer)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// WithOutput calls write with where the JSON lines go: stdout if path is
// "-", else the file at path, created, and truncated unless appendOut, and
// closed after write returns.
func WithOutput(path string, appendOut bool, stdout io.Writer, write func(w io.Writer) error) error {
	if path == "-" {
		return write(stdout)
	}
	mode := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if appendOut {
		mode = os.O_CREATE | os.O_WRONLY | os.O_APPEND
	}
	f, err := os.OpenFile(path, mode, 0o644)
	if err != nil {
		return fmt.Errorf("open output: %w", err)
	}
	err = write(f)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", path, cerr)
	}
	return err
}

// NewLogger returns a command's logger: text to w, warnings and errors
// only unless verbose (-v), which adds a line per measurement (info).
func NewLogger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
