package testenv

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// IPCPath returns the path of a socket named name in a fresh directory,
// removed when the test ends. The directory has a short name of its own:
// t.TempDir's paths, which hold the test's name, can break the 107-byte
// limit of a socket path.
func IPCPath(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "troupe")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return filepath.Join(dir, name)
}

// IPCEndpoint is IPCPath as an ipc:// endpoint.
func IPCEndpoint(t testing.TB, name string) string {
	t.Helper()
	return "ipc://" + IPCPath(t, name)
}

// Context returns a context that ends after timeout or when the test ends
// (a cleanup of t cancels it). It is not derived from t.Context, which
// ends before any cleanup runs: the cleanups that t runs before that one
// can still use it.
func Context(t testing.TB, timeout time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return ctx
}
