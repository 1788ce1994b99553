package net

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/troupe-go/troupe/actor"
)

func TestSpawnRemote(t *testing.T) {
	transports(t, func(t *testing.T, tr string) {
		ctx := testContext(t)
		sysA, a := startNode(t, endpoint(t, tr))
		sysB, b := startNode(t, endpoint(t, tr))
		if err := b.RegisterKind("echo", echo(nil)); err != nil {
			t.Fatal(err)
		}
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		ref, err := a.SpawnRemote(sctx, b.Address(), "echo", "e1")
		if err != nil {
			t.Fatalf("spawn: %v", err)
		}
		if ref.Node != b.Address() || ref.Name != "e1" || !sysB.Alive(ref) {
			t.Fatalf("spawned %v (alive on B: %v)", ref, sysB.Alive(ref))
		}
		if reply, err := sysA.Request(ctx, ref, msgPing{N: 5}); err != nil || reply != (msgPong{N: 5}) {
			t.Fatalf("request to the spawned actor: %#v, %v", reply, err)
		}
		if _, err := a.SpawnRemote(ctx, b.Address(), "echo", "e1"); !errors.Is(err, ErrSpawnFailed) {
			t.Fatalf("spawn with a taken name: %v, want ErrSpawnFailed", err)
		}
		if _, err := a.SpawnRemote(ctx, b.Address(), "nope", ""); !errors.Is(err, ErrSpawnFailed) {
			t.Fatalf("spawn of an unknown kind: %v, want ErrSpawnFailed", err)
		}
		anon, err := a.SpawnRemote(ctx, b.Address(), "echo", "")
		if err != nil || anon.Name != "" || !sysB.Alive(anon) {
			t.Fatalf("anonymous spawn: %v, %v", anon, err)
		}
	})
}

// TestSpawnRemoteDeadline checks that the caller's deadline bounds a
// remote spawn whose start step hangs, and that the late answer is a
// dead letter, not a leak.
func TestSpawnRemoteDeadline(t *testing.T) {
	ctx := testContext(t)
	sysA, a := startNode(t, endpoint(t, "tcp"))
	_, b := startNode(t, endpoint(t, "tcp"))
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	slow := actor.Func(func(p *actor.Process) error {
		if _, ok := p.Message().(actor.Started); ok {
			started <- struct{}{}
			<-release
		}
		return nil
	})
	if err := b.RegisterKind("slow", slow); err != nil {
		t.Fatal(err)
	}
	late := deadLetters(t, sysA, 4)
	sctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err := a.SpawnRemote(sctx, b.Address(), "slow", "s")
	var te *actor.TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("spawn past its deadline: %v, want a timeout", err)
	}
	recv(t, started, "the slow start")
	close(release)
	if d := recv(t, late, "the late answer"); d.Reason != actor.ReasonLateReply {
		t.Fatalf("dead letter %v, want a late reply", d)
	}
}

func TestSpawnLocalKind(t *testing.T) {
	sys, a := startNode(t, endpoint(t, "tcp"))
	if err := a.RegisterKind("echo", echo(nil)); err != nil {
		t.Fatal(err)
	}
	if err := a.RegisterKind("", echo(nil)); err == nil {
		t.Fatal("RegisterKind accepted an empty name")
	}
	ref, err := a.SpawnRemote(testContext(t), a.Address(), "echo", "here")
	if err != nil || !sys.Alive(ref) || ref.Node != a.Address() {
		t.Fatalf("spawn on the node itself: %v, %v", ref, err)
	}
}
