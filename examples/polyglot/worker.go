package main

import (
	"strconv"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/socket"
)

// report asks a worker how many tasks it did.
type report struct{}

// A worker is a handler-form actor fed by its own PULL socket: each task
// is [task id, cost]; it does the work and sends [task id, its name,
// answer] to the results PUSH socket.
type worker struct {
	name    string
	results actor.Ref
	done    int
	bad     int
}

func newWorker(name string, results actor.Ref) actor.Behavior {
	return actor.New(func() actor.Handler { return &worker{name: name, results: results} })
}

// Receive handles tasks and report requests.
func (w *worker) Receive(p *actor.Process) error {
	switch m := p.Message().(type) {
	case socket.Message:
		return w.task(p, m)
	case report:
		return p.Reply(workerReport{name: w.name, done: w.done, bad: w.bad})
	}
	return nil
}

type workerReport struct {
	name      string
	done, bad int
}

func (w *worker) task(p *actor.Process, m socket.Message) error {
	cost, err := taskCost(m)
	if err != nil {
		w.bad++
		p.Logger().Warn("polyglot: bad task", "frames", m.Strings(), "err", err)
		return nil
	}
	answer := work(cost)
	w.done++
	return p.Send(w.results, socket.NewMessage(m.Frames[0], []byte(w.name), strconv.AppendUint(nil, answer, 10)))
}

func taskCost(m socket.Message) (int, error) {
	if len(m.Frames) != 2 {
		return 0, strconv.ErrSyntax
	}
	return strconv.Atoi(string(m.Frames[1]))
}

// work is the task's busy work: a checksum whose length grows with cost.
func work(cost int) uint64 {
	h := uint64(14695981039346656037)
	for i := range cost * 1000 {
		h = (h ^ uint64(i)) * 1099511628211
	}
	return h
}
