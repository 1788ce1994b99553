package net

import (
	"bytes"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// A client is a foreign client, as a pyzmq program would be: a DEALER or
// REQ connection that sends SENDs and reads REPLY and ERROR envelopes.
type client struct {
	c     *zmtp.Conn
	req   bool
	m     zmtp.Message
	dec   wire.Decoder
	reply wire.Envelope
}

func dialClient(t *testing.T, addr string, st zmtp.SocketType) *client {
	t.Helper()
	c, err := zmtp.Dial(testContext(t), addr, zmtp.WithSocketType(st))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &client{c: c, req: st == zmtp.Req}
}

func (c *client) send(t *testing.T, env []byte) {
	t.Helper()
	frames := [][]byte{env}
	if c.req {
		frames = [][]byte{nil, env}
	}
	if err := c.c.WriteMessage(frames...); err != nil {
		t.Fatal(err)
	}
	if err := c.c.Flush(); err != nil {
		t.Fatal(err)
	}
}

// request sends msg to to with correlation id corr.
func (c *client) request(t *testing.T, to actor.Ref, msg any, corr uint64) {
	t.Helper()
	typ, body, err := testCodec.AppendBody(nil, msg)
	if err != nil {
		t.Fatal(err)
	}
	c.send(t, wire.Append(nil, &wire.Envelope{Kind: wire.Send, To: to, Type: typ, Body: body, Corr: corr}))
}

// recv reads the next envelope (skipping commands); the envelope is valid
// until the next recv.
func (c *client) recv(t *testing.T) *wire.Envelope {
	t.Helper()
	_ = c.c.SetReadDeadline(time.Now().Add(testTimeout))
	for {
		if err := c.c.ReadMessage(&c.m); err != nil {
			t.Fatalf("client read: %v", err)
		}
		if c.m.Kind == zmtp.KindCommand {
			continue
		}
		frames := c.m.Frames
		if c.req {
			if len(frames) != 2 || len(frames[0]) != 0 {
				t.Fatalf("REQ reply with %d frames, want a delimiter and an envelope", len(frames))
			}
			frames = frames[1:]
		}
		if len(frames) != 1 {
			t.Fatalf("reply with %d frames, want 1", len(frames))
		}
		if err := c.dec.Decode(frames[0], &c.reply); err != nil {
			t.Fatal(err)
		}
		return &c.reply
	}
}

// body decodes a REPLY's body.
func body(t *testing.T, e *wire.Envelope) any {
	t.Helper()
	v, err := testCodec.DecodeBody(e.Type, e.Body)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestForeignClients(t *testing.T) {
	for _, st := range []zmtp.SocketType{zmtp.Dealer, zmtp.Req} {
		t.Run(string(st), func(t *testing.T) {
			sysB, b := startNode(t, endpoint(t, "tcp"))
			spawn(t, sysB, echo(nil), actor.WithName("echo"))
			c := dialClient(t, b.Address(), st)

			c.request(t, actor.Ref{Name: "echo"}, msgPing{N: 4}, 11)
			e := c.recv(t)
			if e.Kind != wire.Reply || e.Corr != 11 || body(t, e) != (msgPong{N: 4}) {
				t.Fatalf("reply %+v, want REPLY corr 11 with msgPong{4}", e)
			}
			c.request(t, actor.Ref{Name: "nobody"}, msgPing{}, 12)
			if e := c.recv(t); e.Kind != wire.Error || e.Corr != 12 || e.Code != wire.CodeNotFound {
				t.Fatalf("answer %+v, want ERROR corr 12 code not-found", e)
			}
			c.request(t, actor.Ref{Name: NodeActorName}, Lookup{Name: "echo"}, 13)
			e = c.recv(t)
			if f, ok := body(t, e).(Found); e.Kind != wire.Reply || !ok || f.Ref.Name != "echo" || f.Ref.Node != b.Address() {
				t.Fatalf("lookup answer %+v", e)
			}
		})
	}
}

// TestClientPing checks that ZMTP PINGs are answered with PONG.
func TestClientPing(t *testing.T) {
	_, b := startNode(t, endpoint(t, "tcp"))
	c := dialClient(t, b.Address(), zmtp.Dealer)
	if err := c.c.WritePing(time.Second, []byte("ctx")); err != nil {
		t.Fatal(err)
	}
	if err := c.c.Flush(); err != nil {
		t.Fatal(err)
	}
	_ = c.c.SetReadDeadline(time.Now().Add(testTimeout))
	if err := c.c.ReadMessage(&c.m); err != nil {
		t.Fatal(err)
	}
	if c.m.Kind != zmtp.KindCommand || c.m.Command.Name != zmtp.CmdPong || !bytes.Equal(c.m.Command.Body, []byte("ctx")) {
		t.Fatalf("answer to PING: %+v", c.m)
	}
}

// TestClientReplyAcrossNodes: a client's request forwarded to an actor on
// another node is answered on the client's connection.
func TestClientReplyAcrossNodes(t *testing.T) {
	sysB, b := startNode(t, endpoint(t, "tcp"))
	sysC, c := startNode(t, endpoint(t, "tcp"))
	echoC := spawn(t, sysC, echo(nil))
	echoC.Node = c.Address()
	spawn(t, sysB, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(msgPing); ok {
			return p.Forward(echoC)
		}
		return nil
	}), actor.WithName("relay"))
	cl := dialClient(t, b.Address(), zmtp.Dealer)
	cl.request(t, actor.Ref{Name: "relay"}, msgPing{N: 8}, 99)
	e := cl.recv(t)
	if e.Kind != wire.Reply || e.Corr != 99 || body(t, e) != (msgPong{N: 8}) {
		t.Fatalf("reply %+v, want REPLY corr 99 with msgPong{8}", e)
	}
}

// TestMaxBatchOne: nodes that send one envelope per message still answer
// REQ clients (delimiter + envelope) and keep idle links alive (HEARTBEAT
// and ACK go as separate messages).
func TestMaxBatchOne(t *testing.T) {
	ctx := testContext(t)
	opts := []Option{WithMaxBatch(1), WithHeartbeat(fastInterval, fastLiveness)}
	sysA, _ := startNode(t, endpoint(t, "tcp"), opts...)
	sysB, b := startNode(t, endpoint(t, "tcp"), opts...)
	spawn(t, sysB, echo(nil), actor.WithName("echo"))
	downs := make(chan any, 4)
	unsub := sysA.SubscribeFunc(TopicNodeDown, func(p actor.Publication) { downs <- p.Message })
	defer unsub()

	c := dialClient(t, b.Address(), zmtp.Req)
	c.request(t, actor.Ref{Name: "echo"}, msgPing{N: 1}, 1)
	if e := c.recv(t); e.Kind != wire.Reply || e.Corr != 1 {
		t.Fatalf("REQ reply %+v", e)
	}
	echoB := actor.Ref{Node: b.Address(), Name: "echo"}
	if _, err := sysA.Request(ctx, echoB, msgPing{N: 2}); err != nil {
		t.Fatalf("request: %v", err)
	}
	select { // an absence check: the idle link outlives its liveness window
	case d := <-downs:
		t.Fatalf("idle link went down: %+v", d)
	case <-time.After(fastInterval * (fastLiveness + 2)):
	}
	if _, err := sysA.Request(ctx, echoB, msgPing{N: 3}); err != nil {
		t.Fatalf("request after idling: %v", err)
	}
}
