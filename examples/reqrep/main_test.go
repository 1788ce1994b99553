package main

import (
	"errors"
	"io"
	"regexp"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/examples/internal/child"
	"github.com/troupe-go/troupe/examples/internal/runtest"
	"go.uber.org/goleak"
)

// TestMain runs the tests, or, when the remote test starts this binary
// again as the server process, that server.
func TestMain(m *testing.M) {
	child.Run(childFlag, serverProcess)
	goleak.VerifyTestMain(m)
}

var (
	clientLine = regexp.MustCompile(`(?m)^\s+(client-\d+)\s+ok=(\d+)\s+timeouts=(\d+)\s+wrong=(\d+)$`)
	totalLine  = regexp.MustCompile(`(?m)^requests=(\d+) ok=(\d+) timeouts=(\d+) wrong=(\d+) `)
	firstLine  = regexp.MustCompile(`(?m)^first timeout: actor: request main\.work to (server#[0-9a-f]+\S*): no reply: context deadline exceeded$`)
	fieldsLine = regexp.MustCompile(`(?m)^\s+target=(server#[0-9a-f]+\S*) type=main\.work cause=context deadline exceeded$`)
	serverLine = regexp.MustCompile(`(?m)^server: replies sent=(\d+) failed=0; dead letters: late-reply=(\d+) total=(\d+)$`)
	stopLine   = regexp.MustCompile(`(?m)^after stop, request to \S+ failed in .*: actor: no such actor$`)
)

func TestRun(t *testing.T) {
	cfg := config{clients: 3, requests: 10, slowEvery: 5, timeout: 500 * time.Millisecond}
	checkRun(t, cfg)
}

// The same requests to a server in another process, over tcp, meet the
// same deadlines with the same accounts; the errors name the remote ref.
func TestRunRemote(t *testing.T) {
	cfg := config{clients: 3, requests: 10, slowEvery: 5, timeout: 500 * time.Millisecond, remote: true}
	out := checkRun(t, cfg)
	if !regexp.MustCompile(`(?m)^first timeout: .* to server#[0-9a-f]+@tcp://127\.0\.0\.1:\d+: `).MatchString(out) {
		t.Errorf("the timeout does not name the remote server:\n%s", out)
	}
}

func checkRun(t *testing.T, cfg config) string {
	t.Helper()
	out := runtest.OK(t, run, cfg)

	slowPerClient := cfg.requests / cfg.slowEvery
	lines := clientLine.FindAllStringSubmatch(out, -1)
	if len(lines) != cfg.clients {
		t.Fatalf("want %d client lines:\n%s", cfg.clients, out)
	}
	for _, l := range lines {
		if ok, to, wrong := runtest.Atoi(t, l[2]), runtest.Atoi(t, l[3]), runtest.Atoi(t, l[4]); ok != cfg.requests-slowPerClient || to != slowPerClient || wrong != 0 {
			t.Errorf("%s: ok=%d timeouts=%d wrong=%d, want %d, %d, 0", l[1], ok, to, wrong, cfg.requests-slowPerClient, slowPerClient)
		}
	}
	tot := totalLine.FindStringSubmatch(out)
	if tot == nil || runtest.Atoi(t, tot[1]) != cfg.clients*cfg.requests || runtest.Atoi(t, tot[3]) != cfg.clients*slowPerClient {
		t.Errorf("totals %v, want %d requests with %d timeouts", tot, cfg.clients*cfg.requests, cfg.clients*slowPerClient)
	}

	// The timeout error names the target and the message type.
	first, fields := firstLine.FindStringSubmatch(out), fieldsLine.FindStringSubmatch(out)
	if first == nil || fields == nil || first[1] != fields[1] {
		t.Errorf("timeout error does not name the server and main.work:\n%s", out)
	}

	// Every late reply became a dead letter, and nothing else did.
	srv := serverLine.FindStringSubmatch(out)
	if srv == nil {
		t.Fatalf("no server line:\n%s", out)
	}
	if sent, late, total := runtest.Atoi(t, srv[1]), runtest.Atoi(t, srv[2]), runtest.Atoi(t, srv[3]); sent != cfg.clients*cfg.requests || late != cfg.clients*slowPerClient || total != late {
		t.Errorf("server sent %d, late-reply dead letters %d of %d; want %d, %d", sent, late, total, cfg.clients*cfg.requests, cfg.clients*slowPerClient)
	}
	if n := len(stopLine.FindAllString(out, -1)); n != 2 {
		t.Errorf("want 2 failed requests after stop, got %d:\n%s", n, out)
	}
	return out
}

// The report refuses numbers that do not add up.
func TestReportAccounting(t *testing.T) {
	cfg := config{clients: 1, requests: 2}
	tallies := []clientTally{{Name: "c", OK: 1, Timeouts: 1}}
	if err := report(io.Discard, cfg, tallies, drained{Sent: 2}, actor.DeadLetterCounts{actor.ReasonLateReply: 1}); err != nil {
		t.Fatalf("consistent numbers: %v", err)
	}
	for name, srv := range map[string]drained{"reply missing": {Sent: 1}, "reply refused": {Sent: 2, Failed: 1}} {
		if err := report(io.Discard, cfg, tallies, srv, actor.DeadLetterCounts{actor.ReasonLateReply: 1}); !errors.Is(err, errAccounting) {
			t.Errorf("%s: err = %v, want errAccounting", name, err)
		}
	}
	if err := report(io.Discard, cfg, tallies, drained{Sent: 2}, nil); !errors.Is(err, errAccounting) {
		t.Errorf("late reply not a dead letter: err = %v, want errAccounting", err)
	}
}

func TestFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-clients", "2", "-timeout", "1s", "-slow-every", "0"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.clients != 2 || cfg.timeout != time.Second || cfg.slowEvery != 0 {
		t.Errorf("parsed %+v", cfg)
	}
	runtest.Refused(t, parseFlags, errConfig, [][]string{{"-clients", "0"}, {"-requests", "0"}, {"-slow-every", "-1"}, {"-timeout", "0s"}})
}
