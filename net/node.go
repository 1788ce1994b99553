package net

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	stdnet "net"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/troupe-go/troupe/actor"
	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// A Node is an actor.System made reachable over ZeroMQ: it listens on its
// endpoints for other nodes and foreign clients, and it is the system's
// Transport, so that Send, Request, Watch, Stop and Lookup work on the
// refs of actors on other nodes as on local ones. Make one with Listen;
// its methods are safe for concurrent use.
//
// Goroutines: a manager (which starts and tracks all the others), one
// accept loop per endpoint, one goroutine per link to another node (it
// dials, writes and keeps the link's books) plus a reader for its current
// connection, two per inbound connection (reader and writer), and one per
// remote Stop or Spawn in progress. Close stops and joins them all.
type Node struct {
	sys       *actor.System
	cfg       *config
	log       *slog.Logger
	addr      string   // the node's address: the Node of its refs
	endpoints []string // bound endpoints, resolved
	epoch     uint64   // changes at every Listen: peers detect restarts
	listeners []*zmtp.Listener
	readSpin  *zmtp.ReadSpin // shared by the inbound connections
	dialOpts  []zmtp.Option
	self      actor.Ref // the NodeActorName actor

	links atomic.Pointer[map[string]*link]   // by peer address; written by the manager
	conns atomic.Pointer[map[uint64]*inConn] // inbound connections by id; written by the manager
	kinds atomic.Pointer[map[string]kind]    // see RegisterKind
	stats counters                           // node-wide events and closed connections

	lastType atomic.Pointer[typeName]              // the last message type encoded, with its name (see nameOf)
	routes   [routeSlots]atomic.Pointer[sendRoute] // recent SEND routes (see routeOf)
	lastLink atomic.Pointer[link]                  // the link linkFor found last, if found by its own address
	recycler recycler                              // big received bodies given back (see Recycle)

	linkReq  chan linkReq    // to the manager: find or make a link
	accepted chan *zmtp.Conn // to the manager: from the accept loops
	gone     chan *inConn    // to the manager: an inbound connection ended
	tasks    chan func(context.Context)
	statReq  chan chan NodeStats
	stop     chan struct{} // closed by Close: the manager and the accept loops exit
	mgrDone  chan struct{} // closed when the manager has exited
	connSeq  atomic.Uint64 // ids of inbound connections

	ctx         context.Context // cancelled when Close begins: deliveries, tasks
	cancel      context.CancelFunc
	linkCtx     context.Context // cancelled when Close's linger is over: dials, drains
	cancelLinks context.CancelFunc
	wg          sync.WaitGroup // every goroutine but the manager; Add only before the manager starts, or by it
	closing     atomic.Bool
	closed      chan struct{} // closed when Close has finished; closeErr is set then
	closeErr    error
}

var _ actor.Transport = (*Node)(nil)

// Listen turns sys into a network node: it binds endpoint (and those of
// WithEndpoints), installs the node as sys's transport with
// sys.SetTransport, and spawns the NodeActorName actor that serves the
// control plane. Endpoints are "tcp://host:port" (port 0 picks a free
// port, host "*" means all interfaces) or "ipc:///path". The node's
// address, which the refs of sys's actors carry from now on, is the first
// endpoint as bound (see Address). Actors spawned before Listen keep refs
// with an empty Node, which still work locally and inside envelopes. ctx
// bounds the binding only. A System can be one node only.
func Listen(ctx context.Context, sys *actor.System, endpoint string, opts ...Option) (*Node, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, fmt.Errorf("net: listen %s: %w", endpoint, err)
	}
	n := newNode(sys, cfg)
	if err := n.bind(ctx, append([]string{endpoint}, cfg.endpoints...)); err != nil {
		n.closeListeners()
		return nil, err
	}
	if err := n.spawnNodeActor(ctx); err != nil {
		n.closeListeners()
		n.cancel()
		n.cancelLinks()
		return nil, err
	}
	sys.SetTransport(n.addr, n)
	n.start()
	n.log.Debug("net: node listening", "address", n.addr, "endpoints", n.endpoints)
	return n, nil
}

func newNode(sys *actor.System, cfg *config) *Node {
	log := cfg.logger
	if log == nil {
		log = sys.Logger()
	}
	n := &Node{
		sys:      sys,
		cfg:      cfg,
		log:      log,
		epoch:    rand.Uint64()>>1 + 1,
		linkReq:  make(chan linkReq),
		accepted: make(chan *zmtp.Conn),
		gone:     make(chan *inConn),
		tasks:    make(chan func(context.Context)),
		statReq:  make(chan chan NodeStats),
		stop:     make(chan struct{}),
		mgrDone:  make(chan struct{}),
		closed:   make(chan struct{}),
	}
	n.ctx, n.cancel = context.WithCancel(context.Background())
	n.linkCtx, n.cancelLinks = context.WithCancel(context.Background())
	n.links.Store(&map[string]*link{})
	n.conns.Store(&map[uint64]*inConn{})
	n.kinds.Store(&map[string]kind{})
	n.readSpin = zmtp.NewReadSpin(cfg.readSpin, cfg.spinners())
	n.dialOpts = append(cfg.zmtpOptions(log), zmtp.WithSocketType(zmtp.Dealer))
	if cfg.plainClient {
		n.dialOpts = append(n.dialOpts, zmtp.WithPlain(cfg.plainUser, cfg.plainPass))
	}
	return n
}

// bind listens on every endpoint and works out the node's address.
func (n *Node) bind(ctx context.Context, endpoints []string) error {
	opts := append(n.cfg.zmtpOptions(n.log), zmtp.WithHandshakeErrorFunc(func(error) {
		n.stats[cHandshake].Add(1)
	}))
	if n.cfg.plainCheck != nil {
		opts = append(opts, zmtp.WithPlainServer(n.cfg.plainCheck))
	}
	opts = append(opts, zmtp.WithReadSpin(n.readSpin))
	for _, ep := range endpoints {
		ln, err := zmtp.Listen(ctx, ep, opts...)
		if err != nil {
			return fmt.Errorf("net: %w", err)
		}
		n.listeners = append(n.listeners, ln)
		n.endpoints = append(n.endpoints, ln.Endpoint())
	}
	n.addr = n.cfg.address
	if n.addr == "" {
		n.addr = announced(n.endpoints[0])
	}
	n.dialOpts = append(n.dialOpts, zmtp.WithIdentity([]byte(n.addr)))
	return nil
}

// announced turns a bound endpoint into an address others can dial: the
// unspecified host becomes 127.0.0.1.
func announced(endpoint string) string {
	rest, ok := strings.CutPrefix(endpoint, "tcp://")
	if !ok {
		return endpoint
	}
	host, port, err := stdnet.SplitHostPort(rest)
	if err != nil {
		return endpoint
	}
	if ip := stdnet.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "tcp://" + stdnet.JoinHostPort(host, port)
}

// start starts the manager and the accept loops.
func (n *Node) start() {
	for _, ln := range n.listeners {
		n.wg.Add(1)
		go n.acceptLoop(ln)
	}
	go n.manage()
}

func (n *Node) spawnNodeActor(ctx context.Context) error {
	ref, err := n.sys.Spawn(ctx, n.nodeBehavior(), actor.WithName(NodeActorName))
	if err != nil {
		return fmt.Errorf("net: listen %s: start the node actor (a System can be one node only): %w", n.addr, err)
	}
	n.self = actor.Ref{Node: n.addr, Name: ref.Name, ID: ref.ID}
	return nil
}

// acceptLoop hands the connections a listener accepts to the manager.
func (n *Node) acceptLoop(ln *zmtp.Listener) {
	defer n.wg.Done()
	for {
		c, err := ln.Accept(n.ctx)
		if err != nil {
			return // the listener or the node is closed
		}
		select {
		case n.accepted <- c:
		case <-n.stop:
			_ = c.Close()
			return
		}
	}
}

// Address returns the node's address: the Node field of its actors' refs,
// which other nodes dial ("tcp://127.0.0.1:41234", never a port 0).
func (n *Node) Address() string { return n.addr }

// Endpoints returns the endpoints the node listens on, as bound (a port 0
// replaced by the chosen port; "tcp://*:…" shows as "tcp://0.0.0.0:…").
func (n *Node) Endpoints() []string { return append([]string(nil), n.endpoints...) }

// System returns the node's actor system.
func (n *Node) System() *actor.System { return n.sys }

// Ref returns the ref of the node's NodeActorName actor.
func (n *Node) Ref() actor.Ref { return n.self }

// isSelf reports whether a ref's node is this node: its address or one of
// its endpoints.
func (n *Node) isSelf(node string) bool {
	if node == "" || node == n.addr {
		return true
	}
	for _, ep := range n.endpoints {
		if node == ep {
			return true
		}
	}
	return false
}
