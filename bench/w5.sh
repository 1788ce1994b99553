#!/usr/bin/env bash
# Runs W5 (bench/remote -mode w5) and libzmq's own stream of 8-byte
# messages (bench/compare/cmd/zmqsize, PUSH→PULL over tcp) alternately,
# RUNS times (default 5), and prints the medians side by side: this
# machine's speed drifts, so W5's figure means most beside libzmq's from
# the same minutes. Needs libzmq3-dev (make deps installs it). QUICK=1
# runs once with tiny counts, to check that everything runs (make test).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
remote_flags=() zmq_flags=()
if [ -n "${QUICK:-}" ]; then
	runs=${RUNS:-1} remote_flags=(-quick) zmq_flags=(-scale 0.02)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/remote" ./bench/remote
(cd bench/compare && go build -o "$tmp/zmqsize" ./cmd/zmqsize)

median() { sort -g | awk '{a[NR]=$1} END{if (NR) print a[int((NR+1)/2)]}'; }

for i in $(seq "$runs"); do
	echo "run $i/$runs" >&2
	"$tmp/remote" -mode w5 "${remote_flags[@]}" > "$tmp/w5.$i"
	"$tmp/zmqsize" -sizes 8 -transport tcp -kind throughput "${zmq_flags[@]}" -o - > "$tmp/zmq.$i"
done

# rate N: the one-way rates of W5 with GOMAXPROCS=N, in msgs/s.
rate() {
	cat "$tmp"/w5.* | grep "W5 one-way" | grep "GOMAXPROCS=$1 each" |
		sed -E 's/.*: ([0-9.]+) ([kM]?) ?msgs\/s.*/\1 \2/' |
		awk '{m = ($2 == "M") ? 1e6 : ($2 == "k") ? 1e3 : 1; print $1 * m}'
}
# latency N FIELD: request/reply p50 or p99 with GOMAXPROCS=N, in µs.
latency() {
	cat "$tmp"/w5.* | grep "W5 request/reply" | grep "GOMAXPROCS=$1 each" |
		sed -E "s/.*$2 ([0-9.]+) µs.*/\1/"
}
procs=$(cat "$tmp"/w5.* | grep -m1 "W5 one-way" | sed -E 's/.*GOMAXPROCS=([0-9]+) each.*/\1/')
zmq=$(cat "$tmp"/zmq.* | grep -o '"msgs_per_sec":[0-9.]*' | cut -d: -f2 | median)

printf 'medians of %d alternating runs\n' "$runs"
printf '%-52s %12.0f msgs/s\n' "libzmq PUSH→PULL, 8 B, tcp" "$zmq"
for p in $(printf '%s\n' "$procs" 1 | awk '!seen[$1]++'); do
	r=$(rate "$p" | median)
	[ -n "$r" ] || continue
	printf '%-52s %12.0f msgs/s  (%.2f× libzmq)  p50 %s µs  p99 %s µs\n' \
		"W5 one-way and request/reply, GOMAXPROCS=$p" "$r" "$(echo "$r $zmq" | awk '{print $1/$2}')" \
		"$(latency "$p" p50 | median)" "$(latency "$p" p99 | median)"
done
