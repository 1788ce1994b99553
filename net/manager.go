package net

import (
	"context"
	"fmt"
	"maps"
	stdnet "net"

	"github.com/troupe-go/troupe/net/internal/zmtp"
)

// The manager goroutine owns the tables of links and inbound connections
// and starts the node's goroutines after Listen (links, inbound readers
// and writers, tasks; a link starts and joins the reader of each of its
// connections itself), so that Close can stop it first and then wait for
// the rest: a WaitGroup must not grow while it is waited for. It
// publishes each table as a new immutable map that Send and the other
// hot paths read with one atomic load.

type linkReq struct {
	addr  string
	alias *link // if set: register addr as another name of this link
	drop  *link // if set: forget this link, which has finished
	reply chan linkResult
}

type linkResult struct {
	l   *link
	err error
}

func (n *Node) manage() {
	defer close(n.mgrDone)
	for {
		select {
		case r := <-n.linkReq:
			r.reply <- n.makeLink(r)
		case c := <-n.accepted:
			n.startConn(c)
		case c := <-n.gone:
			n.forgetConn(c)
		case f := <-n.tasks:
			n.wg.Add(1)
			go n.runTask(f)
		case ch := <-n.statReq:
			ch <- n.collect()
		case <-n.stop:
			return
		}
	}
}

// linkFor returns the link to the node at addr, making it on first use,
// or again after the last one expired.
func (n *Node) linkFor(addr string) (*link, error) {
	if l := (*n.links.Load())[addr]; l != nil && !l.finished.Load() {
		n.remember(l, addr)
		return l, nil
	}
	r := linkReq{addr: addr, reply: make(chan linkResult, 1)}
	select {
	case n.linkReq <- r:
		res := <-r.reply
		if res.l != nil {
			n.remember(res.l, addr)
		}
		return res.l, res.err
	case <-n.stop:
		return nil, ErrClosed
	}
}

// remember makes l, found for addr, the link Send tries first, unless addr
// is only an alias of it.
func (n *Node) remember(l *link, addr string) {
	if l.addr == addr && n.lastLink.Load() != l && !n.isSelf(addr) {
		n.lastLink.Store(l)
	}
}

// existingLink returns the link to addr, or nil if there is none.
func (n *Node) existingLink(addr string) *link { return (*n.links.Load())[addr] }

// alias makes addr another name of l (the address its peer announced, when
// it differs from the one dialed). It gives up if the node is closing.
func (n *Node) alias(addr string, l *link) {
	r := linkReq{addr: addr, alias: l, reply: make(chan linkResult, 1)}
	select {
	case n.linkReq <- r:
		<-r.reply
	case <-n.stop:
	}
}

// dropLink forgets l, a link that expired and finished: its names go,
// and its counters move to the node's. It gives up if the node is
// closing (then l stays counted where it is).
func (n *Node) dropLink(l *link) {
	r := linkReq{addr: l.addr, drop: l, reply: make(chan linkResult, 1)}
	select {
	case n.linkReq <- r:
		<-r.reply
	case <-n.stop:
	}
}

func (n *Node) makeLink(r linkReq) linkResult {
	links := *n.links.Load()
	if r.drop != nil {
		n.forgetLink(r.drop)
		return linkResult{}
	}
	if l := links[r.addr]; l != nil && !l.finished.Load() {
		return linkResult{l: l}
	}
	l := r.alias
	if l == nil {
		if err := checkAddress(r.addr); err != nil {
			return linkResult{err: err}
		}
		l = newLink(n, r.addr)
		n.wg.Add(1)
		go l.run()
	}
	next := maps.Clone(links)
	next[r.addr] = l
	n.links.Store(&next)
	return linkResult{l: l}
}

// forgetLink removes every name of l (unless a new link has taken it) and
// retires its counters into the node's.
func (n *Node) forgetLink(l *link) {
	next := maps.Clone(*n.links.Load())
	maps.DeleteFunc(next, func(_ string, v *link) bool { return v == l })
	n.links.Store(&next)
	l.stats.retire(&n.stats)
}

// checkAddress accepts dialable tcp and ipc endpoints.
func checkAddress(addr string) error {
	ep, err := zmtp.ParseEndpoint(addr)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadAddress, err)
	}
	if ep.Transport == "tcp" {
		host, port, _ := stdnet.SplitHostPort(ep.Addr)
		if host == "" || port == "0" {
			return fmt.Errorf("%w %q: needs a host and a non-zero port", ErrBadAddress, addr)
		}
	}
	return nil
}

func (n *Node) startConn(c *zmtp.Conn) {
	ic := newInConn(n, n.connSeq.Add(1), c)
	n.stats[cAccepted].Add(1)
	next := maps.Clone(*n.conns.Load())
	next[ic.id] = ic
	n.conns.Store(&next)
	n.wg.Add(2)
	go ic.read()
	go ic.write()
}

func (n *Node) forgetConn(c *inConn) {
	next := maps.Clone(*n.conns.Load())
	delete(next, c.id)
	n.conns.Store(&next)
	c.stats.retire(&n.stats)
}

// goTask runs f on a goroutine of its own, owned by the node; f's context
// is cancelled when Close begins. It reports false, without running f,
// if the node is closing.
func (n *Node) goTask(f func(context.Context)) bool {
	select {
	case n.tasks <- f:
		return true
	case <-n.stop:
		return false
	}
}

func (n *Node) runTask(f func(context.Context)) {
	defer n.wg.Done()
	f(n.ctx)
}

// Stats returns the node's counters. It is safe to call at any time, also
// after Close.
func (n *Node) Stats() NodeStats {
	ch := make(chan NodeStats, 1)
	select {
	case n.statReq <- ch:
		return <-ch
	case <-n.mgrDone:
		return n.collect()
	}
}

// collect adds up the counters; the manager calls it (or anyone, once the
// manager has exited), so that no connection is counted twice or missed.
func (n *Node) collect() NodeStats {
	var s NodeStats
	n.stats.addTo(&s)
	links, conns := n.uniqueLinks(), *n.conns.Load()
	for l := range links {
		l.stats.addTo(&s)
	}
	for _, c := range conns {
		c.stats.addTo(&s)
	}
	s.Links, s.Conns = len(links), len(conns)
	s.Recycled, s.Reused = n.recycler.pooled.Load(), n.recycler.reused.Load()
	spin := n.readSpin.Stats()
	s.SpinCaught, s.SpinMissed, s.SpinLimited = spin.Caught, spin.Missed, spin.Limited
	return s
}
