package zmtp

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	stdnet "net"
	"os"
	"strings"
	"syscall"
)

// bind listens on ep; for an ipc path it first removes a stale socket.
func bind(ctx context.Context, ep Endpoint) (stdnet.Listener, error) {
	if ep.Transport == "ipc" && !strings.HasPrefix(ep.Addr, "@") {
		if err := removeStale(ctx, ep.Addr); err != nil {
			return nil, err
		}
	}
	var lc stdnet.ListenConfig
	ln, err := lc.Listen(ctx, ep.network(), ep.Addr)
	if err != nil {
		return nil, err
	}
	if ul, ok := ln.(*stdnet.UnixListener); ok {
		ul.SetUnlinkOnClose(true) // Close removes the socket file
	}
	return ln, nil
}

// removeStale removes the socket file at path if no process listens on
// it. It refuses to remove anything that is not a socket, and reports a
// socket in use.
func removeStale(ctx context.Context, path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("%w: %s exists and is not a socket", ErrBadEndpoint, path)
	}
	var d stdnet.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err == nil {
		_ = c.Close()
		return fmt.Errorf("%w: another process listens on %s", syscall.EADDRINUSE, path)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("probe stale socket %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("remove stale socket: %w", err)
	}
	return nil
}
