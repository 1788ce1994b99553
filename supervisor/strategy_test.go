package supervisor_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/supervisor"
)

// exitCase is one way for a child to exit.
type exitCase struct {
	name     string
	cmd      string // the command that makes the worker exit (see obey)
	abnormal bool
	check    func(reason error) bool
}

var exitCases = []exitCase{
	{"normal", "normal", false, func(r error) bool { return errors.Is(r, actor.ErrNormal) }},
	{"failure", "fail", true, func(r error) bool { return errors.Is(r, errBoom) }},
	{"panic", "panic", true, func(r error) bool {
		var f *actor.Failure
		return errors.As(r, &f) && f.Panic == "boom"
	}},
	{"slow", "gap", true, func(r error) bool {
		var g *supervisor.GapError
		return errors.Is(r, actor.ErrSlowConsumer) && errors.As(r, &g) && g.Missed() == 2
	}},
}

// TestStrategyTable runs every strategy × restart type × exit reason with
// three children a, b, c where b exits, and checks which children are
// stopped and restarted, in which order, and which keep their incarnation.
func TestStrategyTable(t *testing.T) {
	for _, strategy := range []supervisor.Strategy{supervisor.OneForOne, supervisor.OneForAll, supervisor.RestForOne} {
		for _, restart := range []supervisor.Restart{supervisor.Permanent, supervisor.Transient, supervisor.Temporary} {
			for _, ec := range exitCases {
				t.Run(fmt.Sprintf("%v/%v/%s", strategy, restart, ec.name), func(t *testing.T) {
					runStrategyCase(t, strategy, restart, ec)
				})
			}
		}
	}
}

// expectedGroup returns the children restarted when b exits, in order.
func expectedGroup(strategy supervisor.Strategy, restart supervisor.Restart, abnormal bool) []string {
	switch {
	case restart == supervisor.Temporary, restart == supervisor.Transient && !abnormal:
		return nil
	case strategy == supervisor.OneForAll:
		return []string{"a", "b", "c"}
	case strategy == supervisor.RestForOne:
		return []string{"b", "c"}
	}
	return []string{"b"}
}

// expectedJournal returns the lifecycle lines that follow b's exit: b's
// own stop, the siblings of the group stopped youngest first, then the
// group started oldest first.
func expectedJournal(group []string) []string {
	want := []string{"stop:b"}
	for _, n := range slices.Backward(group) {
		if n != "b" {
			want = append(want, "stop:"+n)
		}
	}
	for _, n := range group {
		want = append(want, "start:"+n)
	}
	return want
}

func runStrategyCase(t *testing.T, strategy supervisor.Strategy, restart supervisor.Restart, ec exitCase) {
	ctx := testContext(t)
	sys, ev := newSystem(t)
	j := newJournal()
	defer j.check(t)
	spec := supervisor.NewSpec(strategy,
		supervisor.ChildSpec{Name: "a", Behavior: worker("a", j)},
		supervisor.ChildSpec{Name: "b", Behavior: worker("b", j), Restart: restart},
		supervisor.ChildSpec{Name: "c", Behavior: worker("c", j)},
	)
	sup, err := supervisor.Start(ctx, sys, spec, actor.WithName("sup"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := j.take(), []string{"start:a", "start:b", "start:c"}; !slices.Equal(got, want) {
		t.Fatalf("initial start: %v, want %v", got, want)
	}
	before := children(t, ctx, sys, sup)

	send(t, ctx, sys, "sup/b", ec.cmd)
	x, prior := ev.exit(t, "b")

	group := expectedGroup(strategy, restart, ec.abnormal)
	if x.Ref != before["b"].Ref || !ec.check(x.Reason) {
		t.Errorf("ChildExit for %v with reason %v; want %v with a %s reason", x.Ref, x.Reason, before["b"].Ref, ec.name)
	}
	wantAction := supervisor.ActionRestart
	if group == nil {
		wantAction = supervisor.ActionNone
	}
	if x.Action != wantAction || !slices.Equal(x.Group, group) {
		t.Errorf("action %v group %v, want %v %v", x.Action, x.Group, wantAction, group)
	}
	var wantRestarted []string
	for _, n := range group {
		wantRestarted = append(wantRestarted, "sup/"+n)
	}
	if got := restartedNames(prior); !slices.Equal(got, wantRestarted) {
		t.Errorf("Restarted events for %v, want %v", got, wantRestarted)
	}
	if got, want := j.take(), expectedJournal(group); !slices.Equal(got, want) {
		t.Errorf("lifecycle after b's exit: %v, want %v", got, want)
	}
	checkIncarnations(t, before, children(t, ctx, sys, sup), group, restart)
}

// checkIncarnations checks that exactly the group has new incarnations,
// and what became of b when it was not restarted.
func checkIncarnations(t *testing.T, before, after map[string]supervisor.ChildInfo, group []string, restart supervisor.Restart) {
	t.Helper()
	for _, n := range []string{"a", "b", "c"} {
		b, a := before[n], after[n]
		switch {
		case slices.Contains(group, n):
			if a.Ref == b.Ref || a.Ref.IsZero() || a.Starts != 2 || a.State != supervisor.Running {
				t.Errorf("%s: %+v, want a new running incarnation (was %v)", n, a, b.Ref)
			}
		case n == "b":
			want := supervisor.Exited
			if restart == supervisor.Temporary {
				want = supervisor.Removed
			}
			if !a.Ref.IsZero() || a.State != want || a.Starts != 1 {
				t.Errorf("b: %+v, want no incarnation, state %v, 1 start", a, want)
			}
		default:
			if a.Ref != b.Ref || a.Starts != 1 {
				t.Errorf("%s: %+v, want the same incarnation %v", n, a, b.Ref)
			}
		}
	}
}
