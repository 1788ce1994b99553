// Command actors runs the local actor workloads W1–W4 of package
// github.com/troupe-go/troupe/bench on Troupe, on Proto.Actor
// (github.com/asynkron/protoactor-go) and on raw Go channels, and prints
// one markdown table of the medians, Troupe first:
//
//	workload | Troupe | Proto.Actor | channel | Troupe/Proto.Actor
//
// Runs alternate between the runtimes (troupe, protoactor, chan, troupe,
// …) so that drift in the machine's speed touches all three alike. W1–W3
// run in this process; W4 (spawn) runs each time in a fresh child process
// (this program re-executed with -child), so that its peak RSS is not
// inflated by earlier runs.
//
// Usage:
//
//	go run ./cmd/actors [-runs 3] [-scale 1] [-w W1,W2,W3,W4] [-timeout 2m] [-v]
//
// The default counts are the issue's: W1 1,000,000 round trips, W2
// 2,000,000 messages from P = 1, 2 and 8 producers into a mailbox of
// bench.DefaultCapacity under a blocking policy, W3 200,000 requests, W4
// 100,000 actors; -scale multiplies them all (-scale 0.1 for a quick run).
// -v prints every run's result to standard error.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "actors:", err)
		os.Exit(1)
	}
}
