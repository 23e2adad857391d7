package linkage

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"peyvand"
	"peyvand/demo"
	"peyvand/names"
)

// demoRecords converts a demo data set as the registry would hand it over:
// one linkage record per imported row, the event date being that of the
// row's first dated event. It returns the truth by record position.
func demoRecords(d demo.Dataset) ([]Record, []int) {
	var recs []Record
	var truth []int
	for _, s := range d.Sources {
		for _, row := range s.Rows {
			var ev peyvand.Date
			for _, e := range row.Events {
				if !e.Date.IsZero() {
					ev = e.Date
					break
				}
			}
			id := demo.Key(s.Source.Name, row.Record.ExternalID)
			recs = append(recs, FromPerson(id, s.Source.Name, row.Record, ev))
			truth = append(truth, d.Truth[id])
		}
	}
	return recs, truth
}

// demoQuality is pairwise quality against the truth, with the false merges
// of siblings counted apart because they are the errors that hurt most.
type demoQuality struct {
	quality
	siblingFP, siblingPairs int
	fps, fns                [][2]int
}

// siblingsOf says which truth persons are siblings: they share a family
// name key, a father's name key and a city key in their records. The demo
// makes siblings exactly so; unrelated namesakes rarely share all three.
func siblingsOf(recs []Record, truth []int) func(a, b int) bool {
	type attrs struct{ family, father, city map[string]bool }
	per := map[int]*attrs{}
	for i, r := range recs {
		a := per[truth[i]]
		if a == nil {
			a = &attrs{map[string]bool{}, map[string]bool{}, map[string]bool{}}
			per[truth[i]] = a
		}
		for set, v := range map[*map[string]bool]string{&a.family: r.Values[pfFamily], &a.father: r.Values[pfFather], &a.city: r.Values[pfCity]} {
			if k := names.Key(v); k != "" {
				(*set)[k] = true
			}
		}
	}
	share := func(x, y map[string]bool) bool {
		for k := range x {
			if y[k] {
				return true
			}
		}
		return false
	}
	return func(p, q int) bool {
		a, b := per[p], per[q]
		return p != q && share(a.family, b.family) && share(a.father, b.father) && share(a.city, b.city)
	}
}

func measureDemo(recs []Record, truth []int, cl Clustering) demoQuality {
	var q demoQuality
	sib := siblingsOf(recs, truth)
	byPerson := map[int][]int{}
	for i, t := range truth {
		byPerson[t] = append(byPerson[t], i)
	}
	nTrue := 0
	for _, rs := range byPerson {
		nTrue += len(rs) * (len(rs) - 1) / 2
	}
	clusterOf := make([]int, len(recs))
	for c, ms := range cl.Clusters {
		for _, m := range ms {
			clusterOf[m] = c
		}
		for x, a := range ms {
			for _, b := range ms[x+1:] {
				if truth[a] == truth[b] {
					q.tp++
					continue
				}
				q.fp++
				q.fps = append(q.fps, [2]int{a, b})
				if sib(truth[a], truth[b]) {
					q.siblingFP++
				}
			}
		}
	}
	q.fn = nTrue - q.tp
	for _, rs := range byPerson {
		for x, a := range rs {
			for _, b := range rs[x+1:] {
				if clusterOf[a] != clusterOf[b] {
					q.fns = append(q.fns, [2]int{a, b})
				}
			}
		}
	}
	// Sibling pairs of records, for the rate of false merges among them.
	seen := map[[2]int]bool{}
	for p := range byPerson {
		for o := range byPerson {
			if p < o && sib(p, o) && !seen[[2]int{p, o}] {
				seen[[2]int{p, o}] = true
				q.siblingPairs += len(byPerson[p]) * len(byPerson[o])
			}
		}
	}
	return q
}

func linkDemo(tb testing.TB, seed int64, persons int) ([]Record, []int, *Index, Clustering, time.Duration) {
	tb.Helper()
	recs, truth := demoRecords(demo.Generate(demo.Options{Seed: seed, Persons: persons}))
	start := time.Now()
	ix, cl := linkPeyvand(tb, recs)
	return recs, truth, ix, cl, time.Since(start)
}

func describePair(ix *Index, truth []int, a, b int) string {
	w, p := ix.Score(a, b)
	return fmt.Sprintf("w=%.1f p=%.3f γ=%v\n\t%d %s %q\n\t%d %s %q", w, p, ix.Gamma(a, b),
		truth[a], ix.Record(a).ID, ix.Record(a).Values, truth[b], ix.Record(b).ID, ix.Record(b).Values)
}

// TestPeyvandDemo is the cross-script benchmark: thresholds were chosen on
// other seeds, never on this one, so the figures are an honest estimate.
func TestPeyvandDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("links 3,800 records")
	}
	recs, truth, ix, cl, took := linkDemo(t, 42, 2000)
	q := measureDemo(recs, truth, cl)
	t.Logf("%d records, λ=%.4f, %d review pairs, linked in %v",
		len(recs), ix.Model().Lambda, len(cl.Review), took)
	t.Logf("precision %.4f recall %.4f F1 %.4f (tp %d fp %d fn %d); sibling false merges %d of %d sibling pairs",
		q.precision(), q.recall(), q.f1(), q.tp, q.fp, q.fn, q.siblingFP, q.siblingPairs)
	for i, p := range q.fps[:min(len(q.fps), 5)] {
		t.Logf("false positive %d: %s", i, describePair(ix, truth, p[0], p[1]))
	}
	for i, p := range q.fns[:min(len(q.fns), 5)] {
		t.Logf("false negative %d: %s", i, describePair(ix, truth, p[0], p[1]))
	}
	t.Logf("missed pairs %s", whyMissed(ix, recs, q.fns))
	// Floors a little below what seed 42 gives (P 0.977, R 0.912,
	// F1 0.943, 2 sibling false merges); the goal, F1 >= 0.95 with
	// precision >= 0.97, is not reached: see the pairs logged above.
	if q.precision() < 0.96 || q.recall() < 0.90 || q.f1() < 0.935 || q.siblingFP > 10 {
		t.Errorf("below the floors P 0.96, R 0.90, F1 0.935, sibling false merges <= 10")
	}
}

func TestFromPerson(t *testing.T) {
	ev := peyvand.Date{Year: 2026, Month: 1, Day: 8}
	tests := []struct {
		name string
		r    peyvand.Record
		want map[int]string
	}{
		{"SURNAME, Given", peyvand.Record{FullName: "HOSSEINI, Mohammad-Reza"},
			map[int]string{pfGiven: "mohammadreza", pfFamily: "hosseini", pfFull: "mohammadreza hosseini"}},
		{"full name only, Persian", peyvand.Record{FullName: "محمد رضا حسینی"},
			map[int]string{pfGiven: "محمدرضا", pfFamily: "حسینی"}},
		{"given and family kept as written", peyvand.Record{GivenName: "سارا", FamilyName: "كريمي", FullName: "سارا كريمي"},
			map[int]string{pfGiven: "سارا", pfFamily: "كريمي"}},
		{"witness gave only the given name column", peyvand.Record{GivenName: "Reza", FullName: "Reza Karimi"},
			map[int]string{pfGiven: "Reza", pfFamily: "karimi"}},
		{"whole name in the given-name column", peyvand.Record{GivenName: "محمد رضا حسینی"},
			map[int]string{pfGiven: "محمدرضا", pfFamily: "حسینی"}},
		{"a compound given name alone stays whole", peyvand.Record{GivenName: "Mohammad Reza"},
			map[int]string{pfGiven: "Mohammad Reza", pfFamily: ""}},
		{"birth year wins over age", peyvand.Record{GivenName: "Ali", BirthYear: 1990, Age: 20, AgeDate: ev},
			map[int]string{pfBirthYear: "1990"}},
		{"age at age date", peyvand.Record{GivenName: "Ali", Age: 27, AgeDate: peyvand.Date{Year: 2025}},
			map[int]string{pfBirthYear: "1998", pfEventDate: "2026-01-08"}},
		{"age at the event", peyvand.Record{GivenName: "Ali", Age: 27},
			map[int]string{pfBirthYear: "1999"}},
		{"a round age may be two years off", peyvand.Record{GivenName: "Ali", Age: 30},
			map[int]string{pfBirthYear: "1996±2"}},
		{"a child's age is not rounded", peyvand.Record{GivenName: "Ali", Age: 15},
			map[int]string{pfBirthYear: "2011"}},
		{"valid national ID kept", peyvand.Record{NationalID: "0012345679", NationalIDValid: true, Gender: peyvand.GenderFemale},
			map[int]string{pfNationalID: "0012345679", pfGender: "female"}},
		{"invalid national ID left out", peyvand.Record{NationalID: "0012345678", City: "تهران"},
			map[int]string{pfNationalID: "", pfCity: "تهران"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := FromPerson("id", "src", tc.r, ev)
			if len(r.Values) != len(PeyvandConfig().Fields) {
				t.Fatalf("%d values for %d fields", len(r.Values), len(PeyvandConfig().Fields))
			}
			for f, want := range tc.want {
				if got := r.Values[f]; got != want {
					t.Errorf("%s = %q, want %q", PeyvandConfig().Fields[f].Name, got, want)
				}
			}
		})
	}
}

// TestPeyvandConfigFields pins the field order the CLI relies on.
func TestPeyvandConfigFields(t *testing.T) {
	cfg := PeyvandConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range cfg.Fields {
		got = append(got, f.Name)
	}
	want := "given family full father birth_year gender city province event_date national_id"
	if strings.Join(got, " ") != want {
		t.Errorf("fields %v, want %s", got, want)
	}
}

func BenchmarkPeyvandDemo(b *testing.B) {
	recs, _ := demoRecords(demo.Generate(demo.Options{Seed: 42, Persons: 2000}))
	b.ResetTimer()
	for b.Loop() {
		linkPeyvand(b, recs)
	}
}

// linkPeyvand runs the whole pipeline on records from FromPerson.
func linkPeyvand(tb testing.TB, recs []Record) (*Index, Clustering) {
	tb.Helper()
	ix, cl, err := Link(PeyvandConfig(), recs, EstimatePeyvand)
	if err != nil {
		tb.Fatal(err)
	}
	return ix, cl
}

// TestOneManFiveWays links the issue's own example: one man as five
// sources write him (and a sixth with his whole name in the given-name
// column), alone in a file. In so few records every random pair is of
// him; u must not then take his agreement for chance.
func TestOneManFiveWays(t *testing.T) {
	ev := peyvand.Date{Year: 2026, Month: 1, Day: 8}
	rs := []peyvand.Record{
		{GivenName: "محمدرضا", FamilyName: "حسینی", BirthYear: 1996, City: "کرج"},
		{FullName: "Mohammad Reza Hosseini", BirthYear: 1996, City: "Karaj"},
		{FullName: "Mohamadreza Hoseyni", City: "Karadsch"},
		{FullName: "HOSSEINI, Mohammad-Reza", BirthYear: 1996},
		{FullName: "Reza Hosseini", Age: 30, City: "Karaj"},
		// The whole name in the given-name column.
		{GivenName: "محمدرضا حسینی", City: "کرج"},
	}
	var recs []Record
	for i, r := range rs {
		recs = append(recs, FromPerson(fmt.Sprint(i), fmt.Sprint("source ", i), r, ev))
	}
	ix, cl, err := Link(PeyvandConfig(), recs, EstimatePeyvand)
	if err != nil {
		t.Fatal(err)
	}
	// Reza for Mohammadreza is the weakest agreement (brothers are
	// called Mohammad and Mohammadreza too): that record may stay apart,
	// but then a reviewer must see it.
	const short = 4
	var rest []int
	for i := range recs {
		if i != short {
			rest = append(rest, i)
		}
	}
	reviewed := false
	for _, p := range cl.Review {
		reviewed = reviewed || p.A == short || p.B == short
	}
	c := ix.Members(ix.ClusterOf(0))
	slices.Sort(c)
	if !(slices.Equal(c, rest) && reviewed || len(c) == len(recs)) {
		for _, p := range ix.CandidatePairs() {
			t.Logf("%s", describePair(ix, make([]int, len(recs)), p.A, p.B))
		}
		t.Fatalf("persons %v, review %v: want one, or all but Reza Hosseini and him in review", cl.Clusters, cl.Review)
	}
}

// TestSwappedNames checks Config.Swaps and AnyOrder blocking: a list that
// put the family name in the given-name column still pairs, and its
// names count as agreeing; two different men do not.
func TestSwappedNames(t *testing.T) {
	ev := peyvand.Date{Year: 2026, Month: 1, Day: 8}
	recs := []Record{
		FromPerson("a", "x", peyvand.Record{GivenName: "محمدرضا", FamilyName: "حسینی", BirthYear: 1991, City: "کرج"}, ev),
		FromPerson("b", "y", peyvand.Record{GivenName: "Hosseini", FamilyName: "Mohammadreza", BirthYear: 1991, City: "Karaj"}, ev),
		FromPerson("c", "y", peyvand.Record{FullName: "HOSSEINI Ali", BirthYear: 1991, City: "Karaj"}, ev),
	}
	ix, err := NewIndex(PeyvandConfig(), recs)
	if err != nil {
		t.Fatal(err)
	}
	blocked := map[Pair]bool{}
	for _, p := range ix.CandidatePairs() {
		blocked[p] = true
	}
	if !blocked[Pair{0, 1}] {
		t.Fatalf("swapped names not blocked together: %v", blocked)
	}
	if g := ix.Gamma(0, 1); g[pfGiven] < ix.top[pfGiven]-1 || g[pfFamily] < ix.top[pfFamily]-1 {
		t.Errorf("swapped names: given level %d, family %d; want both agreeing by key", g[pfGiven], g[pfFamily])
	}
	if g := ix.Gamma(0, 2); g[pfGiven] != 0 {
		t.Errorf("Mohammadreza Hosseini and Ali Hosseini (written surname first): given level %d, want 0", g[pfGiven])
	}
	cfg := PeyvandConfig()
	cfg.Swaps = [][2]string{{"given", "birth_year"}}
	if err := cfg.Validate(); err == nil {
		t.Error("a swap of a name and a year validated")
	}
}
