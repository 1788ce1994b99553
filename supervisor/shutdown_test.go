package supervisor_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
	"github.com/troupe-go/troupe/supervisor"
)

// stubborn returns a child that, on "block", blocks in its handler until
// its context ends or release is closed, and journals why and when (in
// virtual time since t0), and whether it got Stopping.
func stubborn(name string, j *journal, t0 *time.Time, blocked chan<- string, release <-chan struct{}) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		switch p.Message().(type) {
		case actor.Stopping:
			j.add("stopping:" + name)
		case string:
			// Make the context before saying so: the runtime (for now)
			// loses a Kill that comes before an actor's first
			// p.Context() call: cell.context does not see an earlier kill).
			ctx := p.Context()
			blocked <- name
			select {
			case <-ctx.Done():
				j.add(fmt.Sprintf("%s:%v@%v", name, context.Cause(ctx), time.Since(*t0)))
			case <-release:
			}
		}
		return nil
	})
}

// A child that does not stop within its Shutdown time is killed then; a
// BrutalKill child is killed at once, without Stopping; a cooperative one
// stops gracefully. Children are handled youngest first.
func TestShutdownTimeoutKills(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys, _ := newSystem(t)
		j := newJournal()
		var t0 time.Time
		blocked := make(chan string, 2)
		release := make(chan struct{})
		defer close(release)
		spec := supervisor.NewSpec(supervisor.OneForOne,
			supervisor.ChildSpec{Name: "patient", Behavior: stubborn("patient", j, &t0, blocked, release), Shutdown: 250 * time.Millisecond},
			supervisor.ChildSpec{Name: "brutal", Behavior: stubborn("brutal", j, &t0, blocked, release), Shutdown: supervisor.BrutalKill},
			supervisor.ChildSpec{Name: "polite", Behavior: stubborn("polite", j, &t0, blocked, release)},
		)
		sup := startOne(t, sys, spec)
		for _, name := range []string{"sup/patient", "sup/brutal"} {
			if err := sys.Send(context.Background(), actor.Ref{Name: name}, "block"); err != nil {
				t.Fatal(err)
			}
			<-blocked
		}
		t0 = time.Now()
		if err := sys.Stop(context.Background(), sup); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(t0); got != 250*time.Millisecond {
			t.Errorf("the stop took %v, want the patient child's 250ms", got)
		}
		want := []string{
			"stopping:polite",
			"brutal:actor: killed@0s",
			"patient:actor: killed@250ms",
		}
		if got := j.take(); len(got) < 3 || !slices.Equal(got[:3], want) {
			t.Errorf("journal %v, want it to start with %v", got, want)
		}
		j.check(t)
	})
}

// Children get the mailbox of their ChildSpec.HWM, or else the Spec's.
func TestHWMApplied(t *testing.T) {
	ctx := testContext(t)
	sys, ev := newSystem(t)
	j := newJournal()
	spec := supervisor.NewSpec(supervisor.OneForOne,
		supervisor.ChildSpec{Name: "own", Behavior: worker("own", j), HWM: supervisor.HWM{Capacity: 8, Policy: mailbox.DropOldest}},
		supervisor.ChildSpec{Name: "inherits", Behavior: worker("inherits", j)},
	)
	spec.HWM = supervisor.HWM{Capacity: 3, Policy: mailbox.Fail}
	sup, err := supervisor.Start(ctx, sys, spec, actor.WithName("sup"))
	if err != nil {
		t.Fatal(err)
	}
	kids := children(t, ctx, sys, sup)
	for name, want := range map[string]supervisor.HWM{"own": {Capacity: 8, Policy: mailbox.DropOldest}, "inherits": {Capacity: 3, Policy: mailbox.Fail}} {
		st, ok := sys.MailboxStats(kids[name].Ref)
		if !ok || st.Capacity != want.Capacity || st.Policy != want.Policy {
			t.Errorf("%s: mailbox %d %v (%v), want %d %v", name, st.Capacity, st.Policy, ok, want.Capacity, want.Policy)
		}
	}
	// The restarted incarnation gets the same mailbox.
	send(t, ctx, sys, "sup/own", "fail")
	ev.exit(t, "own")
	st, _ := sys.MailboxStats(children(t, ctx, sys, sup)["own"].Ref)
	if st.Capacity != 8 || st.Policy != mailbox.DropOldest {
		t.Errorf("restarted: mailbox %d %v", st.Capacity, st.Policy)
	}
}

// WhichChildren reports a clear error for an actor that is not a
// supervisor.
func TestWhichChildrenNotSupervisor(t *testing.T) {
	ctx := testContext(t)
	sys, _ := newSystem(t)
	echo, err := sys.Spawn(ctx, actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Started); ok {
			return nil
		}
		return p.Reply("hello")
	}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := supervisor.WhichChildren(ctx, sys, echo); !errors.Is(err, supervisor.ErrNotSupervisor) {
		t.Errorf("WhichChildren of an echo actor: %v", err)
	}
	if _, err := supervisor.WhichChildren(ctx, sys, actor.Ref{Name: "nobody-here"}); !errors.Is(err, actor.ErrNotFound) {
		t.Errorf("WhichChildren of nobody: %v", err)
	}
}

// A WhichChildren caller that gives up before the supervisor answers does
// not hurt the supervisor: the late reply is a dead letter.
func TestWhichChildrenLateReply(t *testing.T) {
	ctx := testContext(t)
	sys, ev := newSystem(t)
	j := newJournal()
	defer j.check(t)
	inStopping := make(chan struct{}, 1)
	gate := make(chan struct{})
	slowStop := actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Stopping); ok {
			inStopping <- struct{}{}
			<-gate
		}
		return nil
	})
	spec := supervisor.NewSpec(supervisor.OneForAll,
		supervisor.ChildSpec{Name: "slowstop", Behavior: slowStop},
		supervisor.ChildSpec{Name: "w", Behavior: worker("w", j)},
	)
	sup, err := supervisor.Start(ctx, sys, spec, actor.WithName("sup"))
	if err != nil {
		t.Fatal(err)
	}
	send(t, ctx, sys, "sup/w", "fail")
	<-inStopping // the supervisor is busy restarting the group
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if _, err := supervisor.WhichChildren(short, sys, sup); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WhichChildren while the supervisor is busy: %v, want a timeout", err)
	}
	close(gate)
	if x, _ := ev.exit(t, "w"); x.Action != supervisor.ActionRestart {
		t.Fatalf("action %v", x.Action)
	}
	kids := children(t, ctx, sys, sup) // answered after the late reply
	if !sys.Alive(sup) || kids["w"].Starts != 2 || kids["slowstop"].Starts != 2 {
		t.Errorf("after a late reply: alive %v, children %+v", sys.Alive(sup), kids)
	}
	if n := sys.DeadLetters()[actor.ReasonLateReply]; n != 1 {
		t.Errorf("%d late-reply dead letters, want 1", n)
	}
}
