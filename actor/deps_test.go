package actor_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// moduleRoot returns the directory of the go.mod above the test's
// directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// goTool finds the go command: on PATH, else under $GOROOT.
func goTool(t *testing.T) string {
	t.Helper()
	if path, err := exec.LookPath("go"); err == nil {
		return path
	}
	if root := os.Getenv("GOROOT"); root != "" {
		path := filepath.Join(root, "bin", "go")
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	t.Fatal("the go command is neither on PATH nor in $GOROOT/bin: install Go (https://go.dev/dl) and put its bin directory on PATH")
	return ""
}

// hasGoFiles reports whether dir holds a non-test Go file.
func hasGoFiles(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			return true
		}
	}
	return false
}

// The local runtime never depends on the network stack: only net imports
// zmq4 and msgpack.
func TestLocalPackagesDoNotImportTheWire(t *testing.T) {
	root := moduleRoot(t)
	pkgs := []string{"./actor", "./mailbox"}
	if hasGoFiles(filepath.Join(root, "supervisor")) {
		pkgs = append(pkgs, "./supervisor")
	}
	cmd := exec.Command(goTool(t), append([]string{"list", "-deps"}, pkgs...)...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %v: %v\n%s", pkgs, err, stderr.Bytes())
	}
	deps := strings.Fields(string(out))
	if len(deps) < len(pkgs) {
		t.Fatalf("go list -deps %v listed only %q", pkgs, deps)
	}
	for _, dep := range deps {
		for _, banned := range []string{"github.com/go-zeromq/", "github.com/vmihailenco/msgpack"} {
			if strings.HasPrefix(dep, banned) {
				t.Errorf("%v depend on %s", pkgs, dep)
			}
		}
	}
}

// No Go file in the repository uses a mutex: state is owned by one
// goroutine and changed through channels.
func TestNoMutexInRepository(t *testing.T) {
	root := moduleRoot(t)
	// Built so that this file does not match itself.
	forbidden := []string{"sync." + "Mutex", "sync." + "RWMutex"}
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		files++
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, f := range forbidden {
			if bytes.Contains(src, []byte(f)) {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s mentions %s", rel, f)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("walked only %d Go files from %s", files, root)
	}
}
