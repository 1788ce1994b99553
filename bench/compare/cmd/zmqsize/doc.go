// Zmqsize measures libzmq by message size — the classic ZeroMQ table of
// messages/s, Mbit/s and one-way latency for 1 B … 8 MB — over tcp and ipc,
// and writes one JSON line per measurement (the format of package
// github.com/troupe-go/troupe/bench/bysize) for the sizetable command to
// merge with Troupe's figures and the 2014 reference.
//
// # What it measures
//
// Throughput works like libzmq's local_thr/remote_thr, in two OS processes:
// zmqsize binds a PULL socket, re-executes itself as the peer (environment
// ZMQSIZE_PEER=1), and the peer connects a PUSH socket and sends count
// messages as fast as it can. The clock starts when the first message
// arrives and stops at the last: msgs/s = (count−1) / elapsed, and
// Mbit/s = msgs/s × size × 8 / 10⁶ (message bodies only, as local_thr).
//
// Latency works like local_lat/remote_lat: zmqsize binds a REQ socket, the
// peer connects a REP socket and echoes; one untimed warm-up round trip,
// then count timed ones; one-way latency = elapsed / (2 × count).
//
// Counts shrink with the size so that each size takes about one second or
// less at -scale 1 (a rough cost model, costs in run.go); -scale multiplies
// them.
// tcp runs on 127.0.0.1 with an ephemeral port, ipc in a fresh temporary
// directory. Every blocking call wakes every 200 ms to check the -timeout
// and whether the peer died, so a failure is reported, never waited on.
//
// The peer keeps its socket open until zmqsize has received everything (it
// waits for its stdin to close): with libzmq 4.3.4 over ipc, a sender that
// exits straight after zmq_ctx_term was seen to lose the tail of its stream
// (pyzmq senders too), which a measurement must not mistake for speed.
//
// The figures are libzmq as a Go program sees it through the cgo binding
// github.com/pebbe/zmq4: each receive allocates a Go slice and copies the
// message into it, each send copies it into libzmq, and each call crosses
// cgo. Small-message throughput is about half of a plain C loop's on the
// same machine, and large-message latency several times higher (2 MB:
// 1.7 ms against 0.33 ms for a zero-copy C loop, measured while writing
// this). That is the fair baseline for a Go runtime, not libzmq's best.
//
// # Requirements
//
// cgo with Debian's libzmq3-dev (apt-get install -y libzmq3-dev) and a C
// compiler; build fails with "zmq.h: No such file or directory" without it.
//
// # Producing the table, step by step
//
// All commands run in bench/compare, the separate module for comparisons:
//
//	cd bench/compare
//	go run ./cmd/zmqsize -o ../results/libzmq.jsonl            # ≈ 40 s: tcp and ipc, all sizes
//	go run ./cmd/zmqsize -o ../results/libzmq.jsonl -append    # twice more: the table shows medians
//	go run ./cmd/zmqsize -o ../results/libzmq.jsonl -append
//	go run ./cmd/sizetable                                     # ../results/bysize.md, throughput.svg, latency.svg
//	rsvg-convert -o /tmp/throughput.png ../results/throughput.svg   # to look (apt-get install -y librsvg2-bin)
//
// A quick look at a few sizes: go run ./cmd/zmqsize -sizes 8,4k,2M
// -transport tcp -scale 0.2 -v (JSON on stdout, progress on stderr).
//
// Troupe's own figures join the table by writing the same JSON lines, with
// "implementation":"troupe", to bench/results/troupe.jsonl (from any
// command in any module: the JSON is the whole contract) and re-running
// sizetable. bench/results/zeromq-2014.jsonl holds the 2014 reference.
//
// # Flags
//
//	-sizes      comma-separated sizes, k = 1024, M = 1024² (default 1,8,64,512,4k,32k,128k,512k,2M,8M)
//	-transport  tcp, ipc or tcp,ipc (default both)
//	-kind       throughput, latency or both (default both)
//	-scale      multiplies every count (default 1)
//	-timeout    limit for each single measurement (default 1m)
//	-o          output file, - for stdout (default -); -append to add to it
//	-v          log each measurement to stderr
//
// The tests (go test -race ./cmd/zmqsize) run the real two-process
// measurements at a tiny scale and check the JSON they write.
package main
