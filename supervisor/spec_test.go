package supervisor_test

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/supervisor"
)

func TestValidate(t *testing.T) {
	ok := actor.Func(func(*actor.Process) error { return nil })
	child := func(name string) supervisor.ChildSpec { return supervisor.ChildSpec{Name: name, Behavior: ok} }
	with := func(f func(*supervisor.Spec)) supervisor.Spec {
		s := supervisor.NewSpec(supervisor.OneForOne, child("a"), child("b"))
		f(&s)
		return s
	}
	cases := []struct {
		name string
		spec supervisor.Spec
		want []string // substrings of the error; none means valid
	}{
		{"defaults", with(func(*supervisor.Spec) {}), nil},
		{"zero spec", supervisor.Spec{}, nil},
		{"intensity 0 without period", with(func(s *supervisor.Spec) { s.Intensity, s.Period = 0, 0 }), nil},
		{"bad strategy", with(func(s *supervisor.Spec) { s.Strategy = 7 }), []string{"unknown strategy strategy(7)"}},
		{"negative intensity", with(func(s *supervisor.Spec) { s.Intensity = -1 }), []string{"negative Intensity -1"}},
		{"negative period", with(func(s *supervisor.Spec) { s.Period = -time.Second }), []string{"negative Period -1s"}},
		{"intensity without period", with(func(s *supervisor.Spec) { s.Period = 0 }), []string{"Intensity 1 needs a positive Period"}},
		{"empty name", with(func(s *supervisor.Spec) { s.Children[1].Name = "" }), []string{`child 1 "": empty Name`}},
		{"slash in name", with(func(s *supervisor.Spec) { s.Children[0].Name = "x/y" }), []string{`child 0 "x/y": Name contains`}},
		{"space in name", with(func(s *supervisor.Spec) { s.Children[0].Name = "x y" }), []string{"Name contains"}},
		{"duplicate", with(func(s *supervisor.Spec) { s.Children[1].Name = "a" }), []string{`child 1 "a": same name as child 0`}},
		{"no behavior", with(func(s *supervisor.Spec) { s.Children[0].Behavior = actor.Behavior{} }), []string{`child 0 "a": no Behavior`}},
		{"bad restart", with(func(s *supervisor.Spec) { s.Children[0].Restart = 9 }), []string{"unknown restart type restart(9)"}},
		{"negative shutdown", with(func(s *supervisor.Spec) { s.Children[0].Shutdown = -2 }), []string{"negative Shutdown"}},
		{"brutal kill", with(func(s *supervisor.Spec) { s.Children[0].Shutdown = supervisor.BrutalKill }), nil},
		{"negative capacity", with(func(s *supervisor.Spec) { s.Children[0].HWM.Capacity = -1 }), []string{"negative HWM.Capacity -1"}},
		{"bad policy", with(func(s *supervisor.Spec) { s.HWM.Policy = 9 }), []string{"Spec: unknown HWM.Policy policy(9)"}},
		{"backoff negative", with(func(s *supervisor.Spec) { s.Backoff = supervisor.Backoff{Initial: -1} }), []string{"Backoff: negative delay"}},
		{"backoff multiplier", with(func(s *supervisor.Spec) {
			s.Backoff = supervisor.Backoff{Initial: time.Second, Multiplier: 0.5}
		}), []string{"Multiplier 0.5 below 1"}},
		{"backoff NaN", with(func(s *supervisor.Spec) {
			s.Backoff = supervisor.Backoff{Initial: time.Second, Multiplier: math.NaN()}
		}), []string{"Multiplier NaN below 1"}},
		{"backoff max", with(func(s *supervisor.Spec) {
			s.Backoff = supervisor.Backoff{Initial: time.Second, Max: time.Millisecond}
		}), []string{"Max 1ms below Initial 1s"}},
		{"backoff no initial", with(func(s *supervisor.Spec) { s.Backoff = supervisor.Backoff{Max: time.Second} }), []string{"without Initial"}},
		{"snail threshold", with(func(s *supervisor.Spec) { s.Snail = &supervisor.Snail{FillThreshold: 1.5} }), []string{"Spec: Snail: FillThreshold 1.5 outside (0, 1]"}},
		{"snail negative", with(func(s *supervisor.Spec) { s.Children[1].Snail = &supervisor.Snail{MaxDelay: -1} }), []string{`child 1 "b": Snail: negative duration`}},
		{"snail tolerance alone", with(func(s *supervisor.Spec) { s.Snail = &supervisor.Snail{Tolerance: time.Second} }), []string{"Tolerance 1s without FillThreshold"}},
		{"several", with(func(s *supervisor.Spec) { s.Intensity = -1; s.Children[0].Name = "" }), []string{"negative Intensity", "empty Name"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.spec.Validate()
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("valid spec rejected: %v", err)
				}
				return
			}
			if !errors.Is(err, supervisor.ErrInvalidSpec) {
				t.Fatalf("error %v does not wrap ErrInvalidSpec", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// Start and Behavior refuse an invalid spec before anything runs.
func TestStartValidates(t *testing.T) {
	ctx := testContext(t)
	sys, _ := newSystem(t)
	bad := supervisor.Spec{Intensity: -1}
	if _, err := supervisor.Start(ctx, sys, bad); !errors.Is(err, supervisor.ErrInvalidSpec) {
		t.Errorf("Start: %v", err)
	}
	if _, err := supervisor.Behavior(bad); !errors.Is(err, supervisor.ErrInvalidSpec) {
		t.Errorf("Behavior: %v", err)
	}
}

func TestBackoffDelay(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		b    supervisor.Backoff
		want []time.Duration // for n = 1, 2, …
	}{
		{supervisor.Backoff{}, []time.Duration{0, 0}},
		{supervisor.Backoff{Initial: 10 * ms}, []time.Duration{10 * ms, 10 * ms, 10 * ms}},
		{supervisor.Backoff{Initial: 10 * ms, Multiplier: 2}, []time.Duration{10 * ms, 20 * ms, 40 * ms, 80 * ms}},
		{supervisor.Backoff{Initial: 10 * ms, Multiplier: 3, Max: 50 * ms}, []time.Duration{10 * ms, 30 * ms, 50 * ms, 50 * ms}},
	}
	for _, c := range cases {
		for i, want := range c.want {
			if got := c.b.Delay(i + 1); got != want {
				t.Errorf("%+v: Delay(%d) = %v, want %v", c.b, i+1, got, want)
			}
		}
	}
	huge := supervisor.Backoff{Initial: time.Hour, Multiplier: 1000}
	if got := huge.Delay(100); got != time.Duration(math.MaxInt64) {
		t.Errorf("uncapped growth: %v, want it to saturate", got)
	}
}

func TestSequence(t *testing.T) {
	var s supervisor.Sequence
	if _, started := s.Next(); started {
		t.Fatal("zero Sequence claims to expect a number")
	}
	for _, n := range []uint64{41, 42, 43} {
		if err := s.Check(n); err != nil {
			t.Fatalf("Check(%d): %v", n, err)
		}
	}
	err := s.Check(47)
	var gap *supervisor.GapError
	if !errors.As(err, &gap) || gap.Expected != 44 || gap.Got != 47 || gap.Missed() != 3 {
		t.Fatalf("Check(47) after 43: %v", err)
	}
	if !errors.Is(err, actor.ErrSlowConsumer) || !actor.IsFailure(err) {
		t.Errorf("gap %v is not a slow-consumer failure", err)
	}
	if err := s.Check(48); err != nil {
		t.Errorf("after a gap the sequence goes on from the number seen: %v", err)
	}
	if err := s.Check(30); !errors.Is(err, supervisor.ErrOutOfOrder) || errors.Is(err, actor.ErrSlowConsumer) {
		t.Errorf("Check(30) after 48: %v, want ErrOutOfOrder", err)
	}
	if next, _ := s.Next(); next != 49 {
		t.Errorf("an out-of-order number moved the expectation to %d", next)
	}
	s.Expect(1)
	if err := s.Check(2); !errors.As(err, &gap) || gap.Missed() != 1 {
		t.Errorf("Expect(1) then Check(2): %v", err)
	}
}

func TestNames(t *testing.T) {
	for got, want := range map[string]string{
		supervisor.RestForOne.String():     "rest_for_one",
		supervisor.Transient.String():      "transient",
		supervisor.ActionEscalate.String(): "escalate",
		supervisor.Removed.String():        "removed",
		supervisor.LimitFill.String():      "fill",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
}

// logRecords is a slog.Handler that hands records to a channel.
type logRecords chan slog.Record

func (l logRecords) Enabled(context.Context, slog.Level) bool { return true }
func (l logRecords) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l logRecords) WithGroup(string) slog.Handler            { return l }
func (l logRecords) Handle(_ context.Context, r slog.Record) error {
	select {
	case l <- r:
	default:
	}
	return nil
}

// An unknown message to a supervisor is logged as a warning, not fatal.
func TestUnexpectedMessage(t *testing.T) {
	ctx := testContext(t)
	logs := make(logRecords, 64)
	sys := actor.NewSystem(actor.WithLogger(slog.New(logs)))
	defer func() {
		if err := sys.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	}()
	sup, err := supervisor.Start(ctx, sys, supervisor.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	if err := sys.Send(ctx, sup, 42); err != nil {
		t.Fatal(err)
	}
	if _, err := supervisor.WhichChildren(ctx, sys, sup); err != nil {
		t.Fatalf("supervisor after an unexpected message: %v", err)
	}
	for {
		select {
		case r := <-logs:
			if r.Level == slog.LevelWarn && strings.Contains(r.Message, "unexpected message") {
				return
			}
		default:
			t.Fatal("no warning about the unexpected message")
		}
	}
}
