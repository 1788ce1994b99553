package net_test

import (
	"errors"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/troupe-go/troupe/net"
)

// testSilentPeer freezes the peer process with SIGSTOP: its connections
// stay open but it says nothing, so only the heartbeats can tell. The
// watcher of one of its actors must get Terminated (ErrNodeDown) within
// heartbeat × liveness + 1 s, a request in flight must fail with
// ErrNodeDown, and after SIGCONT the link must come back by itself.
func testSilentPeer(t *testing.T, bin string, endpoint func(*testing.T, string) string) {
	peer := startProc(t, bin, endpoint(t, "peer"))
	local := startNode(t, endpoint(t, "local"), nodeOpts()...)
	ctx := ctxFor(t)
	echoRef, err := local.sys.LookupOn(ctx, peer.addr, "echo")
	if err != nil {
		t.Fatal(err)
	}
	notices := local.watcher(t, echoRef)
	if _, err := local.sys.Request(ctx, echoRef, "before"); err != nil {
		t.Fatalf("request before the freeze: %v", err)
	}
	ups, _ := nodeEvents(t, local.sys, peer.addr)

	signal(t, peer, syscall.SIGSTOP)
	t.Cleanup(func() { _ = peer.Process().Signal(syscall.SIGCONT) }) // so that it can exit
	awaitStopped(t, peer)
	frozen := time.Now()
	failed := make(chan error, 1)
	go func() {
		_, err := local.sys.Request(ctx, echoRef, "while frozen")
		failed <- err
	}()
	tm := awaitTerminated(t, notices, echoRef, procHeartbeat*procLiveness+time.Second)
	if !errors.Is(tm.Reason, net.ErrNodeDown) {
		t.Errorf("Terminated after %v with %v, want a reason matching ErrNodeDown", time.Since(frozen), tm.Reason)
	}
	if err := awaitEvent(t, failed, "end of the request in flight"); !errors.Is(err, net.ErrNodeDown) {
		t.Errorf("request in flight: %v, want an error matching ErrNodeDown", err)
	}

	signal(t, peer, syscall.SIGCONT)
	awaitEvent(t, ups, "NodeUp after SIGCONT")
	if got, err := local.sys.Request(ctx, echoRef, "after"); err != nil || got != "after" {
		t.Errorf("request after SIGCONT: %v, %v; want \"after\"", got, err)
	}
	peer.exitedCleanly(t)
}

// awaitStopped waits until the process has stopped (or ended): a
// signal is delivered asynchronously, and the peer must not answer the
// next request. waitid with WNOWAIT reaps nothing, so exec.Cmd.Wait still
// sees the exit later.
func awaitStopped(t *testing.T, p *procNode) {
	t.Helper()
	const (
		pPID    = 1          // P_PID
		wNoWait = 0x01000000 // WNOWAIT
	)
	var info [128]byte // siginfo_t
	for range 100 {    // retried on EINTR only
		_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(p.Process().Pid),
			uintptr(unsafe.Pointer(&info[0])), syscall.WSTOPPED|syscall.WEXITED|wNoWait, 0, 0)
		switch errno {
		case 0:
			return
		case syscall.EINTR:
			continue
		}
		t.Fatalf("waitid for the stop of testnode: %v", errno)
	}
	t.Fatal("waitid for the stop of testnode: interrupted 100 times")
}

func signal(t *testing.T, p *procNode, sig syscall.Signal) {
	t.Helper()
	if err := p.Process().Signal(sig); err != nil {
		t.Fatalf("signal %v to testnode: %v", sig, err)
	}
}
