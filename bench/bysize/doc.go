// Package bysize is what the by-size benchmark commands share: the
// classic ZeroMQ table of messages/s, Mbit/s and one-way latency for
// 1 B … 8 MB, measured between two OS processes by bench/remote (Troupe)
// and bench/compare/cmd/zmqsize (libzmq), and merged by
// bench/compare/cmd/sizetable.
//
//   - Sizes: the -sizes list ([ParseSizes], [DefaultSizes]) and the
//     table's labels ([Label]).
//   - Counts: how many messages or round trips each size gets, from a
//     rough [CostModel], so that each takes about a second at scale 1.
//   - Results: the [Record], one JSON line per measurement ([Write],
//     [Read]).
//   - Peers: the measuring process re-executes itself as its peer
//     ([SpawnSelf], [StartPeer], [Peer]), with a deadline ([DeadlineArg],
//     [ParsePeerFlags]).
//   - The commands' frame: [Main], [WithOutput], [NewLogger].
//
// # The result format
//
// One JSON object per line (JSON lines), written by any number of separate
// commands or processes and merged by the sizetable command. Each line is
// one measurement of one implementation over one transport at one message
// size:
//
//	{"implementation":"libzmq","transport":"tcp","kind":"throughput","size":8,
//	 "count":2000000,"msgs_per_sec":4760000,"mbit_per_sec":304.6,
//	 "elapsed_s":0.42,"detail":"libzmq 4.3.4 via github.com/pebbe/zmq4 v1.4.0",
//	 "time":"2025-01-02T15:04:05Z"}
//
//	{"implementation":"libzmq","transport":"tcp","kind":"latency","size":8,
//	 "count":2500,"latency_us":99.1,"elapsed_s":0.5}
//
// The fields:
//
//   - implementation: who was measured, lower case ("troupe", "libzmq",
//     "zeromq-2014" for the seed's reference figures). Required.
//   - transport: "tcp", "ipc", "inproc", … or "*" for a reference figure whose
//     transport is not known; "*" rows are shown beside every transport.
//     Required.
//   - kind: "throughput" (one-way PUSH→PULL stream, like libzmq's
//     local_thr/remote_thr) or "latency" (REQ/REP round trips halved, like
//     local_lat/remote_lat). Required.
//   - size: message body size in bytes, at least 1. Required.
//   - count: messages (throughput) or round trips (latency) measured; 0 when
//     unknown (reference figures).
//   - msgs_per_sec and mbit_per_sec: required for throughput, where
//     mbit_per_sec = msgs_per_sec × size × 8 / 10⁶ (libzmq's definition).
//     A throughput line without mbit_per_sec gets it computed on reading.
//   - latency_us: one-way latency in microseconds; required for latency.
//   - elapsed_s, detail, time: optional provenance.
//
// The JSON is the whole contract: a producer in any language or module can
// write it. Files go to bench/results/NAME.jsonl; sizetable reads every
// *.jsonl there.
//
// The package uses the standard library only, so the separate module
// bench/compare imports it (through its replace directive) without
// pulling in anything else.
package bysize
