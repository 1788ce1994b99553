// Package bench runs Troupe's local actor workloads W1–W4 beside a raw Go
// channel baseline, so that the runtime's cost over plain goroutines and
// channels can be read off, and so that other actor runtimes can run the
// same workloads through the same [Runner] interface (see
// bench/compare/cmd/actors, which adds Proto.Actor).
//
// The workloads, one [Result] each:
//
//   - W1 ping-pong ([Runner.PingPong]): two actors bounce one message n
//     times; the figure is nanoseconds per round trip.
//   - W2 fan-in ([Runner.FanIn]): p producer goroutines send n small
//     messages ([Msg], one int64) in total to one actor, whose mailbox holds
//     [DefaultCapacity] messages under a blocking overflow policy; the
//     figure is messages per second until the actor has counted all n, with
//     the drops that were seen (none are expected).
//   - W3 request-reply ([Runner.RequestReply]): n sequential requests to an
//     echo actor; the figures are the 50th and 99th percentile latencies.
//   - W4 spawn ([Runner.Spawn]): spawn n actors with default options, send
//     each one message, wait until every one has handled it, then stop them
//     one after another, each stop waiting for the actor to finish; the
//     figures are actors per second and the process's peak resident set
//     size (VmHWM from /proc/self/status, reset before the run where Linux
//     allows it).
//
// [Troupe] runs them on the public API of packages actor and mailbox, in
// handler form; [Chan] runs the same shapes with goroutines and channels
// only. Each call builds what it needs (for Troupe a fresh actor.System),
// measures only the workload itself, tears everything down and leaves no
// goroutine behind. The Go benchmarks in this package (BenchmarkW1PingPong
// and so on) drive the same functions with b.N as the count.
//
// Every function is safe for concurrent use, but runs that overlap distort
// each other's figures: run one at a time. W4's memory figure is read from
// /proc, so this package measures on Linux only.
package bench
