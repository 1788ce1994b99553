package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	zmq "github.com/pebbe/zmq4"
)

// ErrBadTransport is returned for a -transport entry other than tcp or ipc.
var ErrBadTransport = errors.New("zmqsize: unknown transport")

// transports are the ones measured, loopback and local only.
var transports = []string{"tcp", "ipc"}

func parseTransports(list string) ([]string, error) {
	var out []string
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if !slices.Contains(transports, t) {
			return nil, fmt.Errorf("%w: %q (want tcp, ipc or tcp,ipc)", ErrBadTransport, t)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// A listener is a socket bound to a fresh endpoint: tcp on 127.0.0.1 with an
// ephemeral port, or ipc in a private temporary directory.
type listener struct {
	sock     *zmq.Socket
	endpoint string
	dir      string // ipc only; removed by close
}

func listen(t zmq.Type, transport string) (*listener, error) {
	sock, err := zmq.NewSocket(t)
	if err != nil {
		return nil, fmt.Errorf("new %v socket: %w", t, err)
	}
	l := &listener{sock: sock}
	if err := l.bind(transport); err != nil {
		l.close()
		return nil, err
	}
	return l, nil
}

func (l *listener) bind(transport string) error {
	addr := "tcp://127.0.0.1:*"
	if transport == "ipc" {
		dir, err := os.MkdirTemp("", "zmqsize")
		if err != nil {
			return fmt.Errorf("ipc directory: %w", err)
		}
		l.dir = dir
		addr = "ipc://" + filepath.Join(dir, "s")
	}
	if err := l.sock.Bind(addr); err != nil {
		return fmt.Errorf("bind %s: %w", addr, err)
	}
	ep, err := l.sock.GetLastEndpoint()
	if err != nil {
		return fmt.Errorf("endpoint of %s: %w", addr, err)
	}
	l.endpoint = ep
	return nil
}

// close drops anything unsent (linger 0), closes the socket and removes the
// ipc directory.
func (l *listener) close() {
	_ = l.sock.SetLinger(0)
	_ = l.sock.Close()
	if l.dir != "" {
		_ = os.RemoveAll(l.dir)
	}
}
