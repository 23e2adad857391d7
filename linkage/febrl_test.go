package linkage

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const febrlDir = "/work/shared/data/febrl"

// readFEBRL reads a FEBRL CSV file as records of source src; the identity of
// a record is the number in its rec_id.
func readFEBRL(tb testing.TB, name, src string) []Record {
	tb.Helper()
	f, err := os.Open(filepath.Join(febrlDir, name))
	if err != nil {
		tb.Skipf("FEBRL data not available: %v", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.TrimLeadingSpace = true
	rows, err := cr.ReadAll()
	if err != nil {
		tb.Fatalf("read %s: %v", name, err)
	}
	var recs []Record
	for _, row := range rows[1:] {
		recs = append(recs, Record{ID: row[0], Source: src, Values: row[1:]})
	}
	return recs
}

// febrlEntity returns the person number of a FEBRL rec_id: rec-NNN-org and
// rec-NNN-dup-K give NNN.
func febrlEntity(id string) string { return strings.Split(id, "-")[1] }

type quality struct{ tp, fp, fn int }

func (q quality) precision() float64 { return float64(q.tp) / float64(q.tp+q.fp) }
func (q quality) recall() float64    { return float64(q.tp) / float64(q.tp+q.fn) }
func (q quality) f1() float64 {
	p, r := q.precision(), q.recall()
	return 2 * p * r / (p + r)
}

// pairQuality compares the pairs within clusters (of different sources when
// linkOnly) with the true pairs.
func pairQuality(ix *Index, cl Clustering, linkOnly bool) quality {
	truth := map[string][]int{}
	for i := 0; i < ix.Len(); i++ {
		e := febrlEntity(ix.Record(i).ID)
		truth[e] = append(truth[e], i)
	}
	count := func(groups [][]int, same func(a, b int) bool) (n, hit int) {
		for _, g := range groups {
			for x, a := range g {
				for _, b := range g[x+1:] {
					if linkOnly && ix.Record(a).Source == ix.Record(b).Source {
						continue
					}
					n++
					if same == nil || same(a, b) {
						hit++
					}
				}
			}
		}
		return n, hit
	}
	var groups [][]int
	for _, g := range truth {
		groups = append(groups, g)
	}
	nTrue, _ := count(groups, nil)
	nLinked, tp := count(cl.Clusters, func(a, b int) bool {
		return febrlEntity(ix.Record(a).ID) == febrlEntity(ix.Record(b).ID)
	})
	return quality{tp: tp, fp: nLinked - tp, fn: nTrue - tp}
}

func linkFEBRL(tb testing.TB, cfg Config, recs []Record, opt EstimateOptions) (*Index, Clustering, []Pair) {
	tb.Helper()
	var pairs []Pair
	ix, cl, err := Link(cfg, recs, func(ix *Index, c *Candidates) (*Model, error) {
		pairs = c.Pairs()
		return EstimateCandidates(ix, c, opt)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ix, cl, pairs
}

func TestFEBRL(t *testing.T) {
	if testing.Short() {
		t.Skip("FEBRL runs take seconds")
	}
	tests := []struct {
		name     string
		files    []string
		linkOnly bool
		opt      EstimateOptions
		minF1    float64
	}{
		{"4a+4b EM", []string{"dataset4a.csv", "dataset4b.csv"}, true, EstimateOptions{}, 0.998},
		{"4a+4b random u", []string{"dataset4a.csv", "dataset4b.csv"}, true, EstimateOptions{RandomPairs: 200000, Seed: 1}, 0.998},
		{"dataset1", []string{"dataset1.csv"}, false, EstimateOptions{}, 0.99},
		{"dataset2", []string{"dataset2.csv"}, false, EstimateOptions{}, 0.99},
		{"dataset3", []string{"dataset3.csv"}, false, EstimateOptions{}, 0.99},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var recs []Record
			for i, f := range tc.files {
				recs = append(recs, readFEBRL(t, f, fmt.Sprint(i))...)
			}
			cfg := FEBRLConfig()
			cfg.LinkOnly, cfg.OnePerSource = tc.linkOnly, tc.linkOnly
			start := time.Now()
			ix, cl, pairs := linkFEBRL(t, cfg, recs, tc.opt)
			q := pairQuality(ix, cl, tc.linkOnly)
			t.Logf("%d records, %d candidate pairs, λ=%.4f after %d EM iterations, %d review pairs, %v",
				ix.Len(), len(pairs), ix.Model().Lambda, ix.Model().Iterations, len(cl.Review), time.Since(start))
			t.Logf("precision %.4f recall %.4f F1 %.4f (tp %d fp %d fn %d)",
				q.precision(), q.recall(), q.f1(), q.tp, q.fp, q.fn)
			if q.f1() < tc.minF1 {
				t.Errorf("F1 %.4f < %.4f", q.f1(), tc.minF1)
			}
		})
	}
}
