package net

import (
	"context"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// counter counts the msgPing messages it gets and closes done when it has
// had want of them.
func counter(want int64, done chan<- struct{}) actor.Behavior {
	var n atomic.Int64
	return actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(msgPing); ok && n.Add(1) == want {
			close(done)
		}
		return nil
	})
}

// benchPair starts two nodes over tcp loopback.
func benchPair(b *testing.B, opts ...Option) (sysA *actor.System, na *Node, sysB *actor.System, nb *Node) {
	b.Helper()
	sysA, na = startNode(b, "tcp://127.0.0.1:0", opts...)
	sysB, nb = startNode(b, "tcp://127.0.0.1:0", opts...)
	return sysA, na, sysB, nb
}

// BenchmarkRemoteSend measures one-way throughput of small messages from
// one node to a counting actor on another, over tcp loopback: envelopes
// batched into multipart messages (the default) or one per message.
func BenchmarkRemoteSend(b *testing.B) {
	for _, batch := range []int{1, DefaultMaxBatch} {
		b.Run("batch="+strconv.Itoa(batch), func(b *testing.B) {
			sysA, na, sysB, nb := benchPair(b, WithMaxBatch(batch))
			done := make(chan struct{})
			ref := spawn(b, sysB, counter(int64(b.N), done), actor.WithName("count"),
				actor.WithMailbox(mailbox.WithCapacity(4096)))
			ref.Node = nb.Address()
			ctx := context.Background()
			var msg any = msgPing{N: 1, Text: "hello"} // boxed once, not per send
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				if err := sysA.Send(ctx, ref, msg); err != nil {
					b.Fatal(err)
				}
			}
			<-done
			elapsed := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
			s := na.Stats()
			b.ReportMetric(float64(s.EnvelopesOut)/float64(max(s.Flushes, 1)), "env/flush")
		})
	}
}

// BenchmarkRemoteRequest measures the round trip of a request to an echo
// actor on another node over tcp loopback.
func BenchmarkRemoteRequest(b *testing.B) {
	sysA, _, sysB, nb := benchPair(b)
	ref := spawn(b, sysB, echo(nil), actor.WithName("echo"))
	ref.Node = nb.Address()
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if _, err := sysA.Request(ctx, ref, msgPing{N: int64(i)}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
}
