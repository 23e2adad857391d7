package linkage

import (
	"cmp"
	"slices"
)

// Candidate is an indexed record compared with a new one.
type Candidate struct {
	Record      int // position in the index
	Weight      float64
	Probability float64
}

// MatchResult is what Match found for a new record.
type MatchResult struct {
	// Cluster is the matched cluster (the position of one of its records,
	// as in Index.ClusterOf), or -1.
	Cluster int
	// Probability is the mean match probability of the new record
	// against the members of Cluster, or the best candidate's if none.
	Probability float64
	// Review is set when no cluster was matched but a candidate reached
	// the review band, or a cluster was refused by the chaining guard.
	Review bool
	// Candidates are the blocked records, most probable first.
	Candidates []Candidate
}

// Match compares one new record with the records of ix that share a block
// with it and picks the cluster it belongs to, under the same guard as
// Cluster: a link at or above the match threshold, no cannot-link with any
// member, and a mean probability over the members reaching the cluster
// threshold. It does not change ix; Add does.
func Match(ix *Index, r Record) (MatchResult, error) {
	res := MatchResult{Cluster: -1}
	if ix.model == nil {
		return res, errNoModel
	}
	nr, err := ix.lookup(r)
	if err != nil {
		return res, err
	}
	g := make([]int, len(ix.cfg.Fields))
	seen := map[int32]bool{}
	for k := range ix.rules {
		if mi := ix.missingIn[k]; mi >= 0 && nr.ids[mi] != 0 {
			continue // the new record's own value pairs it by other rules
		}
		key, ok := ix.blockKeyOf(k, nr.ids, r, false)
		if !ok {
			continue
		}
		b, ok := ix.blockIdx[k][key]
		if !ok {
			continue
		}
		block := ix.blocks[k][b]
		if len(block)+1 > ix.cfg.MaxBlock {
			continue
		}
		for _, y := range block {
			if seen[y] || ix.cfg.LinkOnly && ix.records[y].Source == r.Source {
				continue
			}
			w, p := ix.scoreNew(nr, int(y), g)
			if f := ix.similarIn[k]; f >= 0 && g[f] == 0 {
				continue // as the rule would not have paired them
			}
			seen[y] = true
			res.Candidates = append(res.Candidates, Candidate{int(y), w, p})
		}
	}
	slices.SortFunc(res.Candidates, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), cmp.Compare(a.Record, b.Record))
	})
	tried := map[int]bool{}
	t := ix.cfg.Thresholds
	for _, c := range res.Candidates {
		cl := ix.clusterOf[c.Record]
		if c.Probability < t.Match || tried[cl] {
			continue
		}
		tried[cl] = true
		mean, ok := ix.joinNew(r.Source, nr, ix.membersOf(cl), g)
		if ok && (res.Cluster < 0 || mean > res.Probability) {
			res.Cluster, res.Probability = cl, mean
		}
		if !ok {
			res.Review = true
		}
	}
	if res.Cluster >= 0 {
		res.Review = false
	} else if len(res.Candidates) > 0 {
		res.Probability = res.Candidates[0].Probability
		res.Review = res.Review || res.Probability >= t.Review
	}
	return res, nil
}

// joinNew applies the chaining guard to a new record and an indexed cluster.
func (ix *Index) joinNew(src string, nr newRecord, members []int, g []int) (float64, bool) {
	var sum float64
	for _, y := range members {
		if ix.cfg.OnePerSource && src == ix.records[y].Source {
			return 0, false
		}
		_, p := ix.scoreNew(nr, y, g)
		if ix.conflict(g) {
			return 0, false
		}
		sum += p
	}
	mean := sum / float64(len(members))
	return mean, mean >= ix.clusterThreshold()
}

// Add matches r as Match does, then inserts it into the index, its blocks
// and term frequencies, and into the matched cluster if any. It returns the
// match and the new record's position.
func (ix *Index) Add(r Record) (MatchResult, int, error) {
	res, err := Match(ix, r)
	if err != nil {
		return res, 0, err
	}
	i, err := ix.insert(r)
	if err != nil {
		return res, 0, err
	}
	if res.Cluster >= 0 {
		ix.merge(res.Cluster, ix.clusterOf[i])
	}
	return res, i, nil
}

// ClusterOf returns the cluster of record i: the position of one of its
// records, stable until the clusters change.
func (ix *Index) ClusterOf(i int) int { return ix.clusterOf[i] }

// Members returns the positions of the records in cluster c.
func (ix *Index) Members(c int) []int { return slices.Clone(ix.membersOf(c)) }
