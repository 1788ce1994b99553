package supervisor

import (
	"fmt"
	"math"
	"time"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/mailbox"
)

// A Strategy says which children a supervisor restarts when one of them
// has to be restarted. The zero value is OneForOne.
type Strategy uint8

const (
	// OneForOne restarts only the child that exited.
	OneForOne Strategy = iota
	// OneForAll stops every other child (in reverse start order) and then
	// restarts them all, in start order.
	OneForAll
	// RestForOne stops the children started after the one that exited (in
	// reverse start order) and restarts it and them, in start order.
	RestForOne
)

var strategyNames = [...]string{"one_for_one", "one_for_all", "rest_for_one"}

// String returns OTP's name for the strategy, such as "one_for_all".
func (s Strategy) String() string {
	if int(s) < len(strategyNames) {
		return strategyNames[s]
	}
	return fmt.Sprintf("strategy(%d)", uint8(s))
}

// A Restart type says when a child that exited is restarted. The zero
// value is Permanent.
type Restart uint8

const (
	// Permanent children are always restarted, whatever their exit reason.
	Permanent Restart = iota
	// Transient children are restarted only after an abnormal exit
	// (actor.IsFailure: a failure, a panic, a slow-consumer stop), not
	// after a normal one.
	Transient
	// Temporary children are never restarted, and a one-for-all or
	// rest-for-one restart that stops them does not start them again.
	Temporary
)

var restartNames = [...]string{"permanent", "transient", "temporary"}

// String returns OTP's name for the restart type, such as "transient".
func (r Restart) String() string {
	if int(r) < len(restartNames) {
		return restartNames[r]
	}
	return fmt.Sprintf("restart(%d)", uint8(r))
}

// OTP's defaults for the restart intensity: at most DefaultIntensity
// restarts within DefaultPeriod. A Spec's zero Intensity is not replaced by
// the default: it means "never restart" (the first restart escalates). Use
// NewSpec, or set both fields, to get the defaults.
const (
	DefaultIntensity = 1
	DefaultPeriod    = 5 * time.Second
)

// Shutdown values with a special meaning, and the default.
const (
	// DefaultShutdown is the time a child is given to stop gracefully when
	// its ChildSpec.Shutdown is zero (OTP's default for workers). Past it
	// the child is killed.
	DefaultShutdown = 5 * time.Second
	// BrutalKill as a ChildSpec.Shutdown kills the child at once
	// (System.Kill), skipping its Stopping step.
	BrutalKill time.Duration = -1
	// Infinity as a ChildSpec.Shutdown waits for the child however long it
	// takes to stop: OTP's advice for children that are supervisors.
	Infinity time.Duration = math.MaxInt64
)

// A Spec describes a supervisor as plain data: its strategy, its restart
// intensity, its restart backoff, the flow-control policies applied to its
// children, and the children themselves, started in order and stopped in
// reverse order. Validate checks it; Start and Behavior validate it too.
// The zero Spec is a one-for-one supervisor without children that never
// restarts anything.
type Spec struct {
	// Strategy picks the children restarted with the one that exited.
	Strategy Strategy
	// Intensity and Period bound restarts: more than Intensity restarts
	// within any sliding window of Period (a restart Period or more ago no
	// longer counts) make the supervisor stop its children and fail with
	// an *IntensityError (escalation to its own parent). A one-for-all or
	// rest-for-one restart counts once; a restart that fails to start
	// counts again. Intensity 0 means never restart. Period must be
	// positive when Intensity is.
	Intensity int
	Period    time.Duration
	// Backoff delays restarts; the zero Backoff restarts at once.
	Backoff Backoff
	// HWM is the mailbox applied to children whose ChildSpec.HWM is zero.
	HWM HWM
	// Snail is the suicidal-snail policy applied to children whose
	// ChildSpec.Snail is nil. Nil means none.
	Snail *Snail
	// Children are started in this order.
	Children []ChildSpec
}

// NewSpec returns a Spec with the given strategy and children and OTP's
// default restart intensity (DefaultIntensity restarts in DefaultPeriod).
func NewSpec(strategy Strategy, children ...ChildSpec) Spec {
	return Spec{Strategy: strategy, Intensity: DefaultIntensity, Period: DefaultPeriod, Children: children}
}

// A ChildSpec describes one child of a supervisor.
type ChildSpec struct {
	// Name identifies the child within its supervisor and names its actor:
	// the child registers as "SUP/Name" when the supervisor is registered
	// as SUP, and as plain Name when the supervisor is anonymous. It must
	// be non-empty and free of '/', '#', '@' and white space.
	Name string
	// Behavior builds each incarnation of the child. It may be another
	// supervisor's Behavior, making a tree.
	Behavior actor.Behavior
	// Restart says when the child is restarted; the zero value is Permanent.
	Restart Restart
	// Shutdown is how long the child has to stop gracefully before it is
	// killed: zero means DefaultShutdown, BrutalKill kills it at once and
	// Infinity waits for as long as it takes.
	Shutdown time.Duration
	// HWM is the child's mailbox; zero means the Spec's HWM.
	HWM HWM
	// Snail is the child's suicidal-snail policy; nil means the Spec's, and
	// a pointer to the zero Snail turns the Spec's off for this child.
	Snail *Snail
}

// shutdown returns the effective shutdown time.
func (c *ChildSpec) shutdown() time.Duration {
	if c.Shutdown == 0 {
		return DefaultShutdown
	}
	return c.Shutdown
}

// An HWM is a child's mailbox: its capacity, which is its high-water mark,
// and what happens to a message sent when it is full. The zero HWM is the
// runtime's default (mailbox.DefaultCapacity, Block).
type HWM struct {
	// Capacity is the high-water mark; zero means mailbox.DefaultCapacity.
	Capacity int
	// Policy applies at the high-water mark: Block (the zero value),
	// DropNewest, DropOldest or Fail.
	Policy mailbox.Policy
}

// IsZero reports whether h leaves the mailbox at the runtime's default.
func (h HWM) IsZero() bool { return h == HWM{} }

// spawnOption returns the actor.WithMailbox option that applies h.
func (h HWM) spawnOption() actor.SpawnOption {
	opts := []mailbox.Option{mailbox.WithPolicy(h.Policy)}
	if h.Capacity > 0 {
		opts = append(opts, mailbox.WithCapacity(h.Capacity))
	}
	return actor.WithMailbox(opts...)
}
