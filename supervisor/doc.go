// Package supervisor builds Erlang/OTP supervisors from plain data, and
// applies Troupe's flow-control policies to the children they start.
//
// # A tour
//
// A [Spec] says how a supervisor treats its children: a [Strategy]
// (OneForOne, OneForAll, RestForOne), a restart intensity (at most
// Intensity restarts within a sliding Period, else escalate), a restart
// [Backoff], and the children as [ChildSpec] values, each with a [Restart]
// type (Permanent, Transient, Temporary), a Shutdown time (or BrutalKill),
// a mailbox [HWM] and a suicidal-snail policy ([Snail]).
//
//	spec := supervisor.NewSpec(supervisor.RestForOne,
//		supervisor.ChildSpec{Name: "source", Behavior: source},
//		supervisor.ChildSpec{Name: "sink", Behavior: sink, Restart: supervisor.Transient},
//	)
//	ref, err := supervisor.Start(ctx, sys, spec, actor.WithName("pipeline"))
//
// [Start] spawns a top-level supervisor; [Behavior] returns one to use as
// a child, so a ChildSpec's Behavior can be another supervisor and specs
// nest into trees. [Spec.Validate] reports every mistake in a spec; Start
// and Behavior call it. [WhichChildren] asks a running supervisor about
// its children.
//
// # Rules
//
//   - Children start in spec order during the supervisor's own start; a
//     child that fails to start makes the supervisor's start fail, after
//     the children already started have been stopped in reverse order.
//   - A child registers as "SUP/NAME" when its supervisor is registered as
//     SUP ("pipeline/sink"), as "NAME" when the supervisor is anonymous.
//     A restart is a new incarnation: new Ref, same name; it receives
//     actor.Restarting and an actor.Restarted event is published.
//   - Intensity 0 means "never restart": the first restart escalates. It
//     is not replaced by [DefaultIntensity]; use [NewSpec] for OTP's
//     defaults (1 restart in 5 s).
//   - Escalation: when a restart would exceed the intensity, the
//     supervisor stops all its children (reverse order) and fails with an
//     [*IntensityError] wrapping actor.ErrIntensity; its parent decides.
//   - On stop, the supervisor stops its children youngest first, each
//     within its Shutdown time; past it, the child is killed.
//   - Exits the supervisor causes itself (stopping siblings for a group
//     restart, or everything when it stops) are not treated as failures.
//   - Timers (backoff, snail sampling) belong to the supervisor: they post
//     private messages to it and are stopped when it stops. Nothing sleeps,
//     and no goroutine outlives the supervisor.
//
// Each decision is published as a [ChildExit] event on [TopicChildExit].
//
// # Flow control
//
// [HWM] sets a child's mailbox capacity and overflow policy. [Snail] is
// the ZeroMQ guide's suicidal snail: a child whose oldest queued message
// is older than MaxDelay, or whose mailbox stays above a fill threshold
// longer than a tolerance, or which reports a gap in a stream's sequence
// numbers (see [Sequence]), is stopped with a reason wrapping
// actor.ErrSlowConsumer ([*SnailError], [*GapError]); an actor.SlowConsumer
// event is published, and the child is restarted fresh or left stopped as
// its policy says. Its producer and the other consumers keep their pace:
// the supervisor only reads mailbox counters, and a producer that must
// never wait publishes (actor.System.Publish) or uses a drop policy.
//
// # Design notes
//
// Where this package departs from the plain reading of OTP, and why:
//
//   - Child names are paths under the supervisor's name, because actor
//     names are global to a System: two supervisors may both have a
//     "worker", and "pipeline/sink" is the form DESIGN.md shows for refs.
//   - An *IntensityError wraps actor.ErrIntensity but not the child's
//     reason: a child that exits normally too often must not make its
//     supervisor's exit look normal (and so not restartable) to a parent,
//     nor a child's slow-consumer stop make the supervisor a slow consumer.
//   - OTP removes Temporary children from the list; here they stay in
//     WhichChildren's answer as Removed, like a slow consumer left
//     stopped, so that what happened stays visible.
//   - The backoff resets once a child has run a whole Period: the same
//     horizon after which the intensity window forgets its restarts.
//   - A supervisor answers only the requests of this package and its own
//     timers; other messages are logged (warn) and ignored.
package supervisor
