package net

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// TestWithAddress: a node announces the address it is given, not its
// endpoint; refs to its actors carry that address, and a peer reaches
// them through it.
func TestWithAddress(t *testing.T) {
	ctx := testContext(t)
	port := strings.TrimPrefix(unreachable(t), "tcp://127.0.0.1:") // a free port
	announced := "tcp://localhost:" + port
	sysB, b := startNode(t, "tcp://127.0.0.1:"+port, WithAddress(announced))
	if b.Address() != announced {
		t.Fatalf("Address() = %q, want %q", b.Address(), announced)
	}
	spawn(t, sysB, echo(nil), actor.WithName("echo"))
	sysA, _ := startNode(t, endpoint(t, "tcp"))
	ref, err := sysA.LookupOn(ctx, announced, "echo")
	if err != nil {
		t.Fatalf("lookup through the announced address: %v", err)
	}
	if ref.Node != announced {
		t.Fatalf("the ref from the lookup has node %q, want the announced %q", ref.Node, announced)
	}
	if reply, err := sysA.Request(ctx, ref, msgPing{N: 7}); err != nil || reply != (msgPong{N: 7}) {
		t.Fatalf("request through the announced address: %#v, %v", reply, err)
	}
}

// TestWithLogger: a node logs to the logger it is given; here, the
// warning for a connection closed for bad input.
func TestWithLogger(t *testing.T) {
	records := make(chan slog.Record, 64)
	_, b := startNode(t, endpoint(t, "tcp"), WithLogger(slog.New(recordHandler{records})))
	zmtpSend(t, b.Address(), []byte{0xc1, 0xc1}) // not msgpack
	for {
		r := recv(t, records, "the warning about the bad connection")
		if r.Level == slog.LevelWarn && strings.Contains(r.Message, "bad input") {
			return
		}
	}
}

// recordHandler sends every record to a channel (dropping them when it
// is full): a slog.Handler without shared mutable state.
type recordHandler struct{ ch chan<- slog.Record }

func (h recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h recordHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h recordHandler) WithGroup(string) slog.Handler            { return h }
func (h recordHandler) Handle(_ context.Context, r slog.Record) error {
	select {
	case h.ch <- r.Clone():
	default:
	}
	return nil
}

// TestRegisterType registers a type in DefaultCodec, which then names it
// and refuses a second name for it.
func TestRegisterType(t *testing.T) {
	type registeredByTest struct{ N int }
	if err := RegisterType[registeredByTest]("test.registeredByTest"); err != nil {
		t.Fatal(err)
	}
	if name, err := DefaultCodec.Name(registeredByTest{N: 1}); err != nil || name != "test.registeredByTest" {
		t.Fatalf("DefaultCodec.Name = %q, %v; want test.registeredByTest", name, err)
	}
	if err := RegisterType[registeredByTest]("test.otherName"); err == nil {
		t.Fatal("a second name for a registered type was accepted")
	}
}

// TestWithReplyQueue: replies to a foreign client that does not read them
// wait in a queue of the given capacity; once the connection's buffers
// and that queue are full, the queue's policy (the link queue's, here
// DropNewest) drops the rest, dead-lettered and counted.
func TestWithReplyQueue(t *testing.T) {
	sysB, b := startNode(t, endpoint(t, "tcp"), WithReplyQueue(2), WithLinkQueue(100, mailbox.DropNewest))
	dead := deadLetters(t, sysB, 1000)
	big := make([]byte, 256<<10)
	spawn(t, sysB, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(string); ok {
			return p.Reply(big)
		}
		return nil
	}), actor.WithName("big"))
	c := dialClient(t, b.Address(), zmtp.Dealer)
	for i := range 200 { // 50 MB of replies, never read
		c.request(t, actor.Ref{Name: "big"}, "give", uint64(i+1))
	}
	if d := recv(t, dead, "a reply dropped by the full reply queue"); d.Reason != actor.ReasonDropped {
		t.Fatalf("dead letter to %v with reason %v, want ReasonDropped", d.Target, d.Reason)
	}
	if s := b.Stats(); s.QueueDropped == 0 {
		t.Fatal("a reply was dropped, QueueDropped is 0")
	}
}
