package main

import "github.com/troupe-go/troupe/actor"

// A request is what a client asks; an answer is what it gets back.
type request struct {
	Client string
	ID     int
}

type answer struct {
	ID     int
	Worker string
}

// A job is a client request the frontend hands to the broker, with the
// ref to answer it on (the client's waiting request).
type job struct {
	client actor.Ref
	req    request
}

// ready is a worker's READY: sent once when it starts. After that, each
// reply it sends says it is ready again, as in the guide.
type ready struct{ Name string }

// assign gives a worker a job.
type assign struct {
	Client actor.Ref
	Req    request
}

// reply is a worker's answer to the job it was given.
type reply struct {
	Client actor.Ref
	Answer answer
}

// getStats asks the broker for its account.
type getStats struct{}

// brokerStats is the broker's account.
type brokerStats struct {
	PerWorker   map[string]int // jobs done by each worker
	Forwarded   int            // answers forwarded to clients
	AllBusy     int            // times a dispatch left no worker free
	Overbooked  int            // jobs given to a worker that was busy (must stay 0)
	WrongWorker int            // replies from a worker that had no job
}
