package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
)

// withProfile calls fn under a CPU profile written to path, if path is not
// empty, and returns fn's error joined with the profile's.
func withProfile(path string, fn func() error) error {
	stop, err := startProfile(path)
	if err != nil {
		return err
	}
	return errors.Join(fn(), stop())
}

// startProfile starts a CPU profile written to path, if path is not
// empty, and returns the function that stops it.
func startProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		return nil
	}, nil
}
