package linkage

import (
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// Candidates are the candidate pairs of an Index with their comparison
// vectors, computed once (in parallel) and kept packed in one uint32 per
// pair, so that learning the model and clustering read them without
// comparing any pair twice. The pairs are kept in fixed-size parts, never
// copied into one array, and the number of pairs showing each comparison
// vector (what EM reads) is counted while they are compared.
// ClusterCandidates drops the pairs once it has scored them; the counts
// stay.
type Candidates struct {
	parts  []*candPart
	offs   []int // offs[i] is the position of parts[i]'s first pair
	n      int
	counts map[uint32]float64 // packed comparison vector → pairs; nil without vectors
}

// candPart is a run of candidate pairs; g is nil when the vectors are not
// computed.
type candPart struct {
	a, b, g []uint32
}

// partSize is the number of pairs of a full part: large enough that the
// parts' headers cost nothing, small enough that a half-filled one wastes
// little.
const partSize = 1 << 16

// Len returns the number of candidate pairs.
func (c *Candidates) Len() int { return c.n }

// Pair returns the i-th pair, in no particular order. It panics once
// ClusterCandidates has dropped the pairs.
func (c *Candidates) Pair(i int) Pair {
	k := sort.Search(len(c.offs), func(k int) bool { return c.offs[k] > i }) - 1
	p := c.parts[k]
	j := i - c.offs[k]
	return Pair{int(p.a[j]), int(p.b[j])}
}

// Pairs returns the pairs, in no particular order.
func (c *Candidates) Pairs() []Pair {
	out := make([]Pair, 0, c.n)
	for _, p := range c.parts {
		for j := range p.a {
			out = append(out, Pair{int(p.a[j]), int(p.b[j])})
		}
	}
	return out
}

// add appends parts, computing their offsets.
func (c *Candidates) add(ps ...*candPart) {
	for _, p := range ps {
		if len(p.a) == 0 {
			continue
		}
		c.offs = append(c.offs, c.n)
		c.parts = append(c.parts, p)
		c.n += len(p.a)
	}
}

// Candidates returns the union of the pairs that share a block under any
// blocking rule, each with its comparison vector. Blocks larger than
// Config.MaxBlock are skipped (SkippedBlocks says how many records that
// left out of a rule). A pair is kept by the first rule that blocks it, so
// no set of pairs seen is needed.
func (ix *Index) Candidates() *Candidates { return ix.compareBlocks(true) }

// SkippedBlocks returns, per blocking rule, the number of blocks larger
// than Config.MaxBlock and the records in them.
func (ix *Index) SkippedBlocks() (blocks, records []int) {
	blocks, records = make([]int, len(ix.rules)), make([]int, len(ix.rules))
	for k := range ix.rules {
		for _, rs := range ix.blocks[k] {
			if len(rs) > ix.cfg.MaxBlock {
				blocks[k]++
				records[k] += len(rs)
			}
		}
	}
	return blocks, records
}

// candidatesOf computes the comparison vectors of given pairs, in parallel.
func (ix *Index) candidatesOf(pairs []Pair) *Candidates {
	var mu sync.Mutex
	c := &Candidates{counts: map[uint32]float64{}}
	var parts []*candPart
	starts := map[*candPart]int{}
	parallel(len(pairs), partSize, func(lo, hi int) {
		p := &candPart{a: make([]uint32, hi-lo), b: make([]uint32, hi-lo), g: make([]uint32, hi-lo)}
		counts := map[uint32]float64{}
		g := make([]int, ix.nf)
		for i := lo; i < hi; i++ {
			q := pairs[i]
			j := i - lo
			p.a[j], p.b[j] = uint32(q.A), uint32(q.B)
			ix.gamma(ix.row(q.A), ix.row(q.B), g)
			p.g[j] = ix.pack(g)
			counts[p.g[j]]++
		}
		mu.Lock()
		parts = append(parts, p)
		starts[p] = lo
		for x, n := range counts {
			c.counts[x] += n
		}
		mu.Unlock()
	})
	// Keep the pairs' order, so that Pair(i) is pairs[i].
	sort.Slice(parts, func(i, j int) bool { return starts[parts[i]] < starts[parts[j]] })
	c.add(parts...)
	return c
}

// blockWalker is one goroutine's state while the blocks are walked.
type blockWalker struct {
	ix        *Index
	withGamma bool
	g         []int
	cur       *candPart
	done      []*candPart
	counts    map[uint32]float64
	lacking   []int32 // scratch: a block's records without the rule's Missing field
	having    []int32
	oversize  [][]bool
	caches    []*levelCache // per field; nil where comparing costs less than looking up
}

// levelCache remembers the levels of recently compared value pairs of one
// field, direct-mapped: records of one block share a handful of
// spellings, so most name comparisons are repeats, and a lookup costs a
// fraction of Jaro–Winkler.
type levelCache struct {
	keys   [levelCacheSize]uint64
	levels [levelCacheSize]int8
}

const levelCacheSize = 1 << 12

func (ix *Index) newLevelCaches() []*levelCache {
	cs := make([]*levelCache, ix.nf)
	for f, fd := range ix.cfg.Fields {
		if k := fd.Compare.Kind; k == KindName || k == KindJaroWinkler {
			cs[f] = &levelCache{}
		}
	}
	return cs
}

// gammaCached is gamma with caches (as newLevelCaches makes them).
func (ix *Index) gammaCached(ra, rb []int32, g []int, caches []*levelCache) {
	for f := range g {
		g[f] = ix.levelOf(f, ra[f], rb[f], caches[f])
	}
	ix.uncross(ra, rb, g)
}

// levelOf is the level of field f between value ids a and b, looked up in
// c first when c is not nil.
func (ix *Index) levelOf(f int, a, b int32, c *levelCache) int {
	switch {
	case a == 0 || b == 0:
		return missing
	case a == b:
		return ix.top[f]
	case c == nil:
		return ix.cfg.Fields[f].Compare.level(&ix.dict[f][a], &ix.dict[f][b])
	}
	if a > b {
		a, b = b, a
	}
	key := uint64(a)<<32 | uint64(b)
	h := (key * 0x9e3779b97f4a7c15) >> (64 - 12)
	if c.keys[h] != key {
		c.keys[h], c.levels[h] = key, int8(ix.cfg.Fields[f].Compare.level(&ix.dict[f][a], &ix.dict[f][b]))
	}
	return int(c.levels[h])
}

func (w *blockWalker) emit(a, b int32) {
	if a > b {
		a, b = b, a
	}
	ix := w.ix
	if ix.cfg.LinkOnly && ix.records[a].Source == ix.records[b].Source {
		return
	}
	if w.cur == nil || len(w.cur.a) == partSize {
		w.cur = &candPart{a: make([]uint32, 0, partSize), b: make([]uint32, 0, partSize)}
		if w.withGamma {
			w.cur.g = make([]uint32, 0, partSize)
		}
		w.done = append(w.done, w.cur)
	}
	p := w.cur
	p.a, p.b = append(p.a, uint32(a)), append(p.b, uint32(b))
	if w.withGamma {
		ix.gammaCached(ix.row(int(a)), ix.row(int(b)), w.g, w.caches)
		x := ix.pack(w.g)
		p.g = append(p.g, x)
		w.counts[x]++
	}
}

// walk emits the pairs of block b of rule k that no earlier rule made.
func (w *blockWalker) walk(k int, b int32) {
	ix := w.ix
	rs := ix.blocks[k][b]
	mi := ix.missingIn[k]
	if mi < 0 {
		similar := ix.similarIn[k] >= 0
		for x, a := range rs {
			for _, y := range rs[x+1:] {
				if !ix.blockedBefore(k, a, y, w.oversize) && !(similar && ix.dissimilar(k, a, y, w.caches)) {
					w.emit(a, y)
				}
			}
		}
		return
	}
	// A rule with Missing pairs only records of which one lacks the
	// field: those lacking it with each other and with the rest, so
	// that a block of thousands of namesakes costs only its few
	// records without a surname.
	w.lacking, w.having = w.lacking[:0], w.having[:0]
	for _, a := range rs {
		if ix.ids[int(a)*ix.nf+mi] == 0 {
			w.lacking = append(w.lacking, a)
		} else {
			w.having = append(w.having, a)
		}
	}
	for x, a := range w.lacking {
		for _, y := range w.lacking[x+1:] {
			if !ix.blockedBefore(k, a, y, w.oversize) {
				w.emit(a, y)
			}
		}
		for _, y := range w.having {
			if !ix.blockedBefore(k, a, y, w.oversize) {
				w.emit(a, y)
			}
		}
	}
}

// compareBlocks lists the candidate pairs block by block on every core,
// with their packed comparison vectors and the counts of each when
// withGamma.
func (ix *Index) compareBlocks(withGamma bool) *Candidates {
	type item struct {
		rule  int
		block int32
	}
	var items []item
	oversize := make([][]bool, len(ix.rules))
	for k := range ix.rules {
		oversize[k] = make([]bool, len(ix.blocks[k]))
		for b, rs := range ix.blocks[k] {
			oversize[k][b] = len(rs) > ix.cfg.MaxBlock
			if len(rs) >= 2 && len(rs) <= ix.cfg.MaxBlock {
				items = append(items, item{k, int32(b)})
			}
		}
	}
	workers := runtime.GOMAXPROCS(0)
	walkers := make([]*blockWalker, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	const chunk = 64
	for i := range walkers {
		w := &blockWalker{ix: ix, withGamma: withGamma, g: make([]int, ix.nf), counts: map[uint32]float64{}, oversize: oversize, caches: ix.newLevelCaches()}
		walkers[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(items) {
					return
				}
				for _, it := range items[lo:min(lo+chunk, len(items))] {
					w.walk(it.rule, it.block)
				}
			}
		}()
	}
	wg.Wait()
	c := &Candidates{}
	if withGamma {
		c.counts = map[uint32]float64{}
	}
	for _, w := range walkers {
		c.add(w.done...)
		for x, n := range w.counts {
			c.counts[x] += n
		}
	}
	return c
}

// blockedBefore reports whether an earlier rule than k already made a and b
// a candidate pair.
func (ix *Index) blockedBefore(k int, a, b int32, oversize [][]bool) bool {
	nr := len(ix.rules)
	ra, rb := ix.blockOf[int(a)*nr:int(a)*nr+k], ix.blockOf[int(b)*nr:int(b)*nr+k]
	for j, ba := range ra {
		if ba >= 0 && ba == rb[j] && !oversize[j][ba] && !ix.dissimilar(j, a, b, nil) {
			if mi := ix.missingIn[j]; mi < 0 || ix.ids[int(a)*ix.nf+mi] == 0 || ix.ids[int(b)*ix.nf+mi] == 0 {
				return true
			}
		}
	}
	return false
}

// pack writes a comparison vector into one word, level+1 per field (0 for
// missing) in the bits Config.Validate made room for.
func (ix *Index) pack(g []int) uint32 {
	var x uint32
	for f, l := range g {
		x |= uint32(l+1) << ix.shift[f]
	}
	return x
}

func (ix *Index) unpack(x uint32, g []int) {
	for f := range g {
		w := levelBits(ix.top[f] + 1)
		g[f] = int(x>>ix.shift[f]&(1<<w-1)) - 1
	}
}

// parallel calls work on chunks [lo, hi) of [0, n) from one goroutine per
// core.
func parallel(n, chunk int, work func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if n <= chunk || workers == 1 {
		work(0, n)
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				work(lo, min(lo+chunk, n))
			}
		}()
	}
	wg.Wait()
}
