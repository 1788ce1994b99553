package bysize_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/troupe-go/troupe/bench/bysize"
)

func writeLine(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s+"\n")
		return err
	}
}

// "-" is stdout; a path is replaced, or appended to with appendOut.
func TestWithOutput(t *testing.T) {
	var stdout bytes.Buffer
	if err := bysize.WithOutput("-", false, &stdout, writeLine("a")); err != nil || stdout.String() != "a\n" {
		t.Errorf("stdout: %q, %v", stdout.String(), err)
	}
	path := filepath.Join(t.TempDir(), "out.jsonl")
	for _, step := range []struct {
		line      string
		appendOut bool
		want      string
	}{{"one", false, "one\n"}, {"two", true, "one\ntwo\n"}, {"three", false, "three\n"}} {
		if err := bysize.WithOutput(path, step.appendOut, &stdout, writeLine(step.line)); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != step.want {
			t.Errorf("after %q (append %v): %q, %v; want %q", step.line, step.appendOut, b, err, step.want)
		}
	}
	err := bysize.WithOutput(filepath.Join(path, "under-a-file"), false, &stdout, writeLine("x"))
	if err == nil || !strings.HasPrefix(err.Error(), "open output: ") {
		t.Errorf("unwritable path: %v", err)
	}
}

func TestNewLogger(t *testing.T) {
	ctx := context.Background()
	var buf bytes.Buffer
	if l := bysize.NewLogger(&buf, false); l.Enabled(ctx, slog.LevelInfo) || !l.Enabled(ctx, slog.LevelWarn) {
		t.Error("quiet logger: want warnings only")
	}
	l := bysize.NewLogger(&buf, true)
	l.Info("measured", "size", "1 B")
	if !strings.Contains(buf.String(), "msg=measured size=\"1 B\"") {
		t.Errorf("verbose logger wrote %q", buf.String())
	}
}
