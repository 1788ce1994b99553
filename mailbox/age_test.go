package mailbox

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

const tick = 100 * time.Millisecond

// probeClock drives an AgeProbe from a virtual-time ticker.
type probeClock struct {
	probe  *AgeProbe
	ticker *time.Ticker
}

func newProbeClock(mb *Mailbox) *probeClock {
	return &probeClock{probe: NewAgeProbe(mb), ticker: time.NewTicker(tick)}
}

// next waits for the next tick and samples.
func (c *probeClock) next() time.Duration {
	return c.probe.Sample(<-c.ticker.C)
}

func post(t *testing.T, mb *Mailbox, msg any) {
	t.Helper()
	if err := mb.Post(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
}

func TestAgeEmptyIsZero(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newProbeClock(New())
		defer c.ticker.Stop()
		for range 2000 {
			if age := c.next(); age != 0 {
				t.Fatalf("empty mailbox has age %v", age)
			}
			if n := len(c.probe.samples); n > 1 {
				t.Fatalf("probe of an empty mailbox keeps %d samples", n)
			}
		}
	})
}

func TestAgeStuckMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mb := New()
		c := newProbeClock(mb)
		defer c.ticker.Stop()
		c.next() // an empty sample before the post, as a monitor would have
		posted := time.Now()
		post(t, mb, "stuck")
		var age time.Duration
		for range 10 { // 1 s of ticks
			age = c.next()
			if real := time.Since(posted); age > real || age < real-tick {
				t.Fatalf("at %v the estimate is %v: not within one tick below the true age", real, age)
			}
		}
		if real := time.Since(posted); real != time.Second {
			t.Fatalf("virtual clock at %v, want 1s", real)
		}
		if age < 900*time.Millisecond || age > 1100*time.Millisecond {
			t.Errorf("message stuck for 1s reported %v, want 900ms..1.1s", age)
		}

		<-mb.C()
		if age := c.next(); age != 0 {
			t.Errorf("after the owner received, age %v, want 0", age)
		}
		// The age restarts with the next message, not the old samples.
		post(t, mb, "fresh")
		posted = time.Now()
		for range 5 {
			age = c.next()
		}
		if real := time.Since(posted); age > real || age < real-tick {
			t.Errorf("fresh message: estimate %v, true age %v", age, real)
		}
	})
}

// After the owner takes the head, the age is that of the new head.
func TestAgeFollowsHead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mb := New()
		c := newProbeClock(mb)
		defer c.ticker.Stop()
		post(t, mb, "a")
		for range 5 {
			c.next()
		}
		post(t, mb, "b")
		bPosted := time.Now()
		for range 5 {
			c.next()
		}
		if age := c.next(); age < time.Second-tick || age > 1200*time.Millisecond {
			t.Errorf("head a: age %v, want about 1.2s", age)
		}
		<-mb.C() // a
		age := c.next()
		if real := time.Since(bPosted); age > real || age < real-tick {
			t.Errorf("head b: estimate %v, true age %v", age, real)
		}
	})
}

// TestAgeThinning: thousands of samples with a growing backlog that the
// owner works off slowly. The probe's memory stays bounded and every
// estimate is a lower bound on the head's true age.
func TestAgeThinning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const samples, every = 5000, 40
		mb := New(WithCapacity(samples))
		c := newProbeClock(mb)
		defer c.ticker.Stop()
		var postedAt []time.Time // by sequence number
		head := 0                // sequence of the oldest queued message
		maxLen, maxCap, zero := 0, 0, 0
		var worst time.Duration
		worstRatio := 0.0
		for i := range samples {
			post(t, mb, i)
			postedAt = append(postedAt, time.Now())
			if i%every == every-1 {
				<-mb.C()
				head++
			}
			age := c.next()
			real := time.Since(postedAt[head])
			if age > real {
				t.Fatalf("sample %d: estimate %v exceeds the true age %v", i, age, real)
			}
			if age == 0 {
				zero++
			}
			worst = max(worst, real-age)
			if real >= 10*tick {
				worstRatio = max(worstRatio, float64(real-age)/float64(real))
			}
			maxLen, maxCap = max(maxLen, len(c.probe.samples)), max(maxCap, cap(c.probe.samples))
		}
		if maxLen > maxSamples {
			t.Errorf("probe held %d samples, more than maxSamples %d", maxLen, maxSamples)
		}
		if maxCap > 4*maxSamples {
			t.Errorf("probe's buffer grew to %d samples", maxCap)
		}
		if worstRatio > 0.5 { // thinning halves resolution; it must not go blind
			t.Errorf("an estimate was %.0f%% below the true age", 100*worstRatio)
		}
		if zero > 1 {
			t.Errorf("%d estimates were 0 while messages were queued", zero)
		}
		t.Logf("max samples %d (cap %d), worst underestimate %v (%.1f%%) at true ages up to %v", maxLen, maxCap, worst, 100*worstRatio, time.Since(postedAt[head]))
	})
}

// A message stuck through thousands of samples: thinning never drops the
// sample that dates it, so the estimate stays within one tick.
func TestAgeThinningStuck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mb := New()
		c := newProbeClock(mb)
		defer c.ticker.Stop()
		c.next()
		posted := time.Now()
		post(t, mb, "stuck")
		for i := range 3000 {
			if i%7 == 0 && mb.Len() < mb.Capacity() { // later arrivals queue behind it
				post(t, mb, i)
			}
			age := c.next()
			if real := time.Since(posted); age > real || age < real-tick {
				t.Fatalf("sample %d: estimate %v, true age %v", i, age, real)
			}
			if len(c.probe.samples) > maxSamples {
				t.Fatalf("sample %d: probe holds %d samples", i, len(c.probe.samples))
			}
		}
	})
}

// fakeStats replays snapshots, as an adapter in front of a mailbox might.
type fakeStats struct{ snaps []Stats }

func (f *fakeStats) Stats() Stats {
	s := f.snaps[0]
	if len(f.snaps) > 1 {
		f.snaps = f.snaps[1:]
	}
	return s
}

// Counters are read one after another, so a snapshot may count a message
// in Depth that Posted does not count yet (a sender between its channel
// send and its counter update). The probe must survive that without
// wrapping around into a huge age. Note that such a snapshot makes the
// estimate one message too old (sample 1 below reports a full tick for a
// message sent after t0): the lower bound is only as exact as the
// snapshot.
func TestAgeInconsistentSnapshot(t *testing.T) {
	f := &fakeStats{snaps: []Stats{
		{Posted: 0, Depth: 0},
		{Posted: 0, Depth: 1}, // one sent, not counted yet
		{Posted: 0, Depth: 2}, // two sent, none counted: the head sequence would wrap
		{Posted: 2, Depth: 2},
		{Posted: 2, Depth: 1},
	}}
	p := NewAgeProbe(f)
	t0 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	want := []time.Duration{0, tick, 0, 0, tick}
	for i, w := range want {
		if got := p.Sample(t0.Add(time.Duration(i) * tick)); got != w {
			t.Errorf("sample %d: age %v, want %v", i, got, w)
		}
	}
}
