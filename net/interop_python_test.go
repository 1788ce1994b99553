package net_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net"
)

// These tests talk to a node in this process from Python (pyzmq and
// msgpack, Debian's python3-zmq and python3-msgpack) following
// docs/PROTOCOL.md: the scripts under testdata are the protocol's worked
// examples.

// TestInteropPythonDealer sends a request from a pyzmq DEALER to an echo
// actor by name and checks the REPLY: the worked example of PROTOCOL.md.
func TestInteropPythonDealer(t *testing.T) {
	n := startNode(t, "tcp://127.0.0.1:0")
	n.spawn(t, "echo", actor.Func(echo))
	lines := mustRun(t, false, "echo_client.py", n.node.Address(), "dealer", "echo", "hello")
	if len(lines) != 1 || lines[0] != "reply str hello" {
		t.Errorf("echo_client.py dealer printed %q, want [\"reply str hello\"]", lines)
	}
}

// TestInteropPythonReq does the same from a REQ socket, whose messages and
// replies carry an empty delimiter frame, over ipc.
func TestInteropPythonReq(t *testing.T) {
	n := startNode(t, ipcEndpoint(t, "node.sock"))
	n.spawn(t, "echo", actor.Func(echo))
	lines := mustRun(t, false, "echo_client.py", n.node.Address(), "req", "echo", "hello over ipc")
	if len(lines) != 1 || lines[0] != "reply str hello over ipc" {
		t.Errorf("echo_client.py req printed %q, want [\"reply str hello over ipc\"]", lines)
	}
}

// TestInteropPythonNotFound checks that a request for a name nobody holds
// is answered with an ERROR envelope, code 1 (not-found).
func TestInteropPythonNotFound(t *testing.T) {
	n := startNode(t, "tcp://127.0.0.1:0")
	lines := mustRun(t, true, "interop.py", "notfound", n.node.Address())
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "error 1 ") {
		t.Errorf("interop.py notfound printed %q, want an \"error 1 …\" line", lines)
	}
	if run := runScript(t, "echo_client.py", n.node.Address(), "dealer", "nobody-here"); run.Code != 1 ||
		len(run.Lines) != 1 || !strings.HasPrefix(run.Lines[0], "error 1 ") {
		t.Errorf("echo_client.py to a missing actor: status %d, printed %q; want status 1 and \"error 1 …\"",
			run.Code, run.Lines)
	}
	if s := n.node.Stats(); s.UnknownTargets != 2 {
		t.Errorf("Stats().UnknownTargets = %d, want 2", s.UnknownTargets)
	}
}

// TestInteropPythonUnknownType sends a type the node never registered,
// with a map body: the actor must get a net.Unknown with the type name
// and the body as generic msgpack values.
func TestInteropPythonUnknownType(t *testing.T) {
	n := startNode(t, "tcp://127.0.0.1:0")
	got := make(chan any, 1)
	n.spawn(t, "probe", actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Started); ok {
			return nil
		}
		select {
		case got <- p.Message():
		default:
		}
		return p.Reply("ok")
	}))
	lines := mustRun(t, true, "interop.py", "unknown", n.node.Address(), "probe")
	if len(lines) != 1 || lines[0] != "reply str 'ok'" {
		t.Errorf("interop.py unknown printed %q, want [\"reply str 'ok'\"]", lines)
	}
	var msg any
	select {
	case msg = <-got:
	default:
		t.Fatal("the probe actor received nothing, yet the script got its reply")
	}
	u, ok := msg.(net.Unknown)
	if !ok || u.Type != "py.Point" {
		t.Fatalf("probe received %T %#v, want net.Unknown of type py.Point", msg, msg)
	}
	checkPoint(t, u.Value)
}

// checkPoint checks the body interop.py sends as "py.Point", decoded as
// documented for net.Unknown: map[string]any, []any, string, []byte,
// int64 or uint64, float64.
func checkPoint(t *testing.T, v any) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("Unknown.Value is %T %#v, want map[string]any", v, v)
	}
	want := map[string]any{
		"x": int64(1), "y": int64(-2), "label": "p",
		"tags": []any{"a", "b"}, "raw": []byte{0, 1}, "w": 0.5,
	}
	if len(m) != len(want) {
		t.Errorf("Unknown.Value has keys %v, want %d keys", reflect.ValueOf(m).MapKeys(), len(want))
	}
	for k, w := range want {
		g := m[k]
		if u, isUint := g.(uint64); isUint && k == "x" { // a positive int may arrive as either
			g = int64(u)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("Unknown.Value[%q] = %T %#v, want %T %#v", k, g, g, w, w)
		}
	}
}

// TestInteropPythonLookup finds an actor through the troupe.node actor,
// messages the exact ref it found, and looks up a missing name.
func TestInteropPythonLookup(t *testing.T) {
	n := startNode(t, "tcp://127.0.0.1:0")
	ref := n.spawn(t, "echo", actor.Func(echo))
	lines := mustRun(t, true, "interop.py", "lookup", n.node.Address(), "echo")
	want := []string{
		fmt.Sprintf("found %s echo %d", n.node.Address(), ref.ID),
		"reply str 'by ref'",
	}
	if len(lines) != 3 || lines[0] != want[0] || lines[1] != want[1] {
		t.Fatalf("interop.py lookup printed %q, want %q and a \"missing\" line", lines, want)
	}
	f := strings.Fields(lines[2])
	if len(f) < 2 || f[0] != "missing" || f[1] != strconv.Itoa(1) {
		t.Errorf("lookup of a missing name: %q, want \"missing 1 …\" (code 1, not-found)", lines[2])
	}
}

// TestInteropLibzmqHeartbeat connects a libzmq DEALER with ZMTP
// heartbeats (HEARTBEAT_IVL 100 ms, HEARTBEAT_TIMEOUT 300 ms): libzmq
// drops a connection whose PINGs are not answered with PONG in time. The
// client idles 1.6 s, so only PING and PONG cross the connection, then
// asks again: one handshake, no disconnect, both replies.
func TestInteropLibzmqHeartbeat(t *testing.T) {
	n := startNode(t, "tcp://127.0.0.1:0")
	n.spawn(t, "echo", actor.Func(echo))
	start := time.Now()
	lines := mustRun(t, true, "interop.py", "heartbeat", n.node.Address(), "echo")
	want := []string{"reply str 'before'", "idle 1.6 handshakes 1 disconnects 0", "reply str 'after'"}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("interop.py heartbeat printed %q, want %q", lines, want)
	}
	if d := time.Since(start); d < 1500*time.Millisecond {
		t.Errorf("the heartbeat run took %v, less than the 1.5 s it must stay connected", d)
	}
	if s := n.node.Stats(); s.Accepted != 1 {
		t.Errorf("Stats().Accepted = %d, want 1 (a reconnect would hide a dropped connection)", s.Accepted)
	}
}

// TestProtocolDocIncludesExample checks that docs/PROTOCOL.md shows
// testdata/echo_client.py verbatim: the worked example is the script the
// interop tests run.
func TestProtocolDocIncludesExample(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("testdata", "echo_client.py"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "PROTOCOL.md"))
	if err != nil {
		t.Fatalf("read the protocol document: %v", err)
	}
	block := append(append([]byte("```python\n"), script...), "```\n"...)
	if !bytes.Contains(doc, block) {
		t.Error("docs/PROTOCOL.md does not contain net/testdata/echo_client.py verbatim in a ```python block; " +
			"copy the script into the document again")
	}
}

// TestInteropPythonForwardedReply: a client's request reaches an actor on
// another node (forwarded, keeping the client as sender), whose reply must
// travel back through the client's node as a REPLY on its connection.
func TestInteropPythonForwardedReply(t *testing.T) {
	front := startNode(t, "tcp://127.0.0.1:0")
	back := startNode(t, "tcp://127.0.0.1:0")
	back.spawn(t, "echo", actor.Func(echo))
	target := actor.Ref{Node: back.node.Address(), Name: "echo"}
	front.spawn(t, "forward", actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(string); ok {
			return p.Forward(target)
		}
		return nil
	}))
	lines := mustRun(t, false, "echo_client.py", front.node.Address(), "dealer", "forward", "via another node")
	if len(lines) != 1 || lines[0] != "reply str via another node" {
		t.Errorf("echo_client.py through a forwarding actor printed %q, want [\"reply str via another node\"]", lines)
	}
}

// TestInteropPythonSpawnWatchStop drives the control plane from Python:
// spawn a registered kind, message it, watch it (the watch request's
// correlation id gets the notice) and stop it.
func TestInteropPythonSpawnWatchStop(t *testing.T) {
	n := startNode(t, ipcEndpoint(t, "node.sock"))
	if err := n.node.RegisterKind("worker", actor.Func(echo)); err != nil {
		t.Fatal(err)
	}
	lines := mustRun(t, true, "interop.py", "watch", n.node.Address(), "worker")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "spawned py-worker ") || lines[1] != "reply str 'worker?'" ||
		lines[2] != "stopped" || !strings.HasPrefix(lines[3], "terminated 7 ") {
		t.Fatalf("interop.py watch printed %q, want spawned, reply, stopped, terminated 7 …", lines)
	}
	if _, ok := n.sys.Lookup("py-worker"); ok {
		t.Error("py-worker is still registered after the client stopped it")
	}
}

// TestInteropPythonPlain: a node that requires PLAIN serves a pyzmq
// client with good credentials and refuses one with bad credentials.
func TestInteropPythonPlain(t *testing.T) {
	n := startNode(t, "tcp://127.0.0.1:0", net.WithPlainServer(func(user, pass string) bool {
		return user == "alice" && pass == "s3cret"
	}))
	n.spawn(t, "echo", actor.Func(echo))
	if lines := mustRun(t, true, "interop.py", "plain", n.node.Address(), "echo", "alice", "s3cret"); len(lines) != 1 ||
		lines[0] != "reply str 'authenticated'" {
		t.Errorf("good credentials: printed %q, want [\"reply str 'authenticated'\"]", lines)
	}
	if lines := mustRun(t, true, "interop.py", "plain", n.node.Address(), "echo", "alice", "guess"); len(lines) != 1 ||
		lines[0] != "no answer" {
		t.Errorf("bad credentials: printed %q, want [\"no answer\"]", lines)
	}
	if s := n.node.Stats(); s.HandshakeFailures == 0 || s.EnvelopesIn != 1 {
		t.Errorf("Stats: %d handshake failures, %d envelopes in; want at least 1 failure and 1 envelope",
			s.HandshakeFailures, s.EnvelopesIn)
	}
}
