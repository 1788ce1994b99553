package zmtp

import (
	"fmt"
	stdnet "net"
	"strconv"
	"strings"
)

// An Endpoint is a parsed ZeroMQ endpoint: "tcp://host:port" or
// "ipc:///path/to/socket". Its zero value is not valid.
type Endpoint struct {
	// Transport is "tcp" or "ipc".
	Transport string
	// Addr is "host:port" for tcp (host "" means all interfaces, written
	// "*" in the endpoint) and the socket path for ipc (a path starting
	// with "@" is a Linux abstract socket).
	Addr string
}

// ParseEndpoint parses a "tcp://host:port" or "ipc://path" endpoint. For
// tcp the port must be a number from 0 to 65535 (0 means "any free port"
// and only makes sense for Listen) and the host may be "*" (all
// interfaces, only for Listen). Errors wrap ErrBadEndpoint.
func ParseEndpoint(s string) (Endpoint, error) {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return Endpoint{}, fmt.Errorf("%w %q: want tcp://host:port or ipc://path", ErrBadEndpoint, s)
	}
	switch scheme {
	case "tcp":
		return parseTCP(s, rest)
	case "ipc":
		if rest == "" || strings.ContainsRune(rest, 0) {
			return Endpoint{}, fmt.Errorf("%w %q: empty or invalid ipc path", ErrBadEndpoint, s)
		}
		return Endpoint{Transport: "ipc", Addr: rest}, nil
	}
	return Endpoint{}, fmt.Errorf("%w %q: unsupported transport %q (want tcp or ipc)", ErrBadEndpoint, s, scheme)
}

func parseTCP(s, hostport string) (Endpoint, error) {
	host, port, err := stdnet.SplitHostPort(hostport)
	if err != nil {
		return Endpoint{}, fmt.Errorf("%w %q: %v", ErrBadEndpoint, s, err)
	}
	if host == "" {
		return Endpoint{}, fmt.Errorf("%w %q: missing host (use * for all interfaces)", ErrBadEndpoint, s)
	}
	if host == "*" {
		host = ""
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return Endpoint{}, fmt.Errorf("%w %q: port %q is not a number from 0 to 65535", ErrBadEndpoint, s, port)
	}
	return Endpoint{Transport: "tcp", Addr: stdnet.JoinHostPort(host, strconv.FormatUint(n, 10))}, nil
}

// String returns the endpoint in ZeroMQ form, for example
// "tcp://127.0.0.1:5555", "tcp://*:0" or "ipc:///tmp/x.sock".
func (e Endpoint) String() string {
	addr := e.Addr
	if e.Transport == "tcp" && strings.HasPrefix(addr, ":") {
		addr = "*" + addr
	}
	return e.Transport + "://" + addr
}

// network returns the name of the standard library network.
func (e Endpoint) network() string {
	if e.Transport == "ipc" {
		return "unix"
	}
	return "tcp"
}

// checkDialable rejects endpoints that only make sense for Listen.
func (e Endpoint) checkDialable() error {
	if e.Transport != "tcp" {
		return nil
	}
	host, port, _ := stdnet.SplitHostPort(e.Addr)
	if host == "" || port == "0" {
		return fmt.Errorf("%w %q: dial needs a host and a non-zero port", ErrBadEndpoint, e.String())
	}
	return nil
}

// endpointOf returns the endpoint of a bound or connected address.
func endpointOf(a stdnet.Addr) Endpoint {
	switch a := a.(type) {
	case *stdnet.TCPAddr:
		ip := a.IP
		if ip == nil || ip.IsUnspecified() {
			ip = stdnet.IPv4zero
		}
		return Endpoint{Transport: "tcp", Addr: stdnet.JoinHostPort(ip.String(), strconv.Itoa(a.Port))}
	case *stdnet.UnixAddr:
		return Endpoint{Transport: "ipc", Addr: a.Name}
	}
	return Endpoint{Transport: a.Network(), Addr: a.String()}
}
