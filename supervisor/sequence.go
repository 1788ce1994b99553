package supervisor

import "fmt"

// A Sequence checks the sequence numbers of a stream an actor consumes,
// for the suicidal-snail policy: a consumer that finds numbers missing has
// lost messages, and returning the *GapError from Receive stops it as a
// slow consumer (its supervisor publishes an actor.SlowConsumer event and
// applies the child's Snail.Restart flag).
//
// The zero Sequence accepts any first number (a consumer that joins a
// stream late) and then expects each number to follow the previous one.
// Use Expect to require a given number next. A Sequence belongs to one
// actor incarnation: keep it in the handler's state, not in a closure
// shared by incarnations, so that a restarted consumer starts afresh.
type Sequence struct {
	next    uint64
	started bool
}

// Check records n as the next number of the stream. It returns nil when n
// is the number expected, a *GapError when numbers are missing (the
// sequence then continues from n), and an error wrapping ErrOutOfOrder
// when n is lower than expected (a duplicate or a reordering), which
// leaves the expectation unchanged.
func (s *Sequence) Check(n uint64) error {
	if !s.started {
		s.started, s.next = true, n+1
		return nil
	}
	switch {
	case n == s.next:
		s.next++
		return nil
	case n > s.next:
		err := &GapError{Expected: s.next, Got: n}
		s.next = n + 1
		return err
	}
	return fmt.Errorf("%w: got %d, expected %d", ErrOutOfOrder, n, s.next)
}

// Expect makes n the number the next Check requires.
func (s *Sequence) Expect(n uint64) { s.started, s.next = true, n }

// Next returns the number the next Check expects, and false while no
// number has been seen or expected yet.
func (s *Sequence) Next() (uint64, bool) { return s.next, s.started }
