package linkage

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Candidates are the candidate pairs of an Index with their comparison
// vectors, computed once (in parallel) and kept packed in one uint32 per
// pair, so that learning the model and clustering read them without
// comparing any pair twice.
type Candidates struct {
	a, b []uint32
	g    []uint32 // packed comparison vectors; nil when not computed
}

// Len returns the number of candidate pairs.
func (c *Candidates) Len() int { return len(c.a) }

// Pair returns the i-th pair, in no particular order.
func (c *Candidates) Pair(i int) Pair { return Pair{int(c.a[i]), int(c.b[i])} }

// Pairs returns the pairs, in no particular order.
func (c *Candidates) Pairs() []Pair {
	out := make([]Pair, len(c.a))
	for i := range out {
		out[i] = c.Pair(i)
	}
	return out
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
	c := &Candidates{a: make([]uint32, len(pairs)), b: make([]uint32, len(pairs)), g: make([]uint32, len(pairs))}
	parallel(len(pairs), 4096, func(lo, hi int) {
		g := make([]int, ix.nf)
		for i := lo; i < hi; i++ {
			p := pairs[i]
			c.a[i], c.b[i] = uint32(p.A), uint32(p.B)
			ix.gamma(ix.row(p.A), ix.row(p.B), g)
			c.g[i] = ix.pack(g)
		}
	})
	return c
}

// compareBlocks lists the candidate pairs block by block on every core,
// with their packed comparison vectors when withGamma.
func (ix *Index) compareBlocks(withGamma bool) *Candidates {
	type item struct {
		rule  int
		block int32
	}
	var items []item
	for k := range ix.rules {
		for b, rs := range ix.blocks[k] {
			if len(rs) >= 2 && len(rs) <= ix.cfg.MaxBlock {
				items = append(items, item{k, int32(b)})
			}
		}
	}
	var mu sync.Mutex
	var parts []*Candidates
	parallel(len(items), 64, func(lo, hi int) {
		out := &Candidates{}
		g := make([]int, ix.nf)
		for _, it := range items[lo:hi] {
			rs := ix.blocks[it.rule][it.block]
			for x, a := range rs {
				ra := ix.row(int(a))
				for _, b := range rs[x+1:] {
					if ix.cfg.LinkOnly && ix.records[a].Source == ix.records[b].Source {
						continue
					}
					if mi := ix.missingIn[it.rule]; mi >= 0 && ix.ids[int(a)*ix.nf+mi] != 0 && ix.ids[int(b)*ix.nf+mi] != 0 {
						continue
					}
					if ix.blockedBefore(it.rule, a, b) {
						continue
					}
					out.a, out.b = append(out.a, uint32(a)), append(out.b, uint32(b))
					if withGamma {
						ix.gamma(ra, ix.row(int(b)), g)
						out.g = append(out.g, ix.pack(g))
					}
				}
			}
		}
		mu.Lock()
		parts = append(parts, out)
		mu.Unlock()
	})
	n := 0
	for _, p := range parts {
		n += p.Len()
	}
	all := &Candidates{a: make([]uint32, 0, n), b: make([]uint32, 0, n)}
	if withGamma {
		all.g = make([]uint32, 0, n)
	}
	for _, p := range parts {
		all.a, all.b, all.g = append(all.a, p.a...), append(all.b, p.b...), append(all.g, p.g...)
	}
	return all
}

// blockedBefore reports whether an earlier rule than k already made a and b
// a candidate pair.
func (ix *Index) blockedBefore(k int, a, b int32) bool {
	for j := 0; j < k; j++ {
		ba := ix.blockOf[j][a]
		if ba >= 0 && ba == ix.blockOf[j][b] && len(ix.blocks[j][ba]) <= ix.cfg.MaxBlock {
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
