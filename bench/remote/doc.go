// Remote measures Troupe's remote layer (package net) between two OS
// processes: workload W5 and the classic ZeroMQ by-size table.
//
// # What it measures
//
// Every measurement runs against a fresh peer process, which is this
// program re-executed (environment TROUPE_REMOTE_PEER=1), and a fresh node
// in this process; both use only the public API of packages actor, mailbox
// and net.
//
//   - W5 one-way (-mode w5): the peer, node A, sends -messages small
//     messages (Tick, one number; 1,000,000 by default) as fast as its
//     link takes them to a counting actor on node B, in this process, over
//     tcp loopback. The counting actor checks that they arrive in order
//     and times the stream from the first message to the last:
//     msgs/s = (messages − 1) / elapsed.
//   - W5 request/reply: -requests sequential requests (20,000 by default)
//     from node B to an echo actor on the peer, after 10 untimed ones; the
//     50th and 99th percentile and the mean of the round-trip times.
//   - By size (-mode sizes): for each transport (tcp on 127.0.0.1, ipc in
//     a private temporary directory) and size (1 B … 8 MB), a stream of
//     []byte bodies from the peer to the counting actor, timed at the
//     receiver, giving msgs/s and Mbit/s (msgs/s × size × 8 / 10⁶,
//     bodies only, as libzmq's local_thr); and sequential request/reply
//     round trips to the peer's echo actor, halved: one-way latency. Each
//     measurement is one JSON line in the format of package bench/bysize
//     ("implementation":"troupe"), ready for the sizetable command to put
//     beside libzmq's figures.
//
// Counts shrink with the size so that each by-size measurement takes
// about one second or less at -scale 1; -scale multiplies them. Links of
// both nodes queue at most 10,000 messages or about 256 MiB, and the
// counting actor's mailbox at most 4,096 messages or about 64 MiB, under
// the blocking policy: the stream runs at the pace of the receiver.
//
// # Usage
//
// From the repository root:
//
//	go run ./bench/remote -mode w5                                          # W5, ≈ 10 s
//	go run ./bench/remote -mode sizes -o bench/results/troupe.jsonl         # ≈ 30 s: tcp and ipc, all sizes
//	go run ./bench/remote -mode sizes -o bench/results/troupe.jsonl -append # twice more: the table shows medians
//	cd bench/compare && go run ./cmd/sizetable                              # bysize.md, throughput.svg, latency.svg
//
// -quick runs everything with tiny counts (2,000 messages, 200 requests,
// scale × 0.002) to check that it works; go test ./bench/remote does that.
//
// # Flags
//
//	-mode       w5, sizes or all (default w5)
//	-messages   W5: messages in the one-way stream (default 1,000,000)
//	-requests   W5: sequential requests (default 20,000)
//	-sizes      comma-separated sizes, k = 1024, M = 1024² (default 1,8,64,512,4k,32k,128k,512k,2M,8M)
//	-transport  tcp, ipc or tcp,ipc (default both)
//	-kind       throughput, latency or both (default both)
//	-scale      multiplies every by-size count (default 1)
//	-timeout    limit for each single measurement (default 1m)
//	-o          by-size output file, - for stdout (default -); -append to add to it
//	-quick      tiny counts
//	-v          log each measurement to stderr
//	-cpuprofile CPU profile of this process; each peer's goes to the file + .peer.send or .peer.echo
//	-trace      execution trace (runtime/trace) of this process; each peer's likewise
//	-readspin   how long both nodes' inbound connections poll their sockets (default net.DefaultReadSpin; 0: never)
//
// W5's two lines go to stdout; errors end the run with exit status 1.
//
// # Reading W5 on a small machine
//
// On a 2-vCPU VM both processes share two CPUs: in a trace of the stream
// (go tool trace -d=parsed, or -pprof=sched) the four Ps of the two
// processes are busy about 2.4 at a time on average, and the CPU profiles
// add up to about 1.7 cores, so "each process busy half the time" means
// each gets about one of the two CPUs: the stream is CPU-bound, its cost
// is per message (encoding, decoding, two channel hand-offs and the
// wake-ups between the goroutines on either side), and spare CPU left by
// one process goes to the other. Request/reply is bound by wake-ups
// instead: with two busy loops at nice 19 keeping the vCPUs from idling,
// p50 fell from about 86 to 51 µs and p99 from about 220 to 140 µs, the
// code unchanged. That is why a node's inbound connections poll their
// sockets before they sleep (net.WithReadSpin): with the default 50 µs,
// p50 is 20–25 µs; -readspin 0 shows the cost of the wake-ups again.
// Measure changes in pairs, alternating, several times: run-to-run
// spread on such a machine is ±25%.
package main
