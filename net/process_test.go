package net_test

import (
	"errors"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net"
	"github.com/troupe-go/troupe/net/internal/testnode/testmsg"
)

// These tests run nodes in separate OS processes: this test process is
// one node, net/internal/testnode (built once per run) the other.

// Heartbeats and reconnects of the nodes in these tests: fast, so that a
// dead peer is noticed within heartbeat × liveness.
const (
	procHeartbeat    = 200 * time.Millisecond
	procLiveness     = 3
	procReconnect    = 100 * time.Millisecond
	procReconnectMax = 400 * time.Millisecond
)

// nodeOpts are the options of the nodes this process runs.
func nodeOpts() []net.Option {
	return []net.Option{
		net.WithHeartbeat(procHeartbeat, procLiveness),
		net.WithReconnect(procReconnect, procReconnectMax),
	}
}

// transports are the endpoint makers the tests run over.
var transports = []struct {
	name     string
	endpoint func(t *testing.T, name string) string
}{
	{"tcp", func(*testing.T, string) string { return "tcp://127.0.0.1:0" }},
	{"ipc", func(t *testing.T, name string) string { return ipcEndpoint(t, name+".sock") }},
}

func TestProcess(t *testing.T) {
	if err := testmsg.Register(nil); err != nil {
		t.Fatal(err)
	}
	bin := buildTestnode(t)
	for _, tr := range transports {
		t.Run(tr.name+"/request", func(t *testing.T) {
			peer := startProc(t, bin, tr.endpoint(t, "peer"))
			local := startNode(t, tr.endpoint(t, "local"), nodeOpts()...)
			testRequest(t, local, peer)
			peer.exitedCleanly(t)
		})
		t.Run(tr.name+"/spawn-watch-stop", func(t *testing.T) {
			peer := startProc(t, bin, tr.endpoint(t, "peer"))
			local := startNode(t, tr.endpoint(t, "local"), nodeOpts()...)
			testSpawnWatchStop(t, local, peer)
			peer.exitedCleanly(t)
		})
		t.Run(tr.name+"/kill9", func(t *testing.T) {
			testKill9(t, bin, tr.endpoint)
		})
		t.Run(tr.name+"/sigstop", func(t *testing.T) {
			testSilentPeer(t, bin, tr.endpoint)
		})
	}
}

// testRequest: request/reply with built-in and registered types, a
// stream followed by a request that sees all of it, and lookups.
func testRequest(t *testing.T, local *testNode, peer *procNode) {
	ctx := ctxFor(t)
	echoRef := actor.Ref{Node: peer.addr, Name: "echo"}
	if got, err := local.sys.Request(ctx, echoRef, "hello"); err != nil || got != "hello" {
		t.Fatalf("request %v: %v, %v; want \"hello\"", echoRef, got, err)
	}
	counter, err := local.sys.LookupOn(ctx, peer.addr, "counter")
	if err != nil || counter.Node != peer.addr || counter.Name != "counter" || counter.ID == 0 {
		t.Fatalf("LookupOn(%s, counter) = %v, %v; want an exact ref on that node", peer.addr, counter, err)
	}
	const n = 1000
	for i := uint64(1); i <= n; i++ {
		if err := local.sys.Send(ctx, counter, testmsg.Tick{Seq: i}); err != nil {
			t.Fatalf("send tick %d: %v", i, err)
		}
	}
	got, err := local.sys.Request(ctx, counter, testmsg.Count{})
	if c, ok := got.(testmsg.Counted); err != nil || !ok || c != (testmsg.Counted{N: n, Last: n}) {
		t.Fatalf("count after %d ticks: %#v, %v; want Counted{N: %d, Last: %d}", n, got, err, n, n)
	}
	if _, err := local.sys.LookupOn(ctx, peer.addr, "nobody-here"); !errors.Is(err, actor.ErrNotFound) {
		t.Errorf("LookupOn a missing name: %v, want an error matching actor.ErrNotFound", err)
	}
}

// testSpawnWatchStop spawns a worker on the peer, uses it, watches it and
// stops it remotely: the watcher gets one Terminated with ErrNormal.
func testSpawnWatchStop(t *testing.T, local *testNode, peer *procNode) {
	ctx := ctxFor(t)
	w, err := local.node.SpawnRemote(ctx, peer.addr, "worker", "w1")
	if err != nil || w.Node != peer.addr || w.Name != "w1" || w.ID == 0 {
		t.Fatalf("SpawnRemote(worker, w1) = %v, %v; want an exact ref named w1 on %s", w, err, peer.addr)
	}
	if got, err := local.sys.Request(ctx, w, int64(42)); err != nil || got != int64(42) {
		t.Fatalf("request to the spawned worker: %v, %v; want 42", got, err)
	}
	if _, err := local.node.SpawnRemote(ctx, peer.addr, "worker", "w1"); !errors.Is(err, net.ErrSpawnFailed) {
		t.Errorf("SpawnRemote under a taken name: %v, want ErrSpawnFailed", err)
	}
	if _, err := local.node.SpawnRemote(ctx, peer.addr, "no-such-kind", ""); !errors.Is(err, net.ErrSpawnFailed) {
		t.Errorf("SpawnRemote of an unknown kind: %v, want ErrSpawnFailed", err)
	}
	notices := local.watcher(t, w)
	if err := local.sys.Stop(ctx, w); err != nil {
		t.Fatalf("stop %v: %v", w, err)
	}
	tm := awaitTerminated(t, notices, w, nodeTimeout)
	if !errors.Is(tm.Reason, actor.ErrNormal) {
		t.Errorf("Terminated reason %v, want one matching actor.ErrNormal", tm.Reason)
	}
	if _, err := local.sys.Request(ctx, w, "anyone?"); !errors.Is(err, actor.ErrNotFound) {
		t.Errorf("request to the stopped worker: %v, want actor.ErrNotFound", err)
	}
	select {
	case extra := <-notices:
		t.Errorf("a second Terminated: %+v", extra)
	default:
	}
}
