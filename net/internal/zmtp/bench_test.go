package zmtp

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// batchLimit is how many messages the benchmark writer appends before it
// flushes even if its queue is not empty.
const batchLimit = 1024

// BenchmarkThroughput measures one-way messages per second over a real
// connection: the benchmark goroutine feeds a writer goroutine through a
// channel (as a link's outbound queue would); the writer appends each
// message and flushes when the channel is empty or batchLimit messages
// are buffered; a reader goroutine reads them into one reused Message.
func BenchmarkThroughput(b *testing.B) {
	for _, tr := range []string{"tcp", "ipc"} {
		for _, size := range []int{8, 512} {
			b.Run(fmt.Sprintf("%s/%dB", tr, size), func(b *testing.B) {
				benchThroughput(b, endpoints(b)[tr], size)
			})
		}
	}
}

func benchThroughput(b *testing.B, ep string, size int) {
	l := listen(b, ep)
	c, s := connect(b, l)
	payload := bytes.Repeat([]byte{'x'}, size)
	queue := make(chan []byte, batchLimit) // the writer's queue: capacity = one batch
	werr := make(chan error, 1)
	go func() { werr <- drain(c, queue) }()
	rerr := make(chan error, 1)
	go func() { rerr <- readN(s, b.N) }()

	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		queue <- payload
	}
	close(queue)
	if err := <-werr; err != nil {
		b.Fatal(err)
	}
	if err := <-rerr; err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

// drain is the writer goroutine: it batches until its queue is empty.
func drain(c *Conn, queue <-chan []byte) error {
	n := 0
	for p := range queue {
		if err := c.WriteMessage(p); err != nil {
			return err
		}
		if n++; n >= batchLimit || len(queue) == 0 {
			if err := c.Flush(); err != nil {
				return err
			}
			n = 0
		}
	}
	return c.Flush()
}

func readN(c *Conn, n int) error {
	var m Message
	for range n {
		if err := c.ReadMessage(&m); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkReadMessage measures the decoder alone on buffered input.
func BenchmarkReadMessage(b *testing.B) {
	for _, size := range []int{8, 512} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			stream := frameBytes(b, [][]byte{bytes.Repeat([]byte{'x'}, size)})
			d := &decoder{raw: &loopReader{b: stream}, maxSize: DefaultMaxMessageSize, maxFrames: DefaultMaxFrames}
			var m Message
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				if err := d.readMessage(&m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
