package linkage

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"peyvand/demo"
)

// TestPeyvandDemoSeeds is the cross-script benchmark on other seeds than
// TestPeyvandDemo's, for calibration and for the figures of
// docs/bench-linkage.md: PEYVAND_DEMO_SEEDS=7,11,13 (and
// PEYVAND_DEMO_PERSONS, 2000 by default).
func TestPeyvandDemoSeeds(t *testing.T) {
	seeds := os.Getenv("PEYVAND_DEMO_SEEDS")
	if seeds == "" {
		t.Skip("set PEYVAND_DEMO_SEEDS=7,11 to run")
	}
	persons := 2000
	if n, err := strconv.Atoi(os.Getenv("PEYVAND_DEMO_PERSONS")); err == nil {
		persons = n
	}
	for _, s := range strings.Split(seeds, ",") {
		seed, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		recs, truth, ix, cl, took := linkDemo(t, seed, persons)
		q := measureDemo(recs, truth, cl)
		blocked, trueBlocked := blockingRecall(ix, truth)
		t.Logf("seed %d: %d records, %d candidate pairs holding %.4f of the true pairs, %d review pairs, %v",
			seed, len(recs), blocked, trueBlocked, len(cl.Review), took)
		t.Logf("seed %d: precision %.4f recall %.4f F1 %.4f (tp %d fp %d fn %d); sibling false merges %d of %d",
			seed, q.precision(), q.recall(), q.f1(), q.tp, q.fp, q.fn, q.siblingFP, q.siblingPairs)
		t.Logf("seed %d: missed pairs %s", seed, whyMissed(ix, recs, q.fns))
		if os.Getenv("PEYVAND_DEMO_VERBOSE") != "" {
			for i, p := range q.fps[:min(len(q.fps), 15)] {
				t.Logf("false positive %d: %s", i, describePair(ix, truth, p[0], p[1]))
			}
			for i, p := range q.fns[:min(len(q.fns), 25)] {
				t.Logf("false negative %d: %s", i, describePair(ix, truth, p[0], p[1]))
			}
		}
	}
}

// blockingRecall returns the number of candidate pairs and the share of the
// true pairs among them: the ceiling of recall that blocking sets.
func blockingRecall(ix *Index, truth []int) (int, float64) {
	c := ix.compareBlocks(false)
	hit := 0
	for i := range c.Len() {
		p := c.Pair(i)
		if truth[p.A] == truth[p.B] {
			hit++
		}
	}
	byPerson := map[int]int{}
	for _, t := range truth {
		byPerson[t]++
	}
	n := 0
	for _, k := range byPerson {
		n += k * (k - 1) / 2
	}
	return c.Len(), float64(hit) / float64(n)
}

// whyMissed sorts the true pairs the clustering kept apart by where they
// were lost: never compared (blocking), scored below the review band, in
// the band (for a reviewer), or above the match threshold but kept apart
// by the chaining guard; and says how many involve a record without a
// family name (a witness who knew only a first name).
func whyMissed(ix *Index, recs []Record, fns [][2]int) string {
	blocked := map[uint64]bool{}
	for _, p := range ix.CandidatePairs() {
		blocked[p.key()] = true
	}
	var notBlocked, low, band, guard, givenOnly int
	t := ix.Config().Thresholds
	for _, p := range fns {
		_, prob := ix.Score(p[0], p[1])
		switch {
		case !blocked[makePair(p[0], p[1]).key()]:
			notBlocked++
		case prob < t.Review:
			low++
		case prob < t.Match:
			band++
		default:
			guard++
		}
		if recs[p[0]].Values[pfFamily] == "" || recs[p[1]].Values[pfFamily] == "" {
			givenOnly++
		}
	}
	return fmt.Sprintf("%d: not blocked %d, below the band %d, review band %d, kept apart by the guard %d; %d with a first name only",
		len(fns), notBlocked, low, band, guard, givenOnly)
}

func benchPersons(b *testing.B) int {
	n, err := strconv.Atoi(os.Getenv("PEYVAND_BENCH_PERSONS"))
	if err != nil || n <= 0 {
		b.Skip("set PEYVAND_BENCH_PERSONS (532000 makes 1M records)")
	}
	return n
}

// BenchmarkLinkScale links a generated data set of PEYVAND_BENCH_PERSONS
// persons end to end in memory (no CSV), reporting each stage and the
// pairwise precision and recall against the generator's truth
// (PEYVAND_BENCH_WIDE=1: with the demo's wide name pool).
func BenchmarkLinkScale(b *testing.B) {
	persons := benchPersons(b)
	recs, truth := demoRecords(demo.Generate(demo.Options{Seed: 3, Persons: persons, WideNames: os.Getenv("PEYVAND_BENCH_WIDE") != ""}))
	runtime.GC()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		ix, err := NewIndex(PeyvandConfig(), recs)
		if err != nil {
			b.Fatal(err)
		}
		tIndex := time.Since(start)
		c := ix.Candidates()
		tCand := time.Since(start)
		m, err := EstimatePeyvand(ix, c)
		if err != nil {
			b.Fatal(err)
		}
		ix.SetModel(m)
		tModel := time.Since(start)
		cl, err := ix.ClusterCandidates(c)
		if err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.Logf("%d records: index %v, %d candidate pairs %v, model %v, %d clusters %v; heap in use %d MiB",
			len(recs), tIndex, c.Len(), tCand, tModel, len(cl.Clusters), time.Since(start), ms.HeapInuse>>20)
		q := pairQualityOf(truth, cl)
		b.Logf("pairwise precision %.4f recall %.4f F1 %.4f (tp %d fp %d fn %d); %d review pairs",
			q.precision(), q.recall(), q.f1(), q.tp, q.fp, q.fn, len(cl.Review))
		sizes := map[int]int{}
		fpBySize := map[int]int{}
		for _, ms := range cl.Clusters {
			k := len(ms)
			sizes[k]++
			for x, a := range ms {
				for _, b := range ms[x+1:] {
					if truth[a] != truth[b] {
						fpBySize[k]++
					}
				}
			}
		}
		b.Logf("clusters by size %v; false pairs by cluster size %v", sizes, fpBySize)
	}
}

// pairQualityOf is pairwise quality against truth (the person of each
// record), in time linear in the records and the pairs within clusters.
func pairQualityOf(truth []int, cl Clustering) quality {
	var q quality
	byPerson := map[int]int{}
	for _, t := range truth {
		byPerson[t]++
	}
	nTrue := 0
	for _, n := range byPerson {
		nTrue += n * (n - 1) / 2
	}
	for _, ms := range cl.Clusters {
		for x, a := range ms {
			for _, b := range ms[x+1:] {
				if truth[a] == truth[b] {
					q.tp++
				} else {
					q.fp++
				}
			}
		}
	}
	q.fn = nTrue - q.tp
	return q
}

// BenchmarkMatchScale matches one record against an index of
// PEYVAND_BENCH_PERSONS persons' records (PEYVAND_BENCH_WIDE=1: with the
// demo's wide name pool). Every 500th record of the generated list is held
// out of the index and matched: most of their persons are in it, as for a
// new report about someone already listed. Match only reads the index;
// Add also inserts the record (and is what relink.Linker.Add runs).
// Besides the mean it reports the 99th percentile and the slowest call.
func BenchmarkMatchScale(b *testing.B) {
	persons := benchPersons(b)
	all, _ := demoRecords(demo.Generate(demo.Options{Seed: 3, Persons: persons, WideNames: os.Getenv("PEYVAND_BENCH_WIDE") != ""}))
	var recs, held []Record
	for i, r := range all {
		if i%500 == 499 {
			held = append(held, r)
		} else {
			recs = append(recs, r)
		}
	}
	start := time.Now()
	ix, cl, err := Link(PeyvandConfig(), recs, EstimatePeyvand)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("index of %d records, %d clusters, built in %v; %d records held out", ix.Len(), len(cl.Clusters), time.Since(start), len(held))
	run := func(b *testing.B, add bool) {
		var took []time.Duration
		matched, i := 0, 0
		for b.Loop() {
			r := held[i%len(held)]
			if add {
				r.ID += "/added-" + strconv.Itoa(i)
			}
			t := time.Now()
			var m MatchResult
			var err error
			if add {
				m, _, err = ix.Add(r)
			} else {
				m, err = Match(ix, r)
			}
			took = append(took, time.Since(t))
			if err != nil {
				b.Fatal(err)
			}
			if m.Cluster >= 0 {
				matched++
			}
			i++
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
		b.ReportMetric(float64(took[len(took)-1].Microseconds()), "max-µs")
		b.ReportMetric(float64(matched)/float64(len(took)), "matched/op")
	}
	b.Run("Match", func(b *testing.B) { run(b, false) })
	b.Run("Add", func(b *testing.B) { run(b, true) })
}

// BenchmarkBlockScale counts the candidate pairs of a generated data set of
// PEYVAND_BENCH_PERSONS persons, without comparing them.
func BenchmarkBlockScale(b *testing.B) {
	persons := benchPersons(b)
	recs, _ := demoRecords(demo.Generate(demo.Options{Seed: 3, Persons: persons}))
	for b.Loop() {
		ix, err := NewIndex(PeyvandConfig(), recs)
		if err != nil {
			b.Fatal(err)
		}
		c := ix.compareBlocks(false)
		blocks, skipped := ix.SkippedBlocks()
		var perRule []int
		for k := range ix.rules {
			n := 0
			for _, rs := range ix.blocks[k] {
				if len(rs) <= ix.cfg.MaxBlock {
					n += len(rs) * (len(rs) - 1) / 2
				}
			}
			perRule = append(perRule, n)
		}
		b.Logf("%d records, %d candidate pairs (per rule %v); blocks skipped per rule %v (%v records)", len(recs), c.Len(), perRule, blocks, skipped)
	}
}

func TestBlockingMisses(t *testing.T) {
	if os.Getenv("PEYVAND_DEMO_MISSES") == "" {
		t.Skip()
	}
	recs, truth := demoRecords(demo.Generate(demo.Options{Seed: 7, Persons: 2000}))
	ix, _ := NewIndex(PeyvandConfig(), recs)
	c := ix.compareBlocks(false)
	in := map[uint64]bool{}
	for i := range c.Len() {
		in[makePair(c.Pair(i).A, c.Pair(i).B).key()] = true
	}
	n := 0
	for a := range recs {
		for b := a + 1; b < len(recs); b++ {
			if truth[a] == truth[b] && !in[makePair(a, b).key()] {
				if n < 40 {
					t.Logf("%q\n\t%q", recs[a].Values, recs[b].Values)
				}
				n++
			}
		}
	}
}

// TestCalibrateM prints the level shares of the true pairs among the
// candidate pairs of demo seeds PEYVAND_CALIBRATE (never 42): the
// m-probabilities of peyvandM.
func TestCalibrateM(t *testing.T) {
	seeds := os.Getenv("PEYVAND_CALIBRATE")
	if seeds == "" {
		t.Skip("set PEYVAND_CALIBRATE=7,11")
	}
	cfg := PeyvandConfig()
	counts := make([][]float64, len(cfg.Fields))
	for f := range counts {
		counts[f] = make([]float64, cfg.Fields[f].Compare.levels())
	}
	for _, s := range strings.Split(seeds, ",") {
		seed, _ := strconv.ParseInt(s, 10, 64)
		if seed == 42 {
			t.Fatal("never calibrate on seed 42")
		}
		recs, truth := demoRecords(demo.Generate(demo.Options{Seed: seed, Persons: 2000}))
		ix, _ := NewIndex(cfg, recs)
		c := ix.Candidates()
		g := make([]int, ix.nf)
		for i := range c.Len() {
			p := c.Pair(i)
			if truth[p.A] != truth[p.B] {
				continue
			}
			ix.gamma(ix.row(p.A), ix.row(p.B), g)
			for f, l := range g {
				if l != missing {
					counts[f][l]++
				}
			}
		}
	}
	for f, row := range counts {
		normalise(row)
		t.Logf("%-12s %.3f", cfg.Fields[f].Name, row)
	}
}

// TestCalibrateU prints the level shares of a million random pairs of the
// demo data set with wide names at 100,000 persons (seed 3): peyvandU.
func TestCalibrateU(t *testing.T) {
	if os.Getenv("PEYVAND_CALIBRATE_U") == "" {
		t.Skip("set PEYVAND_CALIBRATE_U=1")
	}
	recs, _ := demoRecords(demo.Generate(demo.Options{Seed: 3, Persons: 100000, WideNames: true}))
	ix, err := NewIndex(PeyvandConfig(), recs)
	if err != nil {
		t.Fatal(err)
	}
	random, err := ix.randomPatterns(1000000, 1)
	if err != nil {
		t.Fatal(err)
	}
	cfg := ix.Config()
	for f, fd := range cfg.Fields {
		row := make([]float64, fd.Compare.levels())
		for _, p := range random {
			if l := p.g[f]; l != missing {
				row[l] += p.n
			}
		}
		normalise(row)
		t.Logf("%-12s %.4f", fd.Name, row)
	}
}
