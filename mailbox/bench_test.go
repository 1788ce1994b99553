package mailbox_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/troupe-go/troupe/mailbox"
)

// The benchmarks compare a Block mailbox with a raw chan any of the same
// capacity (DefaultCapacity), the floor it is built on. The message is one
// preallocated value, so allocations are the mailbox's own.

var benchMsg any = &struct{ n int }{42}

// msgsPerSec reports throughput next to ns/op.
func msgsPerSec(b *testing.B, start time.Time) {
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

// BenchmarkPostReceive: one goroutine posts and receives (the cost of the
// message path without any hand-off between goroutines).
func BenchmarkPostReceive(b *testing.B) {
	ctx := context.Background()
	b.Run("mailbox", func(b *testing.B) {
		mb := mailbox.New()
		b.ReportAllocs()
		start := time.Now()
		for b.Loop() {
			if err := mb.Post(ctx, benchMsg); err != nil {
				b.Fatal(err)
			}
			<-mb.C()
		}
		msgsPerSec(b, start)
	})
	b.Run("chan", func(b *testing.B) {
		c := make(chan any, mailbox.DefaultCapacity)
		b.ReportAllocs()
		start := time.Now()
		for b.Loop() {
			c <- benchMsg
			<-c
		}
		msgsPerSec(b, start)
	})
}

// owner receives from c until stop is closed, then reports on done.
func owner(c <-chan any, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	for {
		select {
		case <-c:
		case <-stop:
			return
		}
	}
}

// BenchmarkProducerOwner: one producer goroutine, one owner goroutine.
func BenchmarkProducerOwner(b *testing.B) {
	ctx := context.Background()
	b.Run("mailbox", func(b *testing.B) {
		mb := mailbox.New()
		stop, done := make(chan struct{}), make(chan struct{})
		go owner(mb.C(), stop, done)
		b.ReportAllocs()
		start := time.Now()
		for b.Loop() {
			if err := mb.Post(ctx, benchMsg); err != nil {
				b.Fatal(err)
			}
		}
		msgsPerSec(b, start)
		close(stop)
		<-done
	})
	b.Run("chan", func(b *testing.B) {
		c := make(chan any, mailbox.DefaultCapacity)
		stop, done := make(chan struct{}), make(chan struct{})
		go owner(c, stop, done)
		b.ReportAllocs()
		start := time.Now()
		for b.Loop() {
			c <- benchMsg
		}
		msgsPerSec(b, start)
		close(stop)
		<-done
	})
}

// parallel8 runs post on 8 goroutines (b.RunParallel) while one owner
// goroutine receives from c.
func parallel8(b *testing.B, c <-chan any, post func() error) {
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((8 + procs - 1) / procs)
	stop, done := make(chan struct{}), make(chan struct{})
	go owner(c, stop, done)
	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := post(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	msgsPerSec(b, start)
	close(stop)
	<-done
}

// BenchmarkParallel8: 8 concurrent producers, one owner.
func BenchmarkParallel8(b *testing.B) {
	ctx := context.Background()
	for _, p := range []mailbox.Policy{mailbox.Block, mailbox.DropNewest, mailbox.DropOldest} {
		b.Run("mailbox-"+p.String(), func(b *testing.B) {
			mb := mailbox.New(mailbox.WithPolicy(p))
			parallel8(b, mb.C(), func() error { return mb.Post(ctx, benchMsg) })
			if s := mb.Stats(); s.Lost() > 0 {
				b.ReportMetric(float64(s.Lost())/float64(s.Posted+s.Dropped), "lost/msg")
			}
		})
	}
	b.Run("chan", func(b *testing.B) {
		c := make(chan any, mailbox.DefaultCapacity)
		parallel8(b, c, func() error { c <- benchMsg; return nil })
	})
}

// BenchmarkSystemLane: PostSystem and DrainSystem on one goroutine (one
// node allocation per message).
func BenchmarkSystemLane(b *testing.B) {
	mb := mailbox.New()
	b.ReportAllocs()
	for b.Loop() {
		mb.PostSystem(benchMsg)
		if mb.HasSystem() {
			mb.DrainSystem(func(any) {})
		}
	}
}

// BenchmarkAgeProbe: one Sample of a mailbox with a queued message.
func BenchmarkAgeProbe(b *testing.B) {
	mb := mailbox.New()
	_ = mb.Post(context.Background(), benchMsg)
	p := mailbox.NewAgeProbe(mb)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Millisecond)
		p.Sample(now)
	}
}
