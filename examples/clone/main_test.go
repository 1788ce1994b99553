package main

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"testing"
	"time"

	"github.com/troupe-go/troupe/examples/internal/runtest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	snapLine   = regexp.MustCompile(`(?m)^client: subscribed, then snapshot at seq (\d+) with (\d+) keys`)
	countLine  = regexp.MustCompile(`(?m)^client: updates skipped \(already in the snapshot\)=(\d+) applied=(\d+) ignored after a gap=(\d+) dropped by its full mailbox=(\d+)$`)
	serverHash = regexp.MustCompile(`(?m)^server hash=([0-9a-f]{16}) seq=(\d+) keys=(\d+)$`)
	clientHash = regexp.MustCompile(`(?m)^client hash=([0-9a-f]{16}) seq=(\d+) keys=(\d+)$`)
)

func testConfig() config {
	cfg := defaultConfig()
	cfg.updates, cfg.joinAt, cfg.interval, cfg.delay = 150, 50, 500*time.Microsecond, 10*time.Millisecond
	return cfg
}

// The late client ends with the server's state: the same hash, seq and
// key count, having applied exactly the updates after its snapshot.
func TestRunStatesMatch(t *testing.T) {
	cfg := testConfig()
	out, err := runtest.Output(t, run, cfg)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	checkMatch(t, cfg, out)
	if c := runtest.Match(t, countLine, out); c[3] != "0" {
		t.Errorf("%s updates dropped with a mailbox of %d", c[3], cfg.hwm)
	}
}

func checkMatch(t *testing.T, cfg config, out string) {
	t.Helper()
	sh, ch := runtest.Match(t, serverHash, out), runtest.Match(t, clientHash, out)
	if sh[0] != ch[0] || sh[1] != ch[1] || sh[2] != ch[2] || runtest.Atoi(t, sh[1]) != cfg.updates {
		t.Errorf("server %v, client %v; want equal, at seq %d", sh, ch, cfg.updates)
	}
	snapSeq := runtest.Atoi(t, runtest.Match(t, snapLine, out)[0])
	c := runtest.Match(t, countLine, out)
	if snapSeq < cfg.joinAt || runtest.Atoi(t, c[1]) != cfg.updates-snapSeq || c[2] != "0" {
		t.Errorf("snapshot at %d, applied %s, ignored %s; want snapshot >= %d, applied %d, none ignored",
			snapSeq, c[1], c[2], cfg.joinAt, cfg.updates-snapSeq)
	}
}

// With a mailbox too small for the updates that queue up while the client
// waits for its snapshot, updates are dropped. Drops of updates the
// snapshot covers do no harm; a drop after it is a gap, which the client
// reports instead of diverging in silence. Which one happens depends on
// timing; either way the outcome is never a silent mismatch.
func TestRunSmallMailboxNeverDivergesSilently(t *testing.T) {
	cfg := testConfig()
	cfg.hwm = 4
	out, err := runtest.Output(t, run, cfg)
	switch {
	case err == nil:
		checkMatch(t, cfg, out)
	case errors.Is(err, errGap):
		if !regexp.MustCompile(`(?m)^client stopped applying updates: clone: gap`).MatchString(out) {
			t.Errorf("gap not reported:\n%s", out)
		}
		if c := runtest.Match(t, countLine, out); c[3] == "0" {
			t.Errorf("a gap without drops:\n%s", out)
		}
	default:
		t.Fatalf("run: %v\n%s", err, out)
	}
}

// On a gap the client stops applying and says so; it does not pretend.
func TestClientGap(t *testing.T) {
	c := &client{state: newState()}
	for _, seq := range []uint64{1, 2, 2, 3} {
		if err := c.update(kvUpdate{Key: "k", Value: "v", Seq: seq}); err != nil {
			t.Fatalf("seq %d: %v", seq, err)
		}
	}
	err := c.update(kvUpdate{Key: "k", Value: "w", Seq: 6})
	if !errors.Is(err, errGap) {
		t.Fatalf("seq 6 after 3: err = %v, want errGap", err)
	}
	if err := c.update(kvUpdate{Key: "k", Value: "x", Seq: 7}); err != nil {
		t.Fatalf("after the gap: err = %v, want nil (reported once)", err)
	}
	if c.stats.Applied != 3 || c.stats.Skipped != 1 || c.stats.Ignored != 2 || c.state.seq != 3 || c.state.m["k"] != "v" {
		t.Errorf("stats %+v, state %+v", c.stats, c.state)
	}
	var out bytes.Buffer
	if err := report(&out, testConfig(), stateHash{}, c.stats, nil); !errors.Is(err, errGap) {
		t.Errorf("report after a gap: err = %v, want errGap", err)
	}
}

// Deleting keys (empty values) and setting them again hash the same on
// both sides; different states hash differently.
func TestStateHash(t *testing.T) {
	a, b := newState(), newState()
	for i, u := range []kvUpdate{{Key: "x", Value: "1"}, {Key: "y", Value: "2"}, {Key: "x"}, {Key: "z", Value: "3"}} {
		u.Seq = uint64(i + 1)
		a.apply(u)
	}
	b.apply(kvUpdate{Key: "z", Value: "3", Seq: 1})
	b.apply(kvUpdate{Key: "y", Value: "2", Seq: 4})
	if a.hash() != b.hash() {
		t.Errorf("same entries, different hashes: %+v %+v", a.hash(), b.hash())
	}
	b.apply(kvUpdate{Key: "y", Value: "3", Seq: 4})
	if a.hash() == b.hash() {
		t.Error("different entries, same hash")
	}
}

func TestFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-updates", "20", "-join-at", "5", "-snapshot-delay", "0s"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.updates != 20 || cfg.joinAt != 5 || cfg.delay != 0 {
		t.Errorf("parsed %+v", cfg)
	}
	runtest.Refused(t, parseFlags, errConfig, [][]string{
		{"-updates", "0"}, {"-join-at", "0"}, {"-join-at", "300"}, {"-interval", "0s"},
		{"-snapshot-delay", "-1s"}, {"-hwm", "0"}, {"-keys", "0"},
	})
}
