package linkage

import (
	"testing"
	"time"
)

func TestMatch(t *testing.T) {
	ix := mustIndex(t, personConfig(), personModel(), []Record{
		{ID: "fa-mohammad", Source: "fa", Values: []string{"محمد", "حسینی", "علی", "1360", "تهران"}},
		{ID: "en-mohammad", Source: "en", Values: []string{"Mohammad", "Hosseini", "Ali", "1981", "Tehran"}},
		{ID: "fa-reza", Source: "fa", Values: []string{"رضا", "حسینی", "علی", "1365", "تهران"}},
	})
	if _, err := ix.Cluster(ix.CandidatePairs()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, given, year string
		want              int // a member of the expected cluster, or -1
	}{
		{"mohammad", "Mohamad", "1981", 0},
		{"reza", "Reza", "1986", 2},
		{"a third brother", "Zahra", "1995", -1},
	}
	for _, tc := range tests {
		r := Record{ID: "new-" + tc.name, Source: "new", Values: []string{tc.given, "Hoseini", "Ali", tc.year, "Tehran"}}
		res, err := Match(ix, r)
		if err != nil {
			t.Fatal(err)
		}
		want := -1
		if tc.want >= 0 {
			want = ix.ClusterOf(tc.want)
		}
		if res.Cluster != want {
			t.Errorf("%s: cluster %d (p %.3f), want %d; candidates %+v", tc.name, res.Cluster, res.Probability, want, res.Candidates)
		}
	}
	res, i, err := ix.Add(Record{ID: "new", Source: "new", Values: []string{"Mohamad", "Hoseini", "Ali", "1981", "Tehran"}})
	if err != nil || res.Cluster < 0 || ix.ClusterOf(i) != ix.ClusterOf(0) || len(ix.Members(ix.ClusterOf(0))) != 3 {
		t.Errorf("Add: %+v, %v: record %d in cluster %d, want with record 0", res, err, i, ix.ClusterOf(i))
	}
	if _, _, err := ix.Add(Record{ID: "new", Values: []string{"", "", "", "", ""}}); err == nil {
		t.Error("Add with a repeated ID: no error")
	}
}

// febrlIncremental trains on 4a+4b, then indexes 4a alone for Match.
func febrlIncremental(tb testing.TB) (*Index, []Record) {
	a, b := readFEBRL(tb, "dataset4a.csv", "a"), readFEBRL(tb, "dataset4b.csv", "b")
	cfg := FEBRLConfig()
	cfg.LinkOnly, cfg.OnePerSource = true, true
	full, _, _ := linkFEBRL(tb, cfg, append(append([]Record(nil), a...), b...), EstimateOptions{})
	ix := mustIndex(tb, cfg, full.Model(), a)
	if _, err := ix.Cluster(nil); err != nil {
		tb.Fatal(err)
	}
	return ix, b
}

// TestFEBRLIncremental adds the 5000 records of 4b one by one to an index of
// 4a and counts those put with their true original.
func TestFEBRLIncremental(t *testing.T) {
	if testing.Short() {
		t.Skip("FEBRL runs take seconds")
	}
	ix, b := febrlIncremental(t)
	var right, wrong, none int
	start := time.Now()
	for _, r := range b {
		res, i, err := ix.Add(r)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case res.Cluster < 0:
			none++
		case len(ix.Members(ix.ClusterOf(i))) == 2 && febrlEntity(ix.Record(ix.Members(ix.ClusterOf(i))[0]).ID) == febrlEntity(r.ID):
			right++
		default:
			wrong++
		}
	}
	t.Logf("%d added in %v: %d with their original, %d wrong, %d unmatched", len(b), time.Since(start), right, wrong, none)
	if float64(right)/float64(len(b)) < 0.995 || wrong > 5 {
		t.Errorf("%d right, %d wrong of %d", right, wrong, len(b))
	}
}

func BenchmarkMatch(b *testing.B) {
	ix, recs := febrlIncremental(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := Match(ix, recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLinkFEBRL4(b *testing.B) {
	recs := append(readFEBRL(b, "dataset4a.csv", "a"), readFEBRL(b, "dataset4b.csv", "b")...)
	cfg := FEBRLConfig()
	cfg.LinkOnly, cfg.OnePerSource = true, true
	for b.Loop() {
		linkFEBRL(b, cfg, recs, EstimateOptions{})
	}
}

func BenchmarkGamma(b *testing.B) {
	ix, err := NewIndex(FEBRLConfig(), []Record{
		{ID: "a", Values: []string{"michaela", "neumann", "8", "stanley street", "miami", "winston hills", "4223", "nsw", "19151111", "5304218"}},
		{ID: "b", Values: []string{"michaela", "newman", "8", "stanly street", "miami", "winston hils", "4233", "nsw", "19151111", "5304281"}},
	})
	if err != nil {
		b.Fatal(err)
	}
	g := make([]int, len(ix.cfg.Fields))
	for b.Loop() {
		ix.gamma(ix.row(0), ix.row(1), g)
	}
}
