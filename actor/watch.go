package actor

import "fmt"

// Watch asks that watcher receive one Terminated notice when target stops,
// whatever the reason, including when target's node is declared down. If
// target is already dead, the notice comes at once. Watching a live target
// twice still yields one notice (a dead one keeps no record, so each watch
// of it gets its own). Handler-form watchers receive the notice through
// Receive; loop-form watchers find it in their inbox.
func (s *System) Watch(watcher, target Ref) error {
	if watcher.IsZero() {
		return fmt.Errorf("actor: watch %v: zero watcher", target)
	}
	if !s.isLocal(target) {
		t, err := s.remote(target)
		if err != nil {
			s.notify(watcher, Terminated{Ref: target, Reason: err})
			return err
		}
		return t.Watch(watcher, target)
	}
	c := s.cell(target.ID)
	if c == nil {
		s.notify(watcher, Terminated{Ref: target, Reason: ErrNotFound})
		return nil
	}
	c.postSystem(watchRequest{watcher: watcher})
	return nil
}

// Unwatch cancels a Watch. A notice already sent is not taken back.
func (s *System) Unwatch(watcher, target Ref) error {
	if !s.isLocal(target) {
		t, err := s.remote(target)
		if err != nil {
			return err
		}
		t.Unwatch(watcher, target)
		return nil
	}
	if c := s.cell(target.ID); c != nil {
		c.postSystem(unwatchRequest{watcher: watcher})
	}
	return nil
}

// Notify delivers a Terminated notice to watcher, local or remote, through
// its system lane. Transports use it for notices that come from other
// nodes, or that they make up when a node goes down.
func (s *System) Notify(watcher Ref, t Terminated) { s.notify(watcher, t) }

func (s *System) notify(watcher Ref, t Terminated) {
	if !s.isLocal(watcher) {
		if tr, err := s.remote(watcher); err == nil {
			tr.Notify(watcher, t)
			return
		}
		s.deadLetter(watcher, Ref{}, t, ReasonNotFound)
		return
	}
	c := s.cell(watcher.ID)
	if c == nil {
		s.deadLetter(watcher, Ref{}, t, ReasonNotFound)
		return
	}
	c.postSystem(notice{msg: t})
}
