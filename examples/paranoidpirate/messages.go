package main

import "time"

// Worker → queue: READY (the guide's "\001"), HEARTBEAT ("\002") and
// results. Any of them tells the queue the worker is alive; READY and a
// result also say it is free.
type (
	ready     struct{ Name string }
	heartbeat struct{}
	result    struct {
		ID     int
		Worker string
	}
)

// Queue → worker: a task, or a HEARTBEAT (the same heartbeat type).
type task struct {
	ID   int
	Cost time.Duration
}

// Client → queue: a request, answered with the result that served it.
type request struct {
	ID   int
	Cost time.Duration
}

// getStats asks the queue for its account.
type getStats struct{}

// queueStats is the queue's account.
type queueStats struct {
	Received    int            // client requests
	Dispatched  int            // tasks sent to workers (requeued ones again)
	Answered    int            // replies forwarded to clients, one per request
	Requeued    int            // in-flight tasks of expired workers sent again
	Expired     []string       // workers expired, by name and incarnation
	Stray       int            // results for a task not held by that worker
	Duplicates  int            // results for a request already answered
	Joined      int            // workers that announced themselves (READY or after expiry)
	PerWorker   map[string]int // results forwarded, by worker name
	DeadBeats   int            // heartbeats the runtime could not deliver (dead workers)
	MaxWaiting  int            // most requests waiting for a worker at once
	Outstanding int            // requests not yet answered when asked
}
