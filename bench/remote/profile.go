package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// withProfile calls fn under a CPU profile written to cpuPath and an
// execution trace written to tracePath, each if its path is not empty,
// and returns fn's error joined with theirs.
func withProfile(cpuPath, tracePath string, fn func() error) error {
	stopCPU, err := startProfile(cpuPath)
	if err != nil {
		return err
	}
	stopTrace, err := startTrace(tracePath)
	if err != nil {
		return errors.Join(err, stopCPU())
	}
	return errors.Join(fn(), stopTrace(), stopCPU())
}

// startProfile starts a CPU profile written to path, if path is not
// empty, and returns the function that stops it.
func startProfile(path string) (stop func() error, err error) {
	return startWriting(path, "cpu profile", pprof.StartCPUProfile, pprof.StopCPUProfile)
}

// startTrace starts an execution trace (runtime/trace) written to path,
// if path is not empty, and returns the function that stops it.
func startTrace(path string) (stop func() error, err error) {
	return startWriting(path, "trace", trace.Start, trace.Stop)
}

func startWriting(path, what string, start func(w io.Writer) error, end func()) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := start(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return func() error {
		end()
		if err := f.Close(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}, nil
}
