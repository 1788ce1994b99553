package mailbox

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
)

func TestSystemLaneNeverBlocksOnFullUserLane(t *testing.T) {
	for _, p := range allPolicies {
		t.Run(p.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				mb := New(WithCapacity(1), WithPolicy(p))
				if err := mb.Post(context.Background(), "user"); err != nil {
					t.Fatal(err)
				}
				// A Block sender waits on the full user lane meanwhile.
				blocked := make(chan error, 1)
				if p == Block {
					go func() { blocked <- mb.Post(context.Background(), "waiting") }()
				}
				done := make(chan struct{})
				go func() {
					defer close(done)
					for i := range 1000 {
						mb.PostSystem(i)
					}
				}()
				synctest.Wait()
				select {
				case <-done:
				default:
					t.Fatal("PostSystem blocked on a full mailbox")
				}
				if !mb.HasSystem() {
					t.Fatal("HasSystem is false with 1000 system messages queued")
				}
				next := 0
				n := mb.DrainSystem(func(m any) {
					if m != next && !t.Failed() {
						t.Errorf("system message %v, want %d (FIFO)", m, next)
					}
					next++
				})
				if n != 1000 || mb.HasSystem() {
					t.Errorf("DrainSystem handled %d, HasSystem after: %v", n, mb.HasSystem())
				}
				if mb.Len() != 1 {
					t.Errorf("user lane changed: len %d", mb.Len())
				}
				if p == Block {
					<-mb.C()
					if err := <-blocked; err != nil {
						t.Fatal(err)
					}
				}
			})
		})
	}
}

func TestDrainSystemEmpty(t *testing.T) {
	mb := New()
	if mb.HasSystem() {
		t.Error("new mailbox has system messages")
	}
	if n := mb.DrainSystem(func(m any) { t.Errorf("called with %v", m) }); n != 0 {
		t.Errorf("DrainSystem on an empty lane returned %d", n)
	}
}

// TestSystemLaneConcurrent: 8 producers post while two goroutines drain.
// Every message is handled exactly once, and each drainer sees each
// producer's messages in the order they were posted.
func TestSystemLaneConcurrent(t *testing.T) {
	const perProd = 5000
	l := newLedger(producers, perProd)
	mb := New()
	var prod sync.WaitGroup
	for p := range producers {
		prod.Go(func() {
			for i := range perProd {
				mb.PostSystem(p*perProd + i)
			}
		})
	}
	producersDone := make(chan struct{})
	go func() { prod.Wait(); close(producersDone) }()

	var drainers sync.WaitGroup
	handled := [2]int{}
	orderErr := [2]error{}
	for d := range 2 {
		drainers.Go(func() {
			order := newFIFO(perProd)
			f := func(m any) {
				order.see(m)
				l.mark(m, fateReceived)
			}
			for {
				select {
				case <-producersDone:
					handled[d] += mb.DrainSystem(f)
					orderErr[d] = order.err
					return
				default:
					handled[d] += mb.DrainSystem(f)
				}
			}
		})
	}
	waitOrFail(t, &drainers, "drainers")
	for d, err := range orderErr {
		if err != nil {
			t.Errorf("drainer %d: %v", d, err)
		}
	}
	c := l.counts(t)
	if c[fateReceived] != producers*perProd || handled[0]+handled[1] != producers*perProd {
		t.Errorf("handled %d+%d, ledger %d, want %d", handled[0], handled[1], c[fateReceived], producers*perProd)
	}
	t.Logf("drainer shares: %d and %d", handled[0], handled[1])
	if mb.HasSystem() {
		t.Error("system messages left after draining")
	}
}
