package actor

import "sync/atomic"

// table maps sequence numbers to live entries without locks: a four-level
// radix tree of atomic pointers, 1,024 wide at each level, so it addresses
// 2^40 sequence numbers. Interior nodes and pages are created on first use
// with a compare-and-swap and never move, so lookups are four atomic loads.
// A page of 1,024 slots is released once every slot in it has been filled
// and emptied again: a system that spawns and stops actors forever keeps
// only the pages that still hold live actors (plus 8 KiB of interior node
// per million sequence numbers used).
type table[T any] struct {
	next atomic.Uint64
	root tableNode[T]
}

const (
	tableBits  = 10
	tableWidth = 1 << tableBits
	tableMask  = tableWidth - 1
	maxSeq     = 1<<(4*tableBits) - 1
)

type tableNode[T any] struct {
	children [tableWidth]atomic.Pointer[tableNode[T]]
	pages    [tableWidth]atomic.Pointer[tablePage[T]]
}

type tablePage[T any] struct {
	slots  [tableWidth]atomic.Pointer[T]
	filled atomic.Int32 // slots stored at least once (or abandoned)
	live   atomic.Int32 // slots holding an entry now
}

// alloc returns a fresh sequence number (starting at 1), or 0 when the
// table's 2^40 numbers are used up.
func (t *table[T]) alloc() uint64 {
	seq := t.next.Add(1)
	if seq > maxSeq {
		return 0
	}
	return seq
}

// leaf returns the level-3 node above seq's page, creating nodes when
// create is set.
func (t *table[T]) leaf(seq uint64, create bool) *tableNode[T] {
	n := &t.root
	for level := 3; level >= 2; level-- {
		slot := &n.children[(seq>>(level*tableBits))&tableMask]
		next := slot.Load()
		if next == nil {
			if !create {
				return nil
			}
			slot.CompareAndSwap(nil, new(tableNode[T]))
			next = slot.Load()
		}
		n = next
	}
	return n
}

func (t *table[T]) page(seq uint64, create bool) *tablePage[T] {
	leaf := t.leaf(seq, create)
	if leaf == nil {
		return nil
	}
	slot := &leaf.pages[(seq>>tableBits)&tableMask]
	p := slot.Load()
	if p == nil && create {
		slot.CompareAndSwap(nil, new(tablePage[T]))
		p = slot.Load()
	}
	return p
}

// store puts v at seq, which must come from alloc and be stored only once.
func (t *table[T]) store(seq uint64, v *T) {
	p := t.page(seq, true)
	p.live.Add(1)
	p.slots[seq&tableMask].Store(v)
	p.filled.Add(1)
}

// abandon gives up seq without storing anything, so its page can still be
// released.
func (t *table[T]) abandon(seq uint64) {
	p := t.page(seq, true)
	if p.filled.Add(1) == tableWidth && p.live.Load() == 0 {
		t.release(seq, p)
	}
}

// load returns the entry at seq, or nil.
func (t *table[T]) load(seq uint64) *T {
	if seq == 0 || seq > maxSeq {
		return nil
	}
	p := t.page(seq, false)
	if p == nil {
		return nil
	}
	return p.slots[seq&tableMask].Load()
}

// remove empties seq if it still holds v, and reports whether it did.
func (t *table[T]) remove(seq uint64, v *T) bool {
	p := t.page(seq, false)
	if p == nil || !p.slots[seq&tableMask].CompareAndSwap(v, nil) {
		return false
	}
	if p.live.Add(-1) == 0 && p.filled.Load() == tableWidth {
		t.release(seq, p)
	}
	return true
}

func (t *table[T]) release(seq uint64, p *tablePage[T]) {
	if leaf := t.leaf(seq, false); leaf != nil {
		leaf.pages[(seq>>tableBits)&tableMask].CompareAndSwap(p, nil)
	}
}

// descending calls f with every live entry, highest sequence number first,
// until f returns false. Entries stored or removed meanwhile may or may not
// be seen.
func (t *table[T]) descending(f func(*T) bool) {
	top := t.next.Load()
	for seq := min(top, maxSeq); seq > 0; {
		p := t.page(seq, false)
		if p == nil {
			seq = (seq &^ tableMask) - 1
			if seq > maxSeq { // wrapped below zero
				return
			}
			continue
		}
		if v := p.slots[seq&tableMask].Load(); v != nil && !f(v) {
			return
		}
		seq--
	}
}
