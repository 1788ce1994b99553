package timeline_test

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/troupe-go/troupe/examples/internal/timeline"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Lines come out in the order added, stamped; those beyond the size are
// counted, and printing twice prints nothing new.
func TestAddPrint(t *testing.T) {
	tl := timeline.New(2)
	tl.Add("first %d", 1)
	tl.Add("second")
	tl.Add("third")
	tl.Add("fourth")
	var out bytes.Buffer
	tl.Print(&out)
	want := regexp.MustCompile(`^  \+\S+\s+first 1\n  \+\S+\s+second\n  \(2 more lines did not fit the timeline\)\n$`)
	if !want.MatchString(out.String()) {
		t.Errorf("printed:\n%q", out.String())
	}
	out.Reset()
	tl.Print(&out)
	if out.String() != "  (2 more lines did not fit the timeline)\n" {
		t.Errorf("second print:\n%q", out.String())
	}
}

// An empty timeline prints nothing.
func TestEmpty(t *testing.T) {
	var out bytes.Buffer
	timeline.New(4).Print(&out)
	if out.Len() != 0 {
		t.Errorf("printed %q", out.String())
	}
}
