package net

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/net/internal/wire"
	"github.com/troupe-go/troupe/net/internal/zmtp"
	"github.com/vmihailenco/msgpack/v5"
)

// benchTick is a W5-like message: one counter, with its own fixed-size
// encoding ({"Seq": n}, as msgpack writes it).
type benchTick struct{ Seq uint64 }

var benchTickPrefix = []byte{0x81, 0xa3, 'S', 'e', 'q', 0xcf}

func (t benchTick) AppendMsgpack(b []byte) ([]byte, error) {
	return binary.BigEndian.AppendUint64(append(b, benchTickPrefix...), t.Seq), nil
}

func (t *benchTick) UnmarshalMsgpack(b []byte) error {
	if len(b) == len(benchTickPrefix)+8 && string(b[:len(benchTickPrefix)]) == string(benchTickPrefix) {
		t.Seq = binary.BigEndian.Uint64(b[len(benchTickPrefix):])
		return nil
	}
	type plain benchTick
	return msgpack.Unmarshal(b, (*plain)(t))
}

// BenchmarkReadDeliver measures what a node does for each small message
// of a stream it reads, without the network: a reader decodes ZMTP
// messages of one SEND and 255 NEXTs, as a link's writer batches them,
// and delivers each to a counting actor, whose mailbox is a Go channel.
// With -cpu 1 the reader and the actor take turns on one core, with
// -cpu 2 they run on two, as in W5's receiving process.
func BenchmarkReadDeliver(b *testing.B) {
	c := NewCodec()
	MustRegister[benchTick](c, "bench.Tick")
	sys, n := startNode(b, "tcp://127.0.0.1:0", WithCodec(c))
	var count int
	done := make(chan struct{})
	want := 0
	ref := spawn(b, sys, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(benchTick); ok {
			if count++; count == want {
				close(done)
			}
		}
		return nil
	}), actor.WithName("count"), actor.WithMailbox(mailbox.WithCapacity(4096), mailbox.WithPolicy(mailbox.Block)))
	const batch = 256
	frames := make([][]byte, batch)
	for i := range frames {
		body, _ := benchTick{Seq: uint64(i + 1)}.AppendMsgpack(nil)
		if i == 0 {
			frames[i] = wire.Append(nil, &wire.Envelope{Kind: wire.Send, To: actor.Ref{Name: ref.Name, ID: ref.ID},
				Type: "bench.Tick", Body: body})
		} else {
			frames[i] = append(wire.NextHeader[:], body...)
		}
	}
	ic := &inConn{n: n, wake: make(chan struct{}, 1)}
	r := &inReader{c: ic, isNode: true, seen: true, peer: "tcp://127.0.0.1:1"}
	r.m.Kind = zmtp.KindData
	rounds := (b.N + batch - 1) / batch
	want = rounds * batch
	b.ReportAllocs()
	b.ResetTimer()
	for range rounds {
		r.m.Frames = frames
		if err := r.message(); err != nil {
			b.Fatal(err)
		}
	}
	<-done
	b.StopTimer()
	if got := ic.stats[cEnvIn].Load(); got != uint64(want) {
		b.Fatalf("%d envelopes in, want %d", got, want)
	}
	b.ReportMetric(float64(want)/float64(b.N), "msgs/op")
}

// BenchmarkRemoteStream is W5 in one process: a stream of benchTicks, a
// new value each, from one node to a counting actor on another over tcp
// loopback. Both nodes' work per message is in its figures.
func BenchmarkRemoteStream(b *testing.B) {
	c := NewCodec()
	MustRegister[benchTick](c, "bench.Tick")
	sysA, _ := startNode(b, "tcp://127.0.0.1:0", WithCodec(c))
	sysB, nb := startNode(b, "tcp://127.0.0.1:0", WithCodec(c))
	done := make(chan struct{})
	var count int
	ref := spawn(b, sysB, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(benchTick); ok {
			if count++; count == b.N {
				close(done)
			}
		}
		return nil
	}), actor.WithName("count"), actor.WithMailbox(mailbox.WithCapacity(4096), mailbox.WithPolicy(mailbox.Block)))
	ref.Node = nb.Address()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := sysA.Send(ctx, ref, benchTick{Seq: uint64(i + 1)}); err != nil {
			b.Fatal(err)
		}
	}
	<-done
}
