package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"

	"github.com/troupe-go/troupe/bench"
)

// runChild runs W4 once on the runner named by -child and writes the
// result to stdout as JSON.
func runChild(o options, runners []bench.Runner, stdout io.Writer) error {
	if o.childN < 1 {
		return fmt.Errorf("%w: -child needs -n >= 1", errUsage)
	}
	for _, rn := range runners {
		if rn.Name() != o.child {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
		defer cancel()
		r, err := rn.Spawn(ctx, o.childN)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(r)
	}
	return fmt.Errorf("%w: unknown runtime %q for -child", errUsage, o.child)
}

// spawnChild re-executes this program to run W4 on runner name in a fresh
// process, and decodes the result it prints. The child inherits the
// environment and writes its diagnostics to stderr.
func spawnChild(ctx context.Context, o options, name string, n int, stderr io.Writer) (bench.Result, error) {
	exe, err := os.Executable()
	if err != nil {
		return bench.Result{}, fmt.Errorf("find own executable: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe, "-child", name, "-n", strconv.Itoa(n), "-timeout", o.timeout.String())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, stderr
	if err := cmd.Run(); err != nil {
		return bench.Result{}, fmt.Errorf("W4 child for %s: %w", name, err)
	}
	var r bench.Result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return r, fmt.Errorf("W4 child for %s: decode %q: %w", name, out.String(), err)
	}
	if r.Runtime != name || r.N != n {
		return r, fmt.Errorf("W4 child for %s: got a result for %s n=%d", name, r.Runtime, r.N)
	}
	return r, nil
}
