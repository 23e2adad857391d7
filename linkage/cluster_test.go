package linkage

import (
	"math"
	"slices"
	"testing"

	"peyvand"
)

// personConfig is a small configuration of Peyvand-like person columns.
func personConfig() Config {
	name := Comparison{Kind: KindName, Thresholds: []float64{0.95, 0.88}}
	return Config{
		Fields: []Field{
			{Name: "given", Compare: name},
			{Name: "surname", Compare: name, TermFrequency: true},
			{Name: "father", Compare: name},
			{Name: "birth_year", Compare: Comparison{Kind: KindYear, Tolerances: []float64{1, 2}}},
			{Name: "city", Compare: name},
		},
		Blocking:   []BlockingRule{{Keys: []BlockKey{{Field: "surname", Func: KeyName}}}},
		Conflicts:  []Conflict{{Fields: []string{"birth_year", "given"}}},
		Thresholds: Thresholds{Match: 0.9, Review: 0.5},
	}
}

func personModel() *Model {
	name := []float64{0.02, 0.03, 0.05, 0.3, 0.6}
	nameU := []float64{0.95, 0.02, 0.01, 0.01, 0.01}
	return &Model{
		Lambda: 0.01,
		M:      [][]float64{name, name, name, {0.02, 0.05, 0.13, 0.8}, {0.05, 0.02, 0.03, 0.3, 0.6}},
		U:      [][]float64{nameU, nameU, nameU, {0.9, 0.04, 0.03, 0.03}, {0.7, 0.05, 0.05, 0.1, 0.1}},
	}
}

func mustIndex(t testing.TB, cfg Config, m *Model, recs []Record) *Index {
	t.Helper()
	ix, err := NewIndex(cfg, recs)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.SetModel(m); err != nil {
		t.Fatal(err)
	}
	return ix
}

// clusterIDs returns the clusters as sorted lists of record IDs.
func clusterIDs(ix *Index, cl Clustering) [][]string {
	var out [][]string
	for _, c := range cl.Clusters {
		var ids []string
		for _, r := range c {
			ids = append(ids, ix.Record(r).ID)
		}
		slices.Sort(ids)
		out = append(out, ids)
	}
	slices.SortFunc(out, slices.Compare)
	return out
}

// TestCrossScript links محمد حسینی with Mohammad Hosseini (same birth year,
// written 1360 Jalali and 1981, same city) and keeps apart two brothers with
// the same surname, father and city but different given names and years.
func TestCrossScript(t *testing.T) {
	recs := []Record{
		{ID: "fa-mohammad", Source: "fa", Values: []string{"محمد", "حسینی", "علی", "۱۳۶۰", "تهران"}},
		{ID: "en-mohammad", Source: "en", Values: []string{"Mohammad", "Hosseini", "Ali", "1981", "Tehran"}},
		{ID: "fa-reza", Source: "fa", Values: []string{"رضا", "حسینی", "علی", "1365", "تهران"}},
		{ID: "en-reza", Source: "en", Values: []string{"Reza", "HOSSEINI", "Ali", "1986", "Tehran"}},
	}
	ix := mustIndex(t, personConfig(), personModel(), recs)
	pairs := ix.CandidatePairs()
	if len(pairs) != 6 {
		t.Fatalf("%d candidate pairs, want all 6 (one surname key)", len(pairs))
	}
	cl, err := ix.Cluster(pairs)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"en-mohammad", "fa-mohammad"}, {"en-reza", "fa-reza"}}
	if got := clusterIDs(ix, cl); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("clusters %v, want %v", got, want)
	}
	for _, tc := range []struct {
		a, b    int
		minP    float64
		maxP    float64
		explain bool
	}{
		{0, 1, 0.99, 1, true},
		{2, 3, 0.99, 1, false},
		{0, 2, 0, 0.5, true},
		{1, 3, 0, 0.5, false},
	} {
		e := ix.Explain(makePair(tc.a, tc.b))
		if e.Probability < tc.minP || e.Probability > tc.maxP {
			t.Errorf("%s~%s: probability %.4f, want in [%g,%g]", recs[tc.a].ID, recs[tc.b].ID, e.Probability, tc.minP, tc.maxP)
		}
		sum := e.Prior
		for _, c := range e.Fields {
			sum += c.Weight
		}
		if w, _ := ix.Score(tc.a, tc.b); math.Abs(sum-e.Weight) > 1e-9 || math.Abs(w-e.Weight) > 1e-9 {
			t.Errorf("%s~%s: contributions sum to %g, weight %g, score %g", recs[tc.a].ID, recs[tc.b].ID, sum, e.Weight, w)
		}
		if tc.explain {
			for _, c := range e.Fields {
				t.Logf("%s~%s %-10s %-20s %+6.2f", recs[tc.a].ID, recs[tc.b].ID, c.Field, c.Label, c.Weight)
			}
		}
	}
}

// chainConfig and chainModel make B~C a link above the match threshold on
// name and city alone, while A and C disagree on birth year and phone.
func chainConfig() Config {
	return Config{
		Fields: []Field{
			{Name: "name", Compare: Comparison{Kind: KindName, Thresholds: []float64{0.95, 0.88}}},
			{Name: "city", Compare: Comparison{Kind: KindExact}},
			{Name: "year", Compare: Comparison{Kind: KindYear, Tolerances: []float64{1}}},
			{Name: "email", Compare: Comparison{Kind: KindExact}},
			{Name: "phone", Compare: Comparison{Kind: KindExact}},
		},
		Blocking:   []BlockingRule{{Keys: []BlockKey{{Field: "name"}}}},
		Thresholds: Thresholds{Match: 0.9, Review: 0.5},
	}
}

func chainModel() *Model {
	return &Model{
		Lambda: 0.01,
		M:      [][]float64{{0.01, 0.02, 0.02, 0.05, 0.9}, {0.1, 0.9}, {0.05, 0.1, 0.85}, {0.5, 0.5}, {0.5, 0.5}},
		U:      [][]float64{{0.98, 0.01, 0.005, 0.003, 0.002}, {0.9, 0.1}, {0.9, 0.05, 0.05}, {0.999, 0.001}, {0.999, 0.001}},
	}
}

func TestChainGuard(t *testing.T) {
	a := Record{ID: "A", Values: []string{"John Smith", "Leeds", "1980", "js@x", "111"}}
	b := Record{ID: "B", Values: []string{"John Smith", "Leeds", "", "js@x", ""}}
	c := Record{ID: "C", Values: []string{"John Smith", "Leeds", "1950", "cs@y", "222"}}
	dup := Record{ID: "C", Values: []string{"John Smith", "Leeds", "1980", "js@x", "111"}}
	noAverage := chainConfig()
	noAverage.Thresholds.Cluster = 0.05
	withConflict := noAverage
	withConflict.Conflicts = []Conflict{{Fields: []string{"year", "phone"}}}
	tests := []struct {
		name       string
		cfg        Config
		c          Record
		decide     [][2]string // pairs decided "not the same"
		want       [][]string
		wantReview int
	}{
		{"average linkage refuses the chain", chainConfig(), c, nil, [][]string{{"A", "B"}, {"C"}}, 1},
		{"without a guard the chain joins", noAverage, c, nil, [][]string{{"A", "B", "C"}}, 0},
		{"a conflict refuses the chain", withConflict, c, nil, [][]string{{"A", "B"}, {"C"}}, 1},
		{"a true duplicate joins", chainConfig(), dup, nil, [][]string{{"A", "B", "C"}}, 0},
		{"a reviewer separates", chainConfig(), dup, [][2]string{{"A", "C"}}, [][]string{{"A", "B"}, {"C"}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := mustIndex(t, tc.cfg, chainModel(), []Record{a, b, tc.c})
			for _, d := range tc.decide {
				if err := ix.Decide(d[0], d[1], false); err != nil {
					t.Fatal(err)
				}
			}
			if _, p := ix.Score(1, 2); p < 0.9 && tc.c.ID == c.ID {
				t.Fatalf("B~C probability %.3f: the test needs a link above the threshold", p)
			}
			cl, err := ix.Cluster(ix.CandidatePairs())
			if err != nil {
				t.Fatal(err)
			}
			if got := clusterIDs(ix, cl); !slices.EqualFunc(got, tc.want, slices.Equal) {
				t.Errorf("clusters %v, want %v", got, tc.want)
			}
			if len(cl.Review) != tc.wantReview {
				t.Errorf("%d review pairs %v, want %d", len(cl.Review), cl.Review, tc.wantReview)
			}
		})
	}
}

func TestTermFrequency(t *testing.T) {
	cfg := chainConfig()
	cfg.Fields[0].TermFrequency = true
	var recs []Record
	for i, n := range []string{"John Smith", "John Smith", "John Smith", "John Smith", "Jan Zygmunt", "Jan Zygmunt"} {
		recs = append(recs, Record{ID: string(rune('a' + i)), Values: []string{n, "", "", "", ""}})
	}
	ix := mustIndex(t, cfg, chainModel(), recs)
	common, rare := ix.Explain(Pair{0, 1}), ix.Explain(Pair{4, 5})
	if !common.Fields[0].TermFrequency || common.Fields[0].Weight >= rare.Fields[0].Weight {
		t.Errorf("name weight common %+.2f (u %.3f), rare %+.2f (u %.3f): want common < rare",
			common.Fields[0].Weight, common.Fields[0].U, rare.Fields[0].Weight, rare.Fields[0].U)
	}
	for _, c := range common.Fields[1:] {
		if c.Level != missing || c.Weight != 0 {
			t.Errorf("missing %s: level %d weight %g, want -1 and 0", c.Field, c.Level, c.Weight)
		}
	}
}

// TestTermFrequencyByName checks what a term frequency counts and how far
// it moves u: a name in both scripts is one name, a key match between two
// spellings is adjusted like an exact one, and the ratio is bounded.
func TestTermFrequencyByName(t *testing.T) {
	cfg := personConfig()
	cfg.Fields[0].TermFrequency = true
	given := []string{"علی", "Ali", "Aly", "علی", "Ali", "Ali", "Kourosh", "کوروش", "Babak", "Dara"}
	var recs []Record
	for i, g := range given {
		recs = append(recs, Record{ID: string(rune('a' + i)), Values: []string{g, "", "", "", ""}})
	}
	ix := mustIndex(t, cfg, personModel(), recs)
	// Σc² over keys: Ali 6 (علی, Ali and Aly share a key), Kourosh 2,
	// Babak 1, Dara 1: 36+4+1+1 = 42, of 10 records.
	tests := []struct {
		name      string
		a, b      int
		wantRatio float64
	}{
		{"same name, two scripts", 0, 1, 6 * 10 / 42.0},
		{"one key, two spellings", 1, 2, 6 * 10 / 42.0},
		{"rare name: one bit more at most", 6, 7, 0.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := ix.Explain(Pair{tc.a, tc.b})
			c := e.Fields[0]
			if !c.TermFrequency {
				t.Fatalf("level %d (%s) not weighed by frequency", c.Level, c.Label)
			}
			if want := personModel().U[0][c.Level] * tc.wantRatio; math.Abs(c.U-want) > 1e-12 {
				t.Errorf("u = %g, want %g (level %s)", c.U, want, c.Label)
			}
		})
	}
	if got := ix.tfRatio(0, &value{s: "x"}); got != 0.5 {
		t.Errorf("unseen value: ratio %g, want the bound 1/2", got)
	}
	ix.tf[0]["ALY"] = 10000
	if got := ix.tfRatio(0, &value{s: "Ali", keys: []string{"ALY"}}); got != 16 {
		t.Errorf("very common value: ratio %g, want the bound 16", got)
	}
}

func TestDecideSame(t *testing.T) {
	ix := mustIndex(t, chainConfig(), chainModel(), []Record{
		{ID: "A", Values: []string{"John Smith", "Leeds", "1980", "", ""}},
		{ID: "B", Values: []string{"Ali Rezaei", "Tabriz", "1950", "", ""}},
	})
	if err := ix.Decide("A", "B", true); err != nil {
		t.Fatal(err)
	}
	cl, err := ix.Cluster(ix.CandidatePairs())
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Clusters) != 1 {
		t.Errorf("clusters %v: a reviewer's \"same\" should join A and B", cl.Clusters)
	}
	if err := ix.Decide("A", "Z", true); err == nil {
		t.Error("deciding on an unknown record: no error")
	}
}

// TestLinkNothingToCompare checks that records of which no two share a
// block are each a person of their own, not an error.
func TestLinkNothingToCompare(t *testing.T) {
	recs := []Record{
		FromPerson("a", "x", peyvand.Record{GivenName: "Ali", FamilyName: "Rezaei", BirthYear: 1990}, nil),
		FromPerson("b", "y", peyvand.Record{GivenName: "نرگس", FamilyName: "محمدی", BirthYear: 1972}, nil),
	}
	ix, cl, err := Link(PeyvandConfig(), recs, EstimatePeyvand)
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Clusters) != 2 || ix.Len() != 2 || ix.Model() != nil {
		t.Fatalf("clusters %v, model %v: want two persons and no model", cl.Clusters, ix.Model())
	}
}
