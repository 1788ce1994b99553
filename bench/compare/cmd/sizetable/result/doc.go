// Package result is the common format of the by-size benchmark results: one
// JSON object per line (JSON lines), written by any number of separate
// commands or processes and merged by the sizetable command.
//
// Each line is one measurement of one implementation over one transport at one
// message size:
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
// Producers in another module (Troupe's own benchmarks in the main module)
// need not import this package: writing the same JSON is the whole contract.
// Files go to bench/results/NAME.jsonl; sizetable reads every *.jsonl there.
package result
