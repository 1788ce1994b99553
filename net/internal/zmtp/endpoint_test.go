package zmtp

import (
	"errors"
	"testing"
)

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		in, want string // want "" means an error
		addr     string
	}{
		{"tcp://127.0.0.1:5555", "tcp://127.0.0.1:5555", "127.0.0.1:5555"},
		{"tcp://*:0", "tcp://*:0", ":0"},
		{"tcp://localhost:80", "tcp://localhost:80", "localhost:80"},
		{"tcp://[::1]:7", "tcp://[::1]:7", "[::1]:7"},
		{"ipc:///tmp/x.sock", "ipc:///tmp/x.sock", "/tmp/x.sock"},
		{"ipc://rel.sock", "ipc://rel.sock", "rel.sock"},
		{"ipc://@abstract", "ipc://@abstract", "@abstract"},
		{"tcp://127.0.0.1", "", ""},
		{"tcp://:5555", "", ""},
		{"tcp://127.0.0.1:65536", "", ""},
		{"tcp://127.0.0.1:http", "", ""},
		{"ipc://", "", ""},
		{"inproc://x", "", ""},
		{"127.0.0.1:5555", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		ep, err := ParseEndpoint(tt.in)
		if tt.want == "" {
			if !errors.Is(err, ErrBadEndpoint) {
				t.Errorf("ParseEndpoint(%q) = %v, %v; want ErrBadEndpoint", tt.in, ep, err)
			}
			continue
		}
		if err != nil || ep.String() != tt.want || ep.Addr != tt.addr {
			t.Errorf("ParseEndpoint(%q) = %q (addr %q), %v; want %q (addr %q)", tt.in, ep, ep.Addr, err, tt.want, tt.addr)
		}
	}
}

func TestDialRejectsListenOnlyEndpoints(t *testing.T) {
	for _, ep := range []string{"tcp://*:5555", "tcp://127.0.0.1:0", "udp://1.2.3.4:5"} {
		_, err := Dial(testCtx(t), ep)
		wantErr(t, err, ErrBadEndpoint)
	}
}

func TestBadOptions(t *testing.T) {
	ctx := testCtx(t)
	for name, opts := range map[string][]Option{
		"socket type":  {WithSocketType("STREAM")},
		"identity":     {WithIdentity(make([]byte, 256))},
		"max size":     {WithMaxMessageSize(0)},
		"max frames":   {WithMaxFrames(0)},
		"buffer":       {WithBufferSize(1)},
		"timeout":      {WithHandshakeTimeout(0)},
		"pending":      {WithMaxPendingHandshakes(0)},
		"logger":       {WithLogger(nil)},
		"plain client": {WithPlain("u", "p")},
	} {
		if _, err := Listen(ctx, "tcp://127.0.0.1:0", opts...); !errors.Is(err, ErrBadOption) {
			t.Errorf("%s: Listen error %v, want ErrBadOption", name, err)
		}
	}
	_, err := Dial(ctx, "tcp://127.0.0.1:1", WithPlainServer(func(string, string) bool { return true }))
	wantErr(t, err, ErrBadOption)
}
