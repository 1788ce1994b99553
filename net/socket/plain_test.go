package socket_test

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/troupe-go/troupe/net/socket"
)

// PLAIN authentication: a PULL bound with WithPlainServer accepts a PUSH
// with the right credentials and refuses one with wrong credentials,
// which logs the failure and keeps retrying.
func TestPlainAuthentication(t *testing.T) {
	sys := newSystem(t)
	c := newCollector(t, sys)
	pull, err := socket.Pull(testCtx(t), sys, c.ref, socket.Bind(ipcEndpoint(t)),
		socket.WithPlainServer(func(user, pass string) bool { return user == "admin" && pass == "secret" }))
	if err != nil {
		t.Fatal(err)
	}
	ep := endpoint(t, sys, pull)
	logger, logs := recordLogs()
	intruder, err := socket.Push(testCtx(t), sys, socket.Connect(ep), socket.WithPlain("admin", "guess"),
		socket.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	send(t, sys, intruder, socket.Text("must not arrive"))
	rec := waitLog(t, logs, func(r slog.Record) bool { return strings.Contains(r.Message, "handshake failed") })
	if !strings.Contains(attr(rec, "err"), "authentication failed") {
		t.Errorf("logged %q", attr(rec, "err"))
	}
	friend, err := socket.Push(testCtx(t), sys, socket.Connect(ep), socket.WithPlain("admin", "secret"))
	if err != nil {
		t.Fatal(err)
	}
	send(t, sys, friend, socket.Text("welcome"))
	if m := c.next(t); !equal(m, socket.Text("welcome")) {
		t.Fatalf("got %q", m.Strings())
	}
	if st := stats(t, sys, intruder); st.Queued != 1 || len(st.Peers) != 0 {
		t.Errorf("the refused PUSH: queued %d, peers %d; want its message held, no peer", st.Queued, len(st.Peers))
	}
	if _, err := socket.Pull(testCtx(t), sys, c.ref, socket.Bind(ipcEndpoint(t)), socket.WithPlain("a", "b"),
		socket.WithPlainServer(func(string, string) bool { return true })); err == nil {
		t.Error("WithPlain and WithPlainServer together were accepted")
	}
}
