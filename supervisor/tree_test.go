package supervisor_test

import (
	"errors"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/supervisor"
)

func mustBehavior(t *testing.T, spec supervisor.Spec) actor.Behavior {
	t.Helper()
	b, err := supervisor.Behavior(spec)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// An inner supervisor that exceeds its intensity fails; its parent
// supervisor restarts it (a fresh tree), and escalates in turn when that
// happens too often.
func TestEscalationReachesParent(t *testing.T) {
	ctx := testContext(t)
	sys, ev := newSystem(t)
	j := newJournal()
	defer j.check(t)
	inner := supervisor.Spec{Children: []supervisor.ChildSpec{{Name: "w", Behavior: worker("w", j)}}} // never restarts
	outer := supervisor.NewSpec(supervisor.OneForOne,
		supervisor.ChildSpec{Name: "peer", Behavior: worker("peer", j)},
		supervisor.ChildSpec{Name: "inner", Behavior: mustBehavior(t, inner), Shutdown: supervisor.Infinity},
	)
	top, err := supervisor.Start(ctx, sys, outer, actor.WithName("top"))
	if err != nil {
		t.Fatal(err)
	}
	innerRef := children(t, ctx, sys, top)["inner"].Ref

	send(t, ctx, sys, "top/inner/w", "fail")
	if x, _ := ev.exit(t, "w"); x.Action != supervisor.ActionEscalate {
		t.Fatalf("inner: %v, want escalate", x.Action)
	}
	x, prior := ev.exit(t, "inner")
	var ie *supervisor.IntensityError
	if x.Action != supervisor.ActionRestart || x.Ref != innerRef || !errors.As(x.Reason, &ie) || ie.Child != "w" {
		t.Fatalf("outer: %+v, want a restart of %v after an *IntensityError for w", x, innerRef)
	}
	if got, want := restartedNames(prior), []string{"top/inner"}; !slices.Equal(got, want) {
		t.Errorf("restarted %v, want %v", got, want)
	}
	if got, want := j.take(), []string{"start:peer", "start:w", "stop:w", "start:w"}; !slices.Equal(got, want) {
		t.Errorf("journal %v, want %v", got, want)
	}

	send(t, ctx, sys, "top/inner/w", "fail") // the second restart of inner within 5 s
	ev.exit(t, "w")
	if x, _ := ev.exit(t, "inner"); x.Action != supervisor.ActionEscalate {
		t.Fatalf("outer: %v, want escalate", x.Action)
	}
	reason := ev.stopped(t, top)
	if !errors.As(reason, &ie) || ie.Child != "inner" || !errors.Is(ie.Reason, actor.ErrIntensity) {
		t.Fatalf("top's exit reason %v, want an *IntensityError for inner", reason)
	}
	var innerErr *supervisor.IntensityError
	if !errors.As(ie.Reason, &innerErr) || innerErr.Child != "w" || !errors.Is(innerErr.Reason, errBoom) {
		t.Errorf("inner's reason %v, want an *IntensityError for w's failure", ie.Reason)
	}
	// The system then restarts top, a top-level actor: only the start of
	// the journal is about the escalation.
	if got, want := j.take(), []string{"stop:w", "stop:peer"}; len(got) < 2 || !slices.Equal(got[:2], want) {
		t.Errorf("journal %v, want it to start with %v", got, want)
	}
}

// A supervisor stops its children in reverse start order, a nested
// supervisor's children before the supervisor itself.
func TestShutdownOrder(t *testing.T) {
	ctx := testContext(t)
	sys, _ := newSystem(t)
	j := newJournal()
	defer j.check(t)
	inner := supervisor.NewSpec(supervisor.OneForOne,
		supervisor.ChildSpec{Name: "x", Behavior: worker("x", j)},
		supervisor.ChildSpec{Name: "y", Behavior: worker("y", j)},
	)
	spec := supervisor.NewSpec(supervisor.OneForAll,
		supervisor.ChildSpec{Name: "a", Behavior: worker("a", j)},
		supervisor.ChildSpec{Name: "b", Behavior: worker("b", j)},
		supervisor.ChildSpec{Name: "inner", Behavior: mustBehavior(t, inner)},
		supervisor.ChildSpec{Name: "c", Behavior: worker("c", j)},
	)
	sup, err := supervisor.Start(ctx, sys, spec, actor.WithName("sup"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := j.take(), []string{"start:a", "start:b", "start:x", "start:y", "start:c"}; !slices.Equal(got, want) {
		t.Fatalf("start order %v, want %v", got, want)
	}
	if _, ok := sys.Lookup("sup/inner/y"); !ok {
		t.Errorf("sup/inner/y is not registered")
	}
	if err := sys.Stop(ctx, sup); err != nil {
		t.Fatal(err)
	}
	if got, want := j.take(), []string{"stop:c", "stop:y", "stop:x", "stop:b", "stop:a"}; !slices.Equal(got, want) {
		t.Errorf("stop order %v, want %v", got, want)
	}
}

// A child that fails to start makes the supervisor's start fail, after the
// children already started are stopped; the later ones never start.
func TestStartFailure(t *testing.T) {
	ctx := testContext(t)
	sys, _ := newSystem(t)
	j := newJournal()
	defer j.check(t)
	errRefused := errors.New("refused")
	refuse := actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Started); ok {
			return errRefused
		}
		return nil
	})
	spec := supervisor.NewSpec(supervisor.OneForOne,
		supervisor.ChildSpec{Name: "a", Behavior: worker("a", j)},
		supervisor.ChildSpec{Name: "b", Behavior: worker("b", j)},
		supervisor.ChildSpec{Name: "bad", Behavior: refuse},
		supervisor.ChildSpec{Name: "c", Behavior: worker("c", j)},
	)
	_, err := supervisor.Start(ctx, sys, spec, actor.WithName("sup"))
	if !errors.Is(err, errRefused) {
		t.Fatalf("Start: %v, want the child's error", err)
	}
	if got, want := j.take(), []string{"start:a", "start:b", "stop:b", "stop:a"}; !slices.Equal(got, want) {
		t.Errorf("journal %v, want %v", got, want)
	}
	for _, name := range []string{"sup", "sup/a", "sup/b"} {
		if ref, ok := sys.Lookup(name); ok {
			t.Errorf("%s is still registered as %v", name, ref)
		}
	}
}

// A restart whose start fails counts towards the intensity and is retried
// until the supervisor escalates.
func TestRestartFailureRetriesThenEscalates(t *testing.T) {
	ctx := testContext(t)
	sys, ev := newSystem(t)
	j := newJournal()
	defer j.check(t)
	errRefused := errors.New("refused")
	var starts atomic.Int32
	flaky := actor.Func(func(p *actor.Process) error {
		switch p.Message().(type) {
		case actor.Started:
			j.add(p.Parent().String())
			if starts.Add(1) > 1 {
				return errRefused
			}
		case string:
			return errBoom
		}
		return nil
	})
	spec := supervisor.Spec{Intensity: 3, Period: waitLimit, Children: []supervisor.ChildSpec{{Name: "w", Behavior: flaky}}}
	sup, err := supervisor.Start(ctx, sys, spec, actor.WithName("sup"))
	if err != nil {
		t.Fatal(err)
	}
	send(t, ctx, sys, "sup/w", "fail")
	reason := ev.stopped(t, sup)
	var ie *supervisor.IntensityError
	if !errors.As(reason, &ie) || !errors.Is(ie.Reason, errRefused) {
		t.Fatalf("supervisor exit reason %v, want an *IntensityError for the refused start", reason)
	}
	// One restart for the failure and two retries are allowed; the third
	// retry escalates without starting. (The system then restarts the
	// supervisor, whose new incarnation's start fails: not counted here.)
	n := 0
	for _, parent := range j.take() {
		if parent == sup.String() {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d starts under %v, want 1 + 3 restart attempts", n, sup)
	}
}

// Transient children that exited normally are started again by a group
// restart, as in OTP; Temporary ones are not.
func TestGroupRestartIncludesExitedTransient(t *testing.T) {
	ctx := testContext(t)
	sys, ev := newSystem(t)
	j := newJournal()
	defer j.check(t)
	spec := supervisor.NewSpec(supervisor.OneForAll,
		supervisor.ChildSpec{Name: "t", Behavior: worker("t", j), Restart: supervisor.Transient},
		supervisor.ChildSpec{Name: "tmp", Behavior: worker("tmp", j), Restart: supervisor.Temporary},
		supervisor.ChildSpec{Name: "p", Behavior: worker("p", j)},
	)
	spec.Intensity = 2
	sup, err := supervisor.Start(ctx, sys, spec, actor.WithName("sup"))
	if err != nil {
		t.Fatal(err)
	}
	send(t, ctx, sys, "sup/t", "normal")
	if x, _ := ev.exit(t, "t"); x.Action != supervisor.ActionNone {
		t.Fatalf("transient normal exit: %v", x.Action)
	}
	send(t, ctx, sys, "sup/p", "fail")
	x, prior := ev.exit(t, "p")
	if want := []string{"t", "p"}; !slices.Equal(x.Group, want) {
		t.Errorf("group %v, want %v", x.Group, want)
	}
	if got, want := restartedNames(prior), []string{"sup/t", "sup/p"}; !slices.Equal(got, want) {
		t.Errorf("restarted %v, want %v", got, want)
	}
	kids := children(t, ctx, sys, sup)
	if kids["tmp"].State != supervisor.Removed || kids["t"].State != supervisor.Running || kids["t"].Starts != 2 {
		t.Errorf("children after the group restart: %+v", kids)
	}
	if got, want := j.take(), []string{"start:t", "start:tmp", "start:p", "stop:t", "stop:p", "stop:tmp", "start:t", "start:p"}; !slices.Equal(got, want) {
		t.Errorf("journal %v, want %v", got, want)
	}
}
