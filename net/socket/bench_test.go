package socket_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net/socket"
)

// counter returns an actor that closes done after n Messages.
func counter(b *testing.B, sys *actor.System, n int, done chan struct{}) actor.Ref {
	seen := 0
	ref, err := sys.Spawn(context.Background(), actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(socket.Message); ok {
			if seen++; seen == n {
				close(done)
			}
		}
		return nil
	}), actor.WithMailbox(mailbox.WithCapacity(1000)))
	if err != nil {
		b.Fatal(err)
	}
	return ref
}

func benchSystem(b *testing.B) *actor.System {
	sys := actor.NewSystem()
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = sys.Shutdown(ctx)
	})
	return sys
}

func benchEndpoints(b *testing.B) map[string]string {
	return map[string]string{"tcp": "tcp://127.0.0.1:0", "ipc": ipcEndpoint(b)}
}

// PUSH → PULL → actor, in one process over loopback: one-way throughput
// of whole messages, from sys.Send to the target actor's handler.
func BenchmarkPushPull(b *testing.B) {
	for _, transport := range []string{"tcp", "ipc"} {
		for _, size := range []int{8, 512, 4096} {
			b.Run(fmt.Sprintf("%s/%dB", transport, size), func(b *testing.B) {
				sys := benchSystem(b)
				ctx := context.Background()
				done := make(chan struct{})
				target := counter(b, sys, b.N, done)
				up := events(b, sys, socket.TopicPeerUp)
				pull, err := socket.Pull(ctx, sys, target, socket.Bind(benchEndpoints(b)[transport]))
				if err != nil {
					b.Fatal(err)
				}
				push, err := socket.Push(ctx, sys, socket.Connect(endpoint(b, sys, pull)))
				if err != nil {
					b.Fatal(err)
				}
				peersUp(b, up, push, 1)
				msg := socket.NewMessage(make([]byte, size))
				b.ReportAllocs()
				b.SetBytes(int64(size))
				b.ResetTimer()
				start := time.Now()
				for range b.N {
					if err := sys.Send(ctx, push, msg); err != nil {
						b.Fatal(err)
					}
				}
				<-done
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
			})
		}
	}
}

// REQ → REP → actor and back: round-trip latency.
func BenchmarkReqRep(b *testing.B) {
	for _, transport := range []string{"tcp", "ipc"} {
		for _, spin := range []time.Duration{0, 50 * time.Microsecond} {
			b.Run(fmt.Sprintf("%s/readspin=%v", transport, spin), func(b *testing.B) {
				benchReqRep(b, transport, socket.WithReadSpin(spin, 0))
			})
		}
	}
}

// benchReqRep measures round trips from a REQ to a REP and an echo actor
// in one process, both sockets with opt.
func benchReqRep(b *testing.B, transport string, opt socket.Option) {
	sys := benchSystem(b)
	ctx := context.Background()
	echo, err := sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		if m, ok := p.Message().(socket.Message); ok {
			return p.Reply(m)
		}
		return nil
	}))
	if err != nil {
		b.Fatal(err)
	}
	rep, err := socket.Rep(ctx, sys, echo, socket.Bind(benchEndpoints(b)[transport]), opt)
	if err != nil {
		b.Fatal(err)
	}
	req, err := socket.Req(ctx, sys, socket.Connect(endpoint(b, sys, rep)), opt)
	if err != nil {
		b.Fatal(err)
	}
	msg := socket.Text("ping")
	if _, err := socket.Request(ctx, sys, req, msg); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if _, err := socket.Request(ctx, sys, req, msg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N), "ns/roundtrip")
}

// PUB → two SUBs → actors over tcp: each message is delivered twice. The
// HWM holds all b.N messages: a PUB drops at its HWM, and this measures
// delivery, not dropping.
func BenchmarkPubSub(b *testing.B) {
	sys := benchSystem(b)
	ctx := context.Background()
	subs := events(b, sys, socket.TopicSubscription)
	pub, err := socket.Pub(ctx, sys, socket.Bind("tcp://127.0.0.1:0"), socket.WithHWM(b.N+1))
	if err != nil {
		b.Fatal(err)
	}
	ep := endpoint(b, sys, pub)
	dones := []chan struct{}{make(chan struct{}), make(chan struct{})}
	for _, done := range dones {
		if _, err := socket.Sub(ctx, sys, counter(b, sys, b.N, done), []string{""}, socket.Connect(ep)); err != nil {
			b.Fatal(err)
		}
		waitEvent(b, subs, func(socket.Subscription) bool { return true })
	}
	msg := socket.NewMessage(make([]byte, 64))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if err := sys.Send(ctx, pub, msg); err != nil {
			b.Fatal(err)
		}
	}
	for _, done := range dones {
		<-done
	}
	b.ReportMetric(float64(2*b.N)/time.Since(start).Seconds(), "deliveries/s")
}
