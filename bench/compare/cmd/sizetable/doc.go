// Sizetable merges by-size benchmark results and writes the classic ZeroMQ
// table and its charts: bysize.md (one markdown table per transport: size,
// then msgs/s, Mbit/s and one-way latency for Troupe, libzmq, the 2014
// reference and any other implementation found), throughput.svg (msgs/s
// and Mbit/s against message size) and latency.svg, both log-log, one line
// per implementation and transport.
//
// It reads every *.jsonl file in -dir (default ../results, that is
// bench/results when run from bench/compare) or the files listed in -in;
// the format is documented in package github.com/troupe-go/troupe/bench/bysize.
// A figure measured more than once shows its median run. A figure nobody measured shows as "—", and an
// implementation with no figures at all keeps its columns and is named in
// the charts' legends as having no results, so gaps are visible. Reference
// figures recorded with transport "*" appear in every transport's table.
// Lines in the charts join neighbouring sizes only: nothing is interpolated.
//
// A malformed line fails the whole run with its file and line number; the
// output files are replaced only once written completely.
//
// Usage, from bench/compare:
//
//	go run ./cmd/sizetable                       # ../results/*.jsonl → ../results/
//	go run ./cmd/sizetable -in a.jsonl,b.jsonl -out /tmp/table
//
// See the package documentation of ./cmd/zmqsize for the whole procedure.
package main
