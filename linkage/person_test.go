package linkage

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"peyvand"
	"peyvand/demo"
	"peyvand/names"
)

// demoRecords converts a demo data set as the registry would hand it over:
// one linkage record per imported row, with its events. It returns the truth by record position.
func demoRecords(d demo.Dataset) ([]Record, []int) {
	var recs []Record
	var truth []int
	for _, s := range d.Sources {
		for _, row := range s.Rows {
			id := demo.Key(s.Source.Name, row.Record.ExternalID)
			recs = append(recs, FromPerson(id, s.Source.Name, row.Record, row.Events))
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
		home, _, _ := strings.Cut(r.Values[pfCity], AnyOfSeparator)
		for set, v := range map[*map[string]bool]string{&a.family: r.Values[pfFamily], &a.father: r.Values[pfFather], &a.city: home} {
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
	// Floors a little below what seed 42 gives (P 0.978, R 0.948,
	// F1 0.963, 2 sibling false merges): the goal, F1 >= 0.95 with
	// precision >= 0.97, is met with a margin of about a point.
	if q.precision() < 0.97 || q.recall() < 0.94 || q.f1() < 0.955 || q.siblingFP > 10 {
		t.Errorf("below the floors P 0.97, R 0.94, F1 0.955, sibling false merges <= 10")
	}
}

func TestFromPerson(t *testing.T) {
	ev := peyvand.Date{Year: 2026, Month: 1, Day: 8}
	tests := []struct {
		name   string
		r      peyvand.Record
		events []peyvand.StatusEvent // default: one event on ev
		want   map[int]string
	}{
		{"SURNAME, Given", peyvand.Record{FullName: "HOSSEINI, Mohammad-Reza"},
			nil, map[int]string{pfGiven: "mohammadreza", pfFamily: "hosseini", pfFull: "mohammadreza hosseini"}},
		{"full name only, Persian", peyvand.Record{FullName: "محمد رضا حسینی"},
			nil, map[int]string{pfGiven: "محمدرضا", pfFamily: "حسینی"}},
		{"given and family kept as written", peyvand.Record{GivenName: "سارا", FamilyName: "كريمي", FullName: "سارا كريمي"},
			nil, map[int]string{pfGiven: "سارا", pfFamily: "كريمي"}},
		{"witness gave only the given name column", peyvand.Record{GivenName: "Reza", FullName: "Reza Karimi"},
			nil, map[int]string{pfGiven: "Reza", pfFamily: "karimi"}},
		{"whole name in the given-name column", peyvand.Record{GivenName: "محمد رضا حسینی"},
			nil, map[int]string{pfGiven: "محمدرضا", pfFamily: "حسینی"}},
		{"a compound given name alone stays whole", peyvand.Record{GivenName: "Mohammad Reza"},
			nil, map[int]string{pfGiven: "Mohammad Reza", pfFamily: ""}},
		{"birth year wins over age", peyvand.Record{GivenName: "Ali", BirthYear: 1990, Age: 20, AgeDate: ev},
			nil, map[int]string{pfBirthYear: "1990"}},
		{"age at age date", peyvand.Record{GivenName: "Ali", Age: 27, AgeDate: peyvand.Date{Year: 2025}},
			nil, map[int]string{pfBirthYear: "1998", pfEventDate: "2026-01-08"}},
		{"age at the event", peyvand.Record{GivenName: "Ali", Age: 27},
			nil, map[int]string{pfBirthYear: "1999"}},
		{"a round age may be two years off", peyvand.Record{GivenName: "Ali", Age: 30},
			nil, map[int]string{pfBirthYear: "1996±2"}},
		{"a child's age is not rounded", peyvand.Record{GivenName: "Ali", Age: 15},
			nil, map[int]string{pfBirthYear: "2011"}},
		{"valid national ID kept", peyvand.Record{NationalID: "0012345679", NationalIDValid: true, Gender: peyvand.GenderFemale},
			nil, map[int]string{pfNationalID: "0012345679", pfGender: "female"}},
		{"invalid national ID left out", peyvand.Record{NationalID: "0012345678", City: "تهران"}, nil,
			map[int]string{pfNationalID: "", pfCity: "تهران"}},
		{"home and the town of the events", peyvand.Record{GivenName: "Saeed", City: "Qom"},
			[]peyvand.StatusEvent{{Status: peyvand.StatusDetained, Date: ev, Place: "Evin Prison, Tehran"},
				{Status: peyvand.StatusSentenced, Place: "دادگاه انقلاب تهران"}, {Place: "Shiraz"}},
			map[int]string{pfCity: "Qom|Tehran|Shiraz", pfEventDate: "2026-01-08"}},
		{"an event in the home town adds nothing", peyvand.Record{GivenName: "Saeed", City: "Tehran"},
			[]peyvand.StatusEvent{{Date: ev, Place: "زندان اوین، تهران"}},
			map[int]string{pfCity: "Tehran"}},
		{"no home: the town of the event", peyvand.Record{GivenName: "Saeed"},
			[]peyvand.StatusEvent{{Date: ev, Place: "Karaj"}},
			map[int]string{pfCity: "Karaj"}},
		{"the separator in a city is a space", peyvand.Record{GivenName: "Saeed", City: "Qom|Iran"},
			[]peyvand.StatusEvent{{Date: ev, Place: "Tehran"}},
			map[int]string{pfCity: "Qom Iran|Tehran"}},
		{"first dated event; else the age's date", peyvand.Record{GivenName: "Ali", Age: 27, AgeDate: peyvand.Date{Year: 2025, Month: 3}},
			[]peyvand.StatusEvent{{Place: "Tehran"}},
			map[int]string{pfEventDate: "2025-03", pfBirthYear: "1998"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			events := tc.events
			if events == nil {
				events = []peyvand.StatusEvent{{Date: ev}}
			}
			r := FromPerson("id", "src", tc.r, events)
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
		recs = append(recs, FromPerson(fmt.Sprint(i), fmt.Sprint("source ", i), r, []peyvand.StatusEvent{{Date: ev}}))
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
		FromPerson("a", "x", peyvand.Record{GivenName: "محمدرضا", FamilyName: "حسینی", BirthYear: 1991, City: "کرج"}, []peyvand.StatusEvent{{Date: ev}}),
		FromPerson("b", "y", peyvand.Record{GivenName: "Hosseini", FamilyName: "Mohammadreza", BirthYear: 1991, City: "Karaj"}, []peyvand.StatusEvent{{Date: ev}}),
		FromPerson("c", "y", peyvand.Record{FullName: "HOSSEINI Ali", BirthYear: 1991, City: "Karaj"}, []peyvand.StatusEvent{{Date: ev}}),
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

func TestPlaceTown(t *testing.T) {
	tests := []struct{ place, want string }{
		{"Evin Prison, Tehran", "Tehran"},
		{"زندان اوین، تهران", "تهران"},
		{"Revolutionary Court; Shiraz", "Shiraz"},
		{"دادگاه انقلاب تهران", "تهران"},
		{"Bandar Abbas", "Bandar Abbas"},
		{"  Karaj ", "Karaj"},
		{"Tehran,", "Tehran"},
		{"Evin Prison, Tehran, Iran", "Tehran"},
		{"زندان اوین، تهران، ایران", "تهران"},
		{"Mahabad, West Azerbaijan Province", "Mahabad"},
		{"مهاباد، استان آذربایجان غربی", "مهاباد"},
		{"Sanandaj, Provinz Kurdistan, Iran", "Sanandaj"},
		{"Zahedan, Islamic Republic of Iran", "Zahedan"},
		{"Iran", ""},
		{"استان کردستان", ""},
		{"زندان اوین، تهران، ايران", "تهران"}, // Arabic ye
		{"", ""},
		// Kinds of places every town has are no town.
		{"near the mosque", ""},
		{"main square", ""},
		{"Ahvaz, near the Governorate", "Ahvaz"},
		{"جلوی بیمارستان", ""},
		{"میدان اصلی", ""},
		{"devant la mosquée", ""},
		{"vor dem Krankenhaus", ""},
		{"Evin Prison", "Evin Prison"},
		{"Azadi Square Tehran", "Tehran"},
	}
	for _, tc := range tests {
		if got := placeTown(tc.place); got != tc.want {
			t.Errorf("placeTown(%q) = %q, want %q", tc.place, got, tc.want)
		}
	}
}

// TestWitnessSawHimElsewhere: a man from Qom, shot in Tehran, is listed
// with his home by two organisations and the event's place, and seen by a
// witness who knows only his first name, an age and where it happened (in
// the city column), not the date. A namesake of the same age from Shiraz,
// shot there, stays apart.
func TestWitnessSawHimElsewhere(t *testing.T) {
	jan3 := peyvand.Date{Year: 2026, Month: 1, Day: 3}
	jan9 := peyvand.Date{Year: 2026, Month: 1, Day: 9}
	killed := func(d peyvand.Date, place string) []peyvand.StatusEvent {
		return []peyvand.StatusEvent{{Status: peyvand.StatusKilled, Date: d, Place: place}}
	}
	recs := []Record{
		FromPerson("a", "group-a", peyvand.Record{GivenName: "سعید", FamilyName: "موسوی", FatherName: "خسرو", BirthYear: 1987, City: "قم", Gender: peyvand.GenderMale}, killed(jan3, "تهران")),
		FromPerson("b", "group-b", peyvand.Record{GivenName: "Saeed", FamilyName: "Mousavi", Age: 38, City: "Qom", Gender: peyvand.GenderMale}, killed(jan3, "Azadi Square, Tehran")),
		FromPerson("w", "witness", peyvand.Record{GivenName: "Saeed", Age: 40, AgeDate: jan3, City: "Tehran"}, killed(peyvand.Date{}, "Tehran")),
		FromPerson("s", "group-b", peyvand.Record{GivenName: "Saeid", FamilyName: "Rahimi", Age: 38, City: "Shiraz", Gender: peyvand.GenderMale}, killed(jan9, "Shiraz")),
		FromPerson("x", "group-a", peyvand.Record{GivenName: "نرگس", FamilyName: "محمدی", BirthYear: 1972, City: "تبریز", Gender: peyvand.GenderFemale}, killed(jan9, "تبریز")),
	}
	ix, _, err := Link(PeyvandConfig(), recs, EstimatePeyvand)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []int{0, 1} {
		if g := ix.Gamma(a, 2); g[pfCity] < 3 {
			t.Errorf("record %s and the witness: city level %d, want agreement (3 or 4)", recs[a].ID, g[pfCity])
		}
	}
	if c := ix.Explain(Pair{0, 2}).Fields[pfCity]; c.A != "قم / تهران" || c.B != "Tehran" || c.Weight <= 0 {
		t.Errorf("a reviewer reads the places %q and %q, weight %.1f; want قم / تهران and Tehran, agreeing", c.A, c.B, c.Weight)
	}
	if ix.ClusterOf(2) != ix.ClusterOf(0) || ix.ClusterOf(1) != ix.ClusterOf(0) {
		t.Errorf("the witness's Saeed in Tehran is not the man from Qom: %s", describePair(ix, make([]int, len(recs)), 0, 2))
	}
	if ix.ClusterOf(3) == ix.ClusterOf(2) {
		t.Errorf("the Saeed of Shiraz was merged with the witness's: %s", describePair(ix, make([]int, len(recs)), 2, 3))
	}
}

// TestReviewedM: the pairs reviewers decided are one person teach the
// model how this registry's lists write a person, with peyvandM as a
// prior of mPriorPairs pairs; "not the same" teaches m nothing.
func TestReviewedM(t *testing.T) {
	ev := []peyvand.StatusEvent{{Date: peyvand.Date{Year: 2026, Month: 1, Day: 8}}}
	var recs []Record
	for i := range 60 {
		r := peyvand.Record{GivenName: "Ali", FamilyName: fmt.Sprint("Family", i), BirthYear: 1990}
		r.City = "Qom"
		recs = append(recs, FromPerson(fmt.Sprint("a", i), "x", r, ev))
		r.City = "Shiraz" // moved, or a list that wrote the wrong town
		recs = append(recs, FromPerson(fmt.Sprint("b", i), "y", r, ev))
	}
	ix, err := NewIndex(PeyvandConfig(), recs)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 60 {
		if err := ix.Decide(fmt.Sprint("a", i), fmt.Sprint("b", i), true); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Decide("a0", "a1", false); err != nil {
		t.Fatal(err)
	}
	m, err := EstimatePeyvand(ix, ix.Candidates())
	if err != nil {
		t.Fatal(err)
	}
	want := (mPriorPairs*peyvandM[pfCity][0] + 60) / (mPriorPairs + 60)
	if got := m.M[pfCity][0]; math.Abs(got-want) > 1e-9 {
		t.Errorf("m(city different) = %.4f, want %.4f", got, want)
	}
	// Father's name is missing in every pair: the prior stands.
	if !slices.Equal(m.M[pfFather], peyvandM[pfFather]) {
		t.Errorf("m(father) = %v, want the prior %v", m.M[pfFather], peyvandM[pfFather])
	}
	var sum float64
	for _, p := range m.M[pfCity] {
		sum += p
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("m(city) sums to %v", sum)
	}
}

func TestAgeAsOf(t *testing.T) {
	on := peyvand.Date{Year: 2026, Month: 2, Day: 15}
	tests := []struct {
		name   string
		r      peyvand.Record
		events []peyvand.StatusEvent
		needs  bool
		want   string
	}{
		{"an age alone", peyvand.Record{GivenName: "Saeed", Age: 38}, nil, true, "1988±1"},
		{"a round age", peyvand.Record{GivenName: "Saeed", Age: 40}, []peyvand.StatusEvent{{Place: "Tehran"}}, true, "1986±2"},
		{"a dated event dates it", peyvand.Record{GivenName: "Saeed", Age: 38}, []peyvand.StatusEvent{{Date: peyvand.Date{Year: 2025}}}, false, "1987"},
		{"an age date dates it", peyvand.Record{GivenName: "Saeed", Age: 38, AgeDate: peyvand.Date{Year: 2024}}, nil, false, "1986"},
		{"a birth year needs no age", peyvand.Record{GivenName: "Saeed", Age: 38, BirthYear: 1980}, nil, false, "1980"},
		{"no age", peyvand.Record{GivenName: "Saeed"}, nil, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := NeedsAgeDate(tc.r, tc.events); got != tc.needs {
				t.Errorf("NeedsAgeDate = %v, want %v", got, tc.needs)
			}
			rec := FromPerson("id", "src", tc.r, tc.events)
			AgeAsOf(&rec, tc.r.Age, on) // changes only a missing year
			if got := rec.Values[pfBirthYear]; got != tc.want {
				t.Errorf("birth year %q, want %q", got, tc.want)
			}
		})
	}
}
