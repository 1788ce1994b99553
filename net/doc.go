// Package net turns an actor.System into a ZeroMQ node: refs of actors on
// other nodes work with Send, Request, Watch, Stop and LookupOn exactly as
// local ones, and any ZeroMQ program (pyzmq, libzmq, …) can talk to the
// node's actors through the wire format of docs/PROTOCOL.md.
//
// # Tour
//
//	sys := actor.NewSystem()
//	node, err := net.Listen(ctx, sys, "tcp://127.0.0.1:0")  // installs itself as sys's transport
//	defer sys.Shutdown(ctx)                                  // closes the node too
//
//	net.MustRegister[Ping](net.DefaultCodec, "example.Ping") // on every node that uses Ping
//	ref, err := sys.LookupOn(ctx, "tcp://127.0.0.1:5555", "pong")
//	reply, err := sys.Request(ctx, ref, Ping{N: 1})          // a request to another node
//
//	node.RegisterKind("worker", actor.Func(work))            // on the node that runs workers
//	w, err := node.SpawnRemote(ctx, workerNode, "worker", "w1")
//
// Listen binds the node's endpoints ("tcp://host:port", "tcp://*:0",
// "ipc:///path"); its address, the Node of its actors' refs, is the first
// endpoint as bound (Address). Messages travel as their registered name
// and msgpack body (see Codec): sending a type that is not registered
// fails at Send, in the sender's goroutine; a type the receiver does not
// know arrives as an Unknown.
//
// # Links
//
// A node reaches another through one link: a ZMTP DEALER connection it
// dials (identity: its own address), owned by one goroutine that writes
// and keeps the books, plus a reader for the return path. Messages wait in
// the link's queue, with a high-water mark and an overflow policy as a
// mailbox has (WithLinkQueue) but lock-free, since only the link's
// goroutine takes from it; the writer drains it and writes many envelopes
// per system call, packing them into multipart messages (WithMaxBatch)
// and flushing when the queue is empty or every WithBatchLimit envelopes.
// The receiver acknowledges what it took (ACK), so a link knows what is
// in flight: when a connection breaks, the SENDs it wrote but the peer
// did not acknowledge are dead-lettered (actor.ReasonRemote) and counted;
// the ones still queued wait for the reconnection (backoff from 1 s,
// doubling to 32 s: WithReconnect), for five minutes at most
// (WithLinkExpiry): then the link gives up, dead-letters what it holds,
// publishes NodeGone and goes away, goroutine and all, until the next
// message for that node makes a new one. Nothing is lost without a trace:
// delivered, or a dead letter. Delivery is at most once: a message is
// never sent twice, and a ReasonRemote dead letter means "not
// acknowledged" — when a peer crashes or is declared down while it still
// works, it may have delivered some of them. When a node closes, it
// acknowledges what it took before it hangs up, so between nodes that
// close cleanly every message is exactly one of delivered or
// dead-lettered.
//
// Consecutive SENDs from one sender to one actor travel as NEXT
// envelopes, their bodies only (docs/PROTOCOL.md §8.2), and the receiving
// node hands such a run to its actor as one value of its inbox
// (mailbox.Batch) when the actor has room for all of it and is not one
// that reads its inbox itself: the reader and the actor, on two cores,
// then meet at the mailbox's channel once for the run instead of once for
// each message (each message still counts against the mark). []byte messages
// are copied less: from 64 bytes the sending link takes them from the
// sender's slice itself, when it writes (so, as with a local send, a
// message must not be changed after Send), by reference from 1 KiB,
// and from 512 bytes the receiver hands over the bytes where it read them,
// inside the buffer of their batch: an actor that keeps a few small ones
// of many for long should copy them (bytes.Clone), or they keep the whole
// batch's buffer alive.
//
// Every received []byte of 512 bytes or more is handed over in the
// memory it was read into, which the receiving actor then owns: a process
// that streams such messages and holds little else collects garbage
// every few batches, and its latency follows the collector's pauses. An
// actor that is done with one gives it back with Node.Recycle (also right
// after sending it on to another node): the node reads later messages
// into that memory — a big message's own buffer at once, a batch's buffer
// once all its messages are back. In bench/remote, request/reply of
// 512 kB messages took 125 instead of 323 µs, and a stream of 512-byte
// messages ran about 50 % faster. Without it, a higher GOGC or a memory
// limit with GOGC=off spaces the collections.
//
// A message of a stream crosses two goroutines on each node: the
// sender's and its link's on the way out, the connection reader's and the
// target actor's on the way in. (A request or a reply goes out on its
// sender's goroutine when the link's is idle: see below.) Go runs them on different cores when it can, and a small
// message then costs more in the caches that exchange it than in the work
// itself. Where nodes share a machine with few cores — two nodes on two
// cores, say — give each node process fewer threads than the machine has
// cores: with GOMAXPROCS=1 in each of two processes on two cores,
// bench/remote streams 10–20 % more small messages per second, on about
// 20 % less CPU. Go sets GOMAXPROCS from a container's CPU limit by
// itself.
//
// # Latency: inbound sockets are polled
//
// A goroutine parked on a socket whose data comes is woken by the kernel,
// the runtime and, in a virtual machine, the hypervisor: on the 2-CPU VM
// of bench/ that is most of a loopback round trip (60–70 µs for two plain
// Go processes that ping-pong one small message). So each inbound
// connection's reader, when it finds its socket empty, polls it for a
// while before it parks (WithReadSpin: 50 µs by default, at most half of
// GOMAXPROCS connections at once, yielding to the node's other goroutines
// between polls). A request whose answer comes within that time crosses
// no sleeping thread: W5's request/reply p50 went from 75–85 µs to about
// 20 µs, with the default GOMAXPROCS and with one core per process. The
// price is CPU: a reader whose peer falls quiet polls for up to the spin
// time after its last message; NodeStats says how often polls caught
// data (SpinCaught) and how often they were in vain (SpinMissed).
// Outbound connections, which read only ACKs and heartbeats, never poll.
//
// The other wait a round trip can do without is the hand-over of a
// request or a reply to the link's goroutine, whose thread must then find
// a CPU (with two polling nodes on two CPUs, sometimes only at the next
// scheduler tick). A link's goroutine that has written everything lends
// its connection to the link's senders while it waits: a sender whose
// message someone waits for (a request, or the reply to one) writes it
// itself, up to 8 KiB while the peer has acknowledged nearly everything,
// so the write cannot block. Streams stay with the link's goroutine,
// which writes them in batches beside their senders. NodeStats counts
// SenderWrites. W5's request/reply p50 went from 21–23 to 18–20 µs and
// p99 from 163–200 to 140–182 µs (bench/README.md).
//
// # Liveness
//
// Idle links send heartbeats (WithHeartbeat: 1 s by default); any
// envelope counts as traffic. A peer silent for interval × liveness, or
// whose connection breaks, is down: watchers of its actors get
// Terminated with a reason wrapping ErrNodeDown, requests waiting on it
// fail with that error, and NodeDown is published on TopicNodeDown.
// NodeUp (TopicNodeUp) follows when it answers HELLO again; a new epoch
// in its HELLO tells a restarted peer. ZMTP PINGs from libzmq peers are
// answered with PONG.
//
// # Control plane
//
// Each node runs an actor registered as NodeActorName that serves Lookup,
// Spawn, Stop, Watch, Unwatch and Terminated messages, from other nodes
// and from foreign clients alike. A request from one node to another is
// a SEND whose sender is the requester's reply ref; a failure to deliver
// it, or a control operation that failed, comes back as an Error message,
// which the requester sees as a *RemoteError from Request (errors.Is
// matches it against actor.ErrNotFound, ErrSpawnFailed, …). So an Error
// value sent as a reply to a remote request always arrives as an error.
//
// # Foreign clients
//
// A DEALER or REQ client sends one-frame messages holding a SEND; with a
// correlation id, the target's Reply comes back on its connection as a
// REPLY (an ERROR if delivery failed); see ClientPrefix.
//
// # Limits and bad input
//
// The maximum message size and frames per message are enforced by the
// connection layer before anything is allocated. Garbage, a wrong
// greeting, an oversized message, a malformed envelope close the
// offending connection; a body that does not decode, or a message for no
// live actor, is dead-lettered (and answered with an ERROR if the sender
// waits). Every case is counted in Stats and logged, and the node keeps
// serving everyone else. PLAIN authentication is optional
// (WithPlainServer, WithPlainClient); NULL is the default.
//
// # Refs inside messages
//
// Refs travel inside messages (as maps {Node, Name, ID}). Inside the
// control messages an empty Node means the sending node; refs in your own
// message types are taken as they are, so actors spawned before Listen,
// whose refs have an empty Node, should not hand their refs to other
// nodes: spawn them after Listen.
package net
