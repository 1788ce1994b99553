package supervisor

import (
	"errors"
	"fmt"
	"strings"

	"github.com/troupe-go/troupe/mailbox"
)

// Validate checks the spec and returns every problem it finds, joined,
// each wrapping ErrInvalidSpec: an unknown strategy or restart type, a
// negative intensity or period, a positive intensity without a period,
// a bad backoff, children with empty, malformed or duplicate names or
// without a behavior, bad shutdown times, mailboxes or snail policies.
func (s *Spec) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidSpec}, args...)...))
	}
	if s.Strategy > RestForOne {
		bad("unknown strategy %v", s.Strategy)
	}
	switch {
	case s.Intensity < 0:
		bad("negative Intensity %d", s.Intensity)
	case s.Period < 0:
		bad("negative Period %v", s.Period)
	case s.Intensity > 0 && s.Period == 0:
		bad("Intensity %d needs a positive Period (see DefaultPeriod)", s.Intensity)
	}
	checkBackoff(s.Backoff, bad)
	checkHWM("Spec", s.HWM, bad)
	checkSnail("Spec", s.Snail, bad)
	seen := make(map[string]int, len(s.Children))
	for i := range s.Children {
		c := &s.Children[i]
		where := fmt.Sprintf("child %d %q", i, c.Name)
		if j, dup := seen[c.Name]; dup && c.Name != "" {
			bad("%s: same name as child %d", where, j)
		}
		seen[c.Name] = i
		checkChild(where, c, bad)
	}
	return errors.Join(errs...)
}

type complain func(format string, args ...any)

func checkChild(where string, c *ChildSpec, bad complain) {
	switch {
	case c.Name == "":
		bad("%s: empty Name", where)
	case strings.ContainsAny(c.Name, "/#@ \t\r\n"):
		bad("%s: Name contains '/', '#', '@' or white space", where)
	}
	if c.Behavior.IsZero() {
		bad("%s: no Behavior", where)
	}
	if c.Restart > Temporary {
		bad("%s: unknown restart type %v", where, c.Restart)
	}
	if c.Shutdown < 0 && c.Shutdown != BrutalKill {
		bad("%s: negative Shutdown %v (use BrutalKill)", where, c.Shutdown)
	}
	checkHWM(where, c.HWM, bad)
	checkSnail(where, c.Snail, bad)
}

func checkBackoff(b Backoff, bad complain) {
	if b.Initial < 0 || b.Max < 0 {
		bad("Backoff: negative delay (Initial %v, Max %v)", b.Initial, b.Max)
	}
	if b.Multiplier != 0 && !(b.Multiplier >= 1) { // also catches NaN
		bad("Backoff: Multiplier %v below 1", b.Multiplier)
	}
	if b.Max > 0 && b.Max < b.Initial {
		bad("Backoff: Max %v below Initial %v", b.Max, b.Initial)
	}
	if b.Initial == 0 && (b.Max != 0 || b.Multiplier != 0) {
		bad("Backoff: Max or Multiplier without Initial")
	}
}

func checkHWM(where string, h HWM, bad complain) {
	if h.Capacity < 0 {
		bad("%s: negative HWM.Capacity %d", where, h.Capacity)
	}
	if h.Policy > mailbox.Fail {
		bad("%s: unknown HWM.Policy %v", where, h.Policy)
	}
}

func checkSnail(where string, s *Snail, bad complain) {
	if s == nil {
		return
	}
	if s.MaxDelay < 0 || s.Tolerance < 0 || s.Interval < 0 {
		bad("%s: Snail: negative duration (MaxDelay %v, Tolerance %v, Interval %v)",
			where, s.MaxDelay, s.Tolerance, s.Interval)
	}
	if !(s.FillThreshold >= 0 && s.FillThreshold <= 1) { // also catches NaN
		bad("%s: Snail: FillThreshold %v outside (0, 1]", where, s.FillThreshold)
	}
	if s.Tolerance > 0 && s.FillThreshold == 0 {
		bad("%s: Snail: Tolerance %v without FillThreshold", where, s.Tolerance)
	}
}
