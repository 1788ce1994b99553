#!/usr/bin/env bash
# Measures the by-size table for Troupe and libzmq in one run, alternating
# the two RUNS times (default 3), then regenerates bench/results/bysize.md
# and the charts. Needs libzmq3-dev (make deps installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
: > bench/results/troupe.jsonl.new
: > bench/results/libzmq.jsonl.new
for i in $(seq "$runs"); do
	echo "run $i/$runs: troupe" >&2
	go run ./bench/remote -mode sizes -o bench/results/troupe.jsonl.new -append
	echo "run $i/$runs: libzmq" >&2
	(cd bench/compare && go run ./cmd/zmqsize -o ../results/libzmq.jsonl.new -append)
done
mv bench/results/troupe.jsonl.new bench/results/troupe.jsonl
mv bench/results/libzmq.jsonl.new bench/results/libzmq.jsonl
(cd bench/compare && go run ./cmd/sizetable)
