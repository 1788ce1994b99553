package supervisor_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/supervisor"
)

// These tests run in synctest bubbles: time is virtual, so windows and
// delays are exact. They must not use System.Request (WhichChildren): the
// runtime pools request slots, and a slot made in one bubble must not be
// used in another.

// advance lets d of virtual time pass (the bubble's clock; nothing waits
// for real).
func advance(d time.Duration) {
	timer := time.NewTimer(d)
	<-timer.C
}

func startOne(t *testing.T, sys *actor.System, spec supervisor.Spec) actor.Ref {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	sup, err := supervisor.Start(ctx, sys, spec, actor.WithName("sup"))
	if err != nil {
		t.Fatal(err)
	}
	return sup
}

// failW makes sup/w fail and returns the supervisor's decision.
func failW(t *testing.T, sys *actor.System, ev *events) (supervisor.ChildExit, []any) {
	t.Helper()
	if err := sys.Send(context.Background(), actor.Ref{Name: "sup/w"}, "fail"); err != nil {
		t.Fatalf("send: %v", err)
	}
	return ev.exit(t, "w")
}

func intensitySpec(intensity int, period time.Duration, j *journal) supervisor.Spec {
	return supervisor.Spec{Intensity: intensity, Period: period, Children: []supervisor.ChildSpec{
		{Name: "w", Behavior: worker("w", j)},
	}}
}

// More than Intensity restarts within Period escalate: the supervisor
// stops its child and fails with an *IntensityError.
func TestIntensityBurstEscalates(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys, ev := newSystem(t)
		j := newJournal()
		sup := startOne(t, sys, intensitySpec(2, time.Second, j))
		for i, want := range []supervisor.Action{supervisor.ActionRestart, supervisor.ActionRestart, supervisor.ActionEscalate} {
			if x, _ := failW(t, sys, ev); x.Action != want {
				t.Fatalf("failure %d: action %v, want %v", i+1, x.Action, want)
			}
			advance(300 * time.Millisecond) // 3 failures within 0.6 s
		}
		reason := ev.stopped(t, sup)
		var ie *supervisor.IntensityError
		if !errors.Is(reason, actor.ErrIntensity) || !errors.As(reason, &ie) {
			t.Fatalf("supervisor exit reason %v, want an *IntensityError", reason)
		}
		if ie.Child != "w" || ie.Intensity != 2 || ie.Period != time.Second || !errors.Is(ie.Reason, errBoom) {
			t.Errorf("IntensityError %+v", ie)
		}
		if errors.Is(reason, errBoom) {
			t.Errorf("the escalation wraps the child's reason %v; it must not", reason)
		}
		j.check(t)
	})
}

// Failures spaced so that no Period holds more than Intensity restarts
// never escalate; a restart exactly Period ago no longer counts.
func TestIntensitySpacedFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys, ev := newSystem(t)
		j := newJournal()
		startOne(t, sys, intensitySpec(2, time.Second, j))
		for i := range 8 { // at 0, 0.5 s, 1 s, … 3.5 s: two per window
			if x, _ := failW(t, sys, ev); x.Action != supervisor.ActionRestart {
				t.Fatalf("failure %d at %v: action %v, want restart", i+1, time.Duration(i)*500*time.Millisecond, x.Action)
			}
			advance(500 * time.Millisecond)
		}
		// Then at 4 s, 4.5 s and 4.999 s: three restarts within one Period.
		failW(t, sys, ev)
		advance(500 * time.Millisecond)
		failW(t, sys, ev)
		advance(499 * time.Millisecond)
		if x, _ := failW(t, sys, ev); x.Action != supervisor.ActionEscalate {
			t.Errorf("third failure within 999 ms: action %v, want escalate", x.Action)
		}
		j.check(t)
	})
}

// Intensity 0 means never restart: the first restart escalates.
func TestIntensityZeroNeverRestarts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys, ev := newSystem(t)
		j := newJournal()
		sup := startOne(t, sys, intensitySpec(0, 0, j))
		if x, prior := failW(t, sys, ev); x.Action != supervisor.ActionEscalate || len(restartedNames(prior)) != 0 {
			t.Fatalf("action %v, restarts %v; want escalate, no restart", x.Action, restartedNames(prior))
		}
		if reason := ev.stopped(t, sup); !errors.Is(reason, actor.ErrIntensity) {
			t.Errorf("supervisor exit reason %v", reason)
		}
		j.check(t)
	})
}

// The backoff delays each restart by its timer, growing by Multiplier up
// to Max, and starts over once the child has run for a whole Period.
func TestBackoffDelaysRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys, ev := newSystem(t)
		j := newJournal()
		spec := intensitySpec(10, time.Second, j)
		spec.Backoff = supervisor.Backoff{Initial: 100 * time.Millisecond, Max: 300 * time.Millisecond, Multiplier: 2}
		startOne(t, sys, spec)
		j.take()
		ms := time.Millisecond
		for i, want := range []time.Duration{100 * ms, 200 * ms, 300 * ms, 300 * ms} {
			checkDelayedRestart(t, sys, ev, j, want, i+1)
		}
		advance(time.Second) // a whole Period without failing
		checkDelayedRestart(t, sys, ev, j, 100*ms, 5)
		j.check(t)
	})
}

func checkDelayedRestart(t *testing.T, sys *actor.System, ev *events, j *journal, want time.Duration, n int) {
	t.Helper()
	t0 := time.Now()
	x, prior := failW(t, sys, ev)
	if x.Action != supervisor.ActionRestart || x.Delay != want || len(restartedNames(prior)) != 0 {
		t.Fatalf("failure %d: %v after %v, restarted %v; want a restart after %v", n, x.Action, x.Delay, restartedNames(prior), want)
	}
	synctest.Wait()
	if got := j.take(); len(got) != 1 || got[0] != "stop:w" {
		t.Fatalf("failure %d: before the delay the journal shows %v, want only stop:w", n, got)
	}
	ev.until(t, "Restarted", func(e any) bool { _, ok := e.(actor.Restarted); return ok })
	if got := time.Since(t0); got != want {
		t.Errorf("failure %d: restarted after %v of virtual time, want %v", n, got, want)
	}
	if got := j.take(); len(got) != 1 || got[0] != "start:w" {
		t.Errorf("failure %d: after the delay the journal shows %v, want start:w", n, got)
	}
}
