package linkage

import (
	"slices"
	"testing"

	"peyvand/demo"
)

// TestCandidatePairsBruteForce checks the block walk (Missing rules split
// into the records lacking the field and the rest, a pair kept by its
// first rule, oversized blocks skipped) against the definition: the union
// over rules of the pairs sharing a block no larger than MaxBlock, with
// one record lacking the rule's Missing field and none disagreeing on its
// Similar field.
func TestCandidatePairsBruteForce(t *testing.T) {
	recs, _ := demoRecords(demo.Generate(demo.Options{Seed: 7, Persons: 400}))
	cfg := PeyvandConfig()
	cfg.MaxBlock = 12 // so that some blocks are skipped
	ix, err := NewIndex(cfg, recs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[uint64]bool{}
	for k := range ix.rules {
		mi := ix.missingIn[k]
		for _, rs := range ix.blocks[k] {
			if len(rs) > cfg.MaxBlock {
				continue
			}
			for x, a := range rs {
				for _, b := range rs[x+1:] {
					if mi >= 0 && ix.ids[int(a)*ix.nf+mi] != 0 && ix.ids[int(b)*ix.nf+mi] != 0 {
						continue
					}
					if f := ix.similarIn[k]; f >= 0 && ix.cfg.Fields[f].Compare.level(ix.value(int(a), f), ix.value(int(b), f)) == 0 {
						continue
					}
					want[makePair(int(a), int(b)).key()] = true
				}
			}
		}
	}
	got := ix.CandidatePairs()
	if len(got) != len(want) {
		t.Errorf("%d candidate pairs, want %d", len(got), len(want))
	}
	for _, p := range got {
		if !want[p.key()] {
			t.Errorf("pair %v is no candidate", p)
		}
	}
	c := ix.Candidates()
	if c.Len() != len(got) {
		t.Errorf("Candidates has %d pairs, CandidatePairs %d", c.Len(), len(got))
	}
	var n float64
	for _, k := range c.counts {
		n += k
	}
	if int(n) != c.Len() {
		t.Errorf("pattern counts sum to %v, want %d", n, c.Len())
	}
	// Pair(i) reads across parts.
	pairs := c.Pairs()
	for _, i := range []int{0, len(pairs) / 2, len(pairs) - 1} {
		if c.Pair(i) != pairs[i] {
			t.Errorf("Pair(%d) = %v, Pairs()[%d] = %v", i, c.Pair(i), i, pairs[i])
		}
	}
}

// TestMaxCluster checks that the model alone never builds a cluster past
// Config.MaxCluster, that the refused pairs go to review, and that Links
// are the merges: one fewer than the records of each cluster.
func TestMaxCluster(t *testing.T) {
	recs, _ := demoRecords(demo.Generate(demo.Options{Seed: 7, Persons: 400}))
	for _, max := range []int{0, 2} {
		cfg := PeyvandConfig()
		cfg.MaxCluster = max
		ix, cl, err := Link(cfg, recs, EstimatePeyvand)
		if err != nil {
			t.Fatal(err)
		}
		largest := 0
		for _, c := range cl.Clusters {
			largest = slices.Max([]int{largest, len(c)})
		}
		if max > 0 && largest > max {
			t.Errorf("MaxCluster %d: a cluster of %d", max, largest)
		}
		if max == 0 && largest <= 2 {
			t.Errorf("no cluster above 2 records without a bound: the test shows nothing")
		}
		if got := len(cl.Links); got != ix.Len()-len(cl.Clusters) {
			t.Errorf("%d links for %d records in %d clusters: want one per merge", got, ix.Len(), len(cl.Clusters))
		}
		t.Logf("MaxCluster %d: largest cluster %d, %d review pairs", max, largest, len(cl.Review))
	}
}
