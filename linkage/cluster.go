package linkage

import (
	"cmp"
	"errors"
	"slices"
	"sync"
)

var errNoModel = errors.New("linkage: no model set; call Estimate and SetModel first")

// ScoredPair is a pair with its match weight and probability.
type ScoredPair struct {
	Pair
	Weight, Probability float64
}

// Clustering groups an Index's records into persons.
type Clustering struct {
	// Clusters holds record positions, sorted, singletons included.
	Clusters [][]int
	// Links are the pairs at or above the match threshold that ended in
	// one cluster.
	Links []ScoredPair
	// Review are pairs whose records ended in different clusters although
	// their probability reached the review band, or the match threshold
	// but the merge was refused; a reviewer should decide them.
	Review []ScoredPair
}

// Cluster links the pairs at or above the match threshold into persons,
// strongest first, like single linkage but with a guard against chaining:
// two clusters merge only if no cross pair is ruled out (a reviewer's "not
// the same", a Conflict, or with OnePerSource a shared source) and the mean
// match probability over all their cross pairs reaches Thresholds.Cluster
// (average linkage). So A~B strong and B~C weak do not put A and C in one
// person when A and C clearly differ. A reviewer's "same" forces a merge
// unless it contradicts a "not the same". The result is kept in ix for Match.
// It needs a model (SetModel).
func (ix *Index) Cluster(pairs []Pair) (Clustering, error) {
	if ix.model == nil {
		return Clustering{}, errNoModel
	}
	return ix.ClusterCandidates(ix.candidatesOf(pairs))
}

// ClusterCandidates is Cluster on candidate pairs whose comparison vectors
// are already computed (Index.Candidates). Only the pairs that reach the
// review band are kept after scoring, so memory grows with the links, not
// with the candidates.
func (ix *Index) ClusterCandidates(c *Candidates) (Clustering, error) {
	if ix.model == nil {
		return Clustering{}, errNoModel
	}
	ix.resetClusters()
	// Growing clusters are compared again and again; each cross pair is
	// scored once per run.
	ix.crossMemo = map[uint64]crossResult{}
	defer func() { ix.crossMemo = nil }()
	scored := ix.scoreCandidates(c, min(ix.cfg.Thresholds.Review, ix.cfg.Thresholds.Match))
	if len(ix.decisions) > 0 {
		in := make(map[uint64]bool, len(scored))
		for _, sp := range scored {
			in[sp.key()] = true
		}
		for k, same := range ix.decisions {
			if same && !in[k] {
				p := Pair{int(k >> 32), int(k & 0xffffffff)}
				w, pr := ix.Score(p.A, p.B)
				scored = append(scored, ScoredPair{p, w, pr})
			}
		}
	}
	slices.SortFunc(scored, func(x, y ScoredPair) int {
		if c := cmp.Compare(y.Weight, x.Weight); c != 0 {
			return c
		}
		return cmp.Compare(x.key(), y.key())
	})
	var res Clustering
	var band []ScoredPair
	t := ix.cfg.Thresholds
	for _, sp := range scored {
		if sp.Probability < t.Match {
			if sp.Probability >= t.Review {
				band = append(band, sp)
			}
			continue
		}
		ca, cb := ix.clusterOf[sp.A], ix.clusterOf[sp.B]
		if ca != cb {
			forced := sp.Probability == 1 && ix.decisions[sp.key()]
			if _, ok := ix.mayJoin(ix.membersOf(ca), ix.membersOf(cb), forced); !ok {
				band = append(band, sp)
				continue
			}
			ix.merge(ca, cb)
		}
		res.Links = append(res.Links, sp)
	}
	for _, sp := range band {
		if ix.clusterOf[sp.A] != ix.clusterOf[sp.B] {
			res.Review = append(res.Review, sp)
		}
	}
	for i, c := range ix.clusterOf {
		if c == i {
			ms := slices.Clone(ix.membersOf(c))
			slices.Sort(ms)
			res.Clusters = append(res.Clusters, ms)
		}
	}
	return res, nil
}

// scoreCandidates scores the candidate pairs on every core and keeps those
// whose probability reaches least, decisions applied.
func (ix *Index) scoreCandidates(c *Candidates, least float64) []ScoredPair {
	var mu sync.Mutex
	var out []ScoredPair
	parallel(c.Len(), 1<<15, func(lo, hi int) {
		// Without term frequencies a pair's weight is its pattern's.
		cache := map[uint32]float64{}
		g := make([]int, ix.nf)
		var local []ScoredPair
		for i := lo; i < hi; i++ {
			a, b := int(c.a[i]), int(c.b[i])
			var w, p float64
			if len(ix.decisions) > 0 {
				if _, ok := ix.decisions[makePair(a, b).key()]; ok {
					w, p = ix.Score(a, b)
					if p >= least {
						local = append(local, ScoredPair{makePair(a, b), w, p})
					}
					continue
				}
			}
			x := c.g[i]
			if ix.hasTF {
				ix.unpack(x, g)
				w, p = ix.weigh(ix.row(a), g)
			} else {
				var ok bool
				if w, ok = cache[x]; !ok {
					ix.unpack(x, g)
					w, _ = ix.weigh(ix.row(a), g)
					cache[x] = w
				}
				p = probability(w)
			}
			if p >= least {
				local = append(local, ScoredPair{makePair(a, b), w, p})
			}
		}
		mu.Lock()
		out = append(out, local...)
		mu.Unlock()
	})
	return out
}

func (ix *Index) resetClusters() {
	for i := range ix.clusterOf {
		ix.clusterOf[i] = i
		ix.members[i] = nil
	}
}

// membersOf returns the records of cluster root c.
func (ix *Index) membersOf(c int) []int {
	if ix.members[c] == nil {
		ix.members[c] = []int{c}
	}
	return ix.members[c]
}

// merge joins cluster b into cluster a, or the smaller into the larger.
func (ix *Index) merge(a, b int) {
	ma, mb := ix.membersOf(a), ix.membersOf(b)
	if len(ma) < len(mb) {
		a, b, ma, mb = b, a, mb, ma
	}
	for _, r := range mb {
		ix.clusterOf[r] = a
	}
	ix.members[a] = append(ma, mb...)
	ix.members[b] = nil
}

// mayJoin applies the chaining guard to indexed clusters A and B and returns
// the mean probability of their cross pairs.
func (ix *Index) mayJoin(A, B []int, forced bool) (float64, bool) {
	g := make([]int, len(ix.cfg.Fields))
	var sum float64
	for _, x := range A {
		for _, y := range B {
			same, decided := ix.decisions[makePair(x, y).key()]
			switch {
			case decided && !same:
				return 0, false
			case decided:
				sum++
				continue
			case forced:
				continue
			}
			k := makePair(x, y).key()
			c, seen := ix.crossMemo[k]
			if !seen {
				c.p, c.ok = ix.crossPair(x, y, g)
				if ix.crossMemo != nil {
					ix.crossMemo[k] = c
				}
			}
			if !c.ok {
				return 0, false
			}
			sum += c.p
		}
	}
	mean := sum / float64(len(A)*len(B))
	return mean, forced || mean >= ix.clusterThreshold()
}

// crossResult is a scored cross pair: its match probability, and whether
// the pair may share a cluster.
type crossResult struct {
	p  float64
	ok bool
}

// crossPair scores indexed records x and y; ok is false when the pair may
// not share a cluster.
func (ix *Index) crossPair(x, y int, g []int) (float64, bool) {
	if ix.cfg.OnePerSource && ix.records[x].Source == ix.records[y].Source {
		return 0, false
	}
	_, p := ix.score(ix.row(x), ix.row(y), g)
	return p, !ix.conflict(g)
}

// conflict reports whether a comparison vector meets a Conflict rule: all its
// fields present and at level 0.
func (ix *Index) conflict(g []int) bool {
	for _, fs := range ix.conflicts {
		all := true
		for _, f := range fs {
			if g[f] != 0 {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func (ix *Index) clusterThreshold() float64 {
	if ix.cfg.Thresholds.Cluster > 0 {
		return ix.cfg.Thresholds.Cluster
	}
	return ix.cfg.Thresholds.Match
}
