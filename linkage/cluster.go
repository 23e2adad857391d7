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
	// Links are the pairs at or above the match threshold that joined
	// two clusters, strongest first: a spanning tree of each cluster, the
	// evidence that holds it together.
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
// with the candidates: c's pairs are dropped as they are scored (its
// length and pattern counts stay).
//
// Each merge looks at the cross pairs of two clusters, so the work is
// linear in the kept pairs as long as clusters stay small: a cluster never
// grows past Config.MaxCluster records by the model alone (the pair goes
// to review instead), a merge is refused as soon as its cross pairs cannot
// reach the mean any more, and a refused merge is not tried again until
// one of the two clusters has grown.
func (ix *Index) ClusterCandidates(c *Candidates) (Clustering, error) {
	if ix.model == nil {
		return Clustering{}, errNoModel
	}
	ix.resetClusters()
	t := ix.cfg.Thresholds
	kept := ix.scoreCandidates(c, min(t.Review, t.Match))
	var res Clustering
	// The review band is kept compactly: at a million records it can
	// hold millions of pairs of namesakes.
	var band []bandPair
	toBand := func(sp ScoredPair) { band = append(band, bandPair{sp.key(), sp.Weight, sp.Probability}) }
	refused := map[uint64]refusal{}
	g := make([]int, ix.nf)
	kept.each(func(sp ScoredPair) {
		if sp.Probability < t.Match {
			if sp.Probability >= t.Review {
				toBand(sp)
			}
			return
		}
		ca, cb := ix.clusterOf[sp.A], ix.clusterOf[sp.B]
		if ca == cb {
			return
		}
		forced := sp.Probability == 1 && ix.decisions[sp.key()]
		A, B := ix.membersOf(ca), ix.membersOf(cb)
		k := makePair(ca, cb).key()
		if r, ok := refused[k]; ok && !forced && (r.conflict || r.sizes == len(A)+len(B)) {
			toBand(sp)
			return
		}
		if !forced && len(A)+len(B) > ix.maxCluster() {
			toBand(sp)
			return
		}
		if _, ok, conflict := ix.mayJoin(A, B, forced, g); !ok {
			refused[k] = refusal{sizes: len(A) + len(B), conflict: conflict}
			toBand(sp)
			return
		}
		ix.merge(ca, cb)
		res.Links = append(res.Links, sp)
	})
	n := 0
	for _, bp := range band {
		if ix.clusterOf[bp.key>>32] != ix.clusterOf[bp.key&0xffffffff] {
			n++
		}
	}
	res.Review = make([]ScoredPair, 0, n)
	for _, bp := range band {
		a, b := int(bp.key>>32), int(bp.key&0xffffffff)
		if ix.clusterOf[a] != ix.clusterOf[b] {
			res.Review = append(res.Review, ScoredPair{Pair{a, b}, bp.w, bp.p})
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

// bandPair is a pair of the review band: its key, weight and probability
// (kept, not recomputed, because a decision sets them apart from the
// weight).
type bandPair struct {
	key  uint64
	w, p float64
}

// refusal is a merge the guard refused: the two clusters' total size then,
// and whether a cannot-link refused it (which no growth undoes).
type refusal struct {
	sizes    int
	conflict bool
}

// maxCluster is Config.MaxCluster or its default.
func (ix *Index) maxCluster() int {
	if ix.cfg.MaxCluster > 0 {
		return ix.cfg.MaxCluster
	}
	return defaultMaxCluster
}

// defaultMaxCluster bounds a cluster the model alone builds. One person is
// listed by a handful of sources, a few times each; a cluster of more is
// namesakes chained together, and checking each merge against all its
// members would grow with its square.
const defaultMaxCluster = 64

// keptPairs are the scored pairs that reach the review band, to be read
// strongest first (weight descending, then pair). Pairs weighed by their
// pattern alone (no term frequency, no decision) wait in one bucket per
// weight, 8 bytes each, so that millions of them need no general sort;
// the others are sorted with their weights.
type keptPairs struct {
	weights []float64  // per bucket, descending
	buckets [][]uint64 // pair keys, ascending within a bucket
	other   []ScoredPair
}

// each calls fn with the kept pairs, strongest first.
func (k *keptPairs) each(fn func(ScoredPair)) {
	o := 0
	for r, keys := range k.buckets {
		w := k.weights[r]
		p := probability(w)
		for _, key := range keys {
			for o < len(k.other) && (k.other[o].Weight > w || k.other[o].Weight == w && k.other[o].key() < key) {
				fn(k.other[o])
				o++
			}
			fn(ScoredPair{Pair{int(key >> 32), int(key & 0xffffffff)}, w, p})
		}
		k.buckets[r] = nil
	}
	for ; o < len(k.other); o++ {
		fn(k.other[o])
	}
}

// scoreCandidates scores the candidate pairs on every core and keeps those
// whose probability reaches least, decisions applied (a reviewer's "same"
// is kept even if the pair was not blocked). It drops c's pairs.
func (ix *Index) scoreCandidates(c *Candidates, least float64) *keptPairs {
	kept := &keptPairs{}
	// Without term frequencies a pair's weight is its pattern's: each
	// pattern is weighed once, and most are below the band.
	rank := map[uint32]int32{}
	if !ix.hasTF {
		byWeight := map[float64][]uint32{}
		g := make([]int, ix.nf)
		for x := range c.counts {
			ix.unpack(x, g)
			if w, p := ix.weigh(nil, g); p >= least {
				byWeight[w] = append(byWeight[w], x)
			}
		}
		for w := range byWeight {
			kept.weights = append(kept.weights, w)
		}
		slices.SortFunc(kept.weights, func(x, y float64) int { return cmp.Compare(y, x) })
		for r, w := range kept.weights {
			for _, x := range byWeight[w] {
				rank[x] = int32(r)
			}
		}
	}
	var mu sync.Mutex
	kept.buckets = make([][]uint64, len(kept.weights))
	parts := c.parts
	c.parts, c.offs = nil, nil
	parallel(len(parts), 1, func(lo, hi int) {
		g := make([]int, ix.nf)
		buckets := make([][]uint64, len(kept.weights))
		var other []ScoredPair
		for k := lo; k < hi; k++ {
			part := parts[k]
			parts[k] = nil
			for i := range part.a {
				a, b := int(part.a[i]), int(part.b[i])
				if len(ix.decisions) > 0 {
					if _, ok := ix.decisions[makePair(a, b).key()]; ok {
						if w, p := ix.Score(a, b); p >= least {
							other = append(other, ScoredPair{makePair(a, b), w, p})
						}
						continue
					}
				}
				x := part.g[i]
				if !ix.hasTF {
					if r, ok := rank[x]; ok {
						buckets[r] = append(buckets[r], makePair(a, b).key())
					}
					continue
				}
				ix.unpack(x, g)
				if w, p := ix.weigh(ix.row(a), g); p >= least {
					other = append(other, ScoredPair{makePair(a, b), w, p})
				}
			}
		}
		mu.Lock()
		for r := range buckets {
			kept.buckets[r] = append(kept.buckets[r], buckets[r]...)
		}
		kept.other = append(kept.other, other...)
		mu.Unlock()
	})
	in := map[uint64]bool{}
	for _, sp := range kept.other {
		in[sp.key()] = true
	}
	for k, same := range ix.decisions {
		if same && !in[k] {
			p := Pair{int(k >> 32), int(k & 0xffffffff)}
			w, pr := ix.Score(p.A, p.B)
			kept.other = append(kept.other, ScoredPair{p, w, pr})
		}
	}
	parallel(len(kept.buckets), 1, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			slices.Sort(kept.buckets[r])
		}
	})
	slices.SortFunc(kept.other, func(x, y ScoredPair) int {
		if c := cmp.Compare(y.Weight, x.Weight); c != 0 {
			return c
		}
		return cmp.Compare(x.key(), y.key())
	})
	return kept
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
// the mean probability of their cross pairs; conflict says a cannot-link
// (a decision or a Conflict) refused them. g is scratch space.
func (ix *Index) mayJoin(A, B []int, forced bool, g []int) (mean float64, ok, conflict bool) {
	var sum float64
	n := float64(len(A) * len(B))
	// The mean reaches the threshold only while the probability still
	// missing, Σ(1-p), stays within (1-threshold)·n: past that the merge
	// is refused without scoring the other cross pairs.
	allowed, missingP := (1-ix.clusterThreshold())*n, 0.0
	for _, x := range A {
		for _, y := range B {
			same, decided := ix.decisions[makePair(x, y).key()]
			switch {
			case decided && !same:
				return 0, false, true
			case decided:
				sum++
				continue
			case forced:
				continue
			}
			p, ok := ix.crossPair(x, y, g)
			if !ok {
				return 0, false, true
			}
			sum += p
			if missingP += 1 - p; missingP > allowed && !forced {
				return 0, false, false
			}
		}
	}
	mean = sum / n
	return mean, forced || mean >= ix.clusterThreshold(), false
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
