package main

import (
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
)

// topicUpdate is the topic of the server's updates (the guide's KVPUB).
const topicUpdate = "clone.update"

// A kvUpdate sets Key to Value, or deletes Key when Value is empty; Seq is
// the server's sequence number for it, 1, 2, 3, …
type kvUpdate struct {
	Key   string
	Value string
	Seq   uint64
}

// getSnapshot asks the server for its state (the guide's ICANHAZ?).
type getSnapshot struct{}

// A snapshot is the whole state as of Seq (KVSYNC… then KTHXBAI Seq).
type snapshot struct {
	Entries map[string]string
	Seq     uint64
}

// getHash asks the server or the client for the hash of its state.
type getHash struct{}

// A stateHash summarises a key-value state.
type stateHash struct {
	Seq  uint64
	Keys int
	Hash uint64
}

// kvState is a key-value map with the sequence number of the last update
// applied to it. It belongs to one actor.
type kvState struct {
	m   map[string]string
	seq uint64
}

func newState() *kvState { return &kvState{m: make(map[string]string)} }

// apply applies u and makes its Seq the state's.
func (s *kvState) apply(u kvUpdate) {
	if u.Value == "" {
		delete(s.m, u.Key)
	} else {
		s.m[u.Key] = u.Value
	}
	s.seq = u.Seq
}

func (s *kvState) snapshot() snapshot {
	return snapshot{Entries: maps.Clone(s.m), Seq: s.seq}
}

// hash returns an FNV-64a hash of the sorted entries.
func (s *kvState) hash() stateHash {
	h := fnv.New64a()
	for _, k := range slices.Sorted(maps.Keys(s.m)) {
		fmt.Fprintf(h, "%s=%s\n", k, s.m[k])
	}
	return stateHash{Seq: s.seq, Keys: len(s.m), Hash: h.Sum64()}
}
