package linkage

import (
	"strings"
	"testing"
)

func TestLevel(t *testing.T) {
	jw := Comparison{Kind: KindJaroWinkler, Thresholds: []float64{0.95, 0.88}}
	name := Comparison{Kind: KindName, Thresholds: []float64{0.95, 0.88}}
	places := Comparison{Kind: KindName, Thresholds: []float64{0.95, 0.88}, AnyOf: true}
	tests := []struct {
		c    Comparison
		a, b string
		want string
	}{
		{Comparison{Kind: KindExact}, "NSW", "nsw", "exact"},
		{Comparison{Kind: KindExact}, "nsw", "vic", "different"},
		{Comparison{Kind: KindExact}, "", "vic", "missing"},
		{jw, "stanley street", "stanley street", "exact"},
		{jw, "stanley street", "stanley stret", "jaro-winkler>=0.95"},
		{jw, "stanley street", "stanly street", "jaro-winkler>=0.88"},
		{jw, "martha", "marhta", "jaro-winkler>=0.95"},
		{jw, "dwayne", "duane", "different"},
		{jw, "stanley", "pinkerton", "different"},
		{name, "Mohammad-Reza", "mohammad reza", "exact"},
		{name, "محمد", "Mohammad", "same name key"},
		{name, "neumann", "newman", "same name key"},
		{name, "رضا", "Mohammad", "different"},
		{name, "  ", "Mohammad", "missing"},
		{Comparison{Kind: KindYear, Tolerances: []float64{1, 2}}, "1981", "1360", "exact"},
		{Comparison{Kind: KindYear, Tolerances: []float64{1, 2}}, "1981", "1982", "within 1"},
		{Comparison{Kind: KindYear, Tolerances: []float64{1, 2}}, "1981", "1979", "within 2"},
		{Comparison{Kind: KindYear, Tolerances: []float64{1, 2}}, "1981", "1975", "different"},
		{Comparison{Kind: KindYear}, "1981", "unknown", "missing"},
		// A year derived from "about 45" may be two years off.
		{Comparison{Kind: KindYear, Tolerances: []float64{1, 2}}, "1981±2", "1978", "within 1"},
		{Comparison{Kind: KindYear, Tolerances: []float64{1, 2}}, "1981±2", "1977", "within 2"},
		{Comparison{Kind: KindYear, Tolerances: []float64{1, 2}}, "1981±2", "1976", "different"},
		{Comparison{Kind: KindYear, Tolerances: []float64{1, 2}}, "1981±2", "1360", "within 1"},
		{Comparison{Kind: KindYear, Tolerances: []float64{1, 2}}, "1981±2", "1981±2", "exact"},
		{Comparison{Kind: KindYear, Tolerances: []float64{1, 2}}, "1981±x", "1981", "exact"},
		{Comparison{Kind: KindNumeric, Tolerances: []float64{0.5}}, "۱۲", "12.4", "within 0.5"},
		{Comparison{Kind: KindDate, Tolerances: []float64{31}}, "19151111", "1915-11-11", "exact"},
		{Comparison{Kind: KindDate, Tolerances: []float64{31}}, "19151111", "19151171", "one digit off"},
		{Comparison{Kind: KindDate, Tolerances: []float64{31}}, "19150311", "19151103", "one digit off"},
		{Comparison{Kind: KindDate, Tolerances: []float64{31}}, "19151111", "19151201", "within 31 days"},
		{Comparison{Kind: KindDate, Tolerances: []float64{31}}, "19151111", "19800101", "different"},
		// Event dates: a day's shift is a shift, not a typo.
		{Comparison{Kind: KindDate, Tolerances: []float64{2, 7, 45}, NoTypo: true}, "2026-01-06", "2026-01-07", "within 2 days"},
		{Comparison{Kind: KindDate, Tolerances: []float64{2, 7, 45}, NoTypo: true}, "2026-01-15", "2026-03-15", "different"},
		{Comparison{Kind: KindDate, Tolerances: []float64{2, 7, 45}, NoTypo: true}, "2026-01-03", "2026-01-09", "within 7 days"},
		{Comparison{Kind: KindDate, Tolerances: []float64{2, 7, 45}, NoTypo: true}, "2026-01-08", "2026-01-08", "exact"},
		{Comparison{Kind: KindIDOneOff}, "5304218", "5304218", "exact"},
		{Comparison{Kind: KindIDOneOff}, "5304218", "5304219", "one digit off"},
		{Comparison{Kind: KindIDOneOff}, "5304218", "5302418", "one digit off"},
		{Comparison{Kind: KindIDOneOff}, "5304218", "530428", "one digit off"},
		{Comparison{Kind: KindIDOneOff}, "5304218", "5304291", "different"},
		{Comparison{Kind: KindIDOneOff}, "5304218", "1234567", "different"},
		// Home and the town of the event: the closest two decide.
		{places, "Qom|Tehran", "tehran", "exact"},
		{places, "قم|تهران", "Tehran", "same name key"},
		{places, "Qom|Tehran", "Tehran|Qom", "exact"},
		{places, "Qom|Tehran", "Karaj|Teheran", "same name key"},
		{places, "Qom|Tehran", "Shiraz", "different"},
		{places, "Qom|", "Qom", "exact"},
		{places, " | ", "Qom", "missing"},
	}
	for _, tc := range tests {
		a, b := prepare(tc.c, tc.a), prepare(tc.c, tc.b)
		l := tc.c.level(&a, &b)
		got := "missing"
		if l != missing {
			got = tc.c.levelLabels()[l]
		}
		if got != tc.want {
			t.Errorf("%s %q vs %q: level %d %q, want %q", tc.c.Kind, tc.a, tc.b, l, got, tc.want)
		}
		b2, a2 := prepare(tc.c, tc.b), prepare(tc.c, tc.a)
		if l2 := tc.c.level(&b2, &a2); l2 != l {
			t.Errorf("%s %q vs %q: level %d one way, %d the other", tc.c.Kind, tc.a, tc.b, l, l2)
		}
	}
}

func TestDecodeConfig(t *testing.T) {
	tests := []struct {
		name, json, err string
	}{
		{"ok", `{"fields":[{"name":"n","compare":{"kind":"name","thresholds":[0.95,0.88]},"term_frequency":true},
			{"name":"y","compare":{"kind":"year","tolerances":[1,2]}}],
			"blocking":[{"keys":[{"field":"n","func":"name-key"},{"field":"y","func":"year"}]}],
			"conflicts":[{"fields":["n","y"]}],
			"thresholds":{"match":0.9,"review":0.5}}`, ""},
		{"unknown kind", `{"fields":[{"name":"n","compare":{"kind":"soundex"}}],"blocking":[{"keys":[{"field":"n"}]}],"thresholds":{"match":0.9}}`, "unknown comparison kind"},
		{"ascending thresholds", `{"fields":[{"name":"n","compare":{"kind":"jaro-winkler","thresholds":[0.8,0.9]}}],"blocking":[{"keys":[{"field":"n"}]}],"thresholds":{"match":0.9}}`, "descending"},
		{"no blocking", `{"fields":[{"name":"n","compare":{"kind":"exact"}}],"thresholds":{"match":0.9}}`, "no blocking rule"},
		{"unknown block field", `{"fields":[{"name":"n","compare":{"kind":"exact"}}],"blocking":[{"keys":[{"field":"x"}]}],"thresholds":{"match":0.9}}`, "unknown field"},
		{"prefix without n", `{"fields":[{"name":"n","compare":{"kind":"exact"}}],"blocking":[{"keys":[{"field":"n","func":"prefix"}]}],"thresholds":{"match":0.9}}`, "n > 0"},
		{"last of a single value", `{"fields":[{"name":"n","compare":{"kind":"name"}}],"blocking":[{"keys":[{"field":"n","last":true}]}],"thresholds":{"match":0.9}}`, "not any_of"},
		{"last of any_of", `{"fields":[{"name":"n","compare":{"kind":"name","any_of":true}}],"blocking":[{"keys":[{"field":"n","func":"name-coarse","last":true}]}],"thresholds":{"match":0.9}}`, ""},
		{"review above match", `{"fields":[{"name":"n","compare":{"kind":"exact"}}],"blocking":[{"keys":[{"field":"n"}]}],"thresholds":{"match":0.5,"review":0.9}}`, "thresholds"},
		{"unknown json field", `{"felds":[]}`, "unknown field"},
	}
	for _, tc := range tests {
		_, err := DecodeConfig(strings.NewReader(tc.json))
		if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
		}
	}
	if err := FEBRLConfig().Validate(); err != nil {
		t.Errorf("FEBRLConfig: %v", err)
	}
}

// peyvandPairs are prepared value pairs of PeyvandConfig's hot
// comparisons: names across scripts, and places with the towns of events.
func peyvandPairs() (Comparison, [][2]value) {
	c := PeyvandConfig().Fields[pfCity].Compare
	raw := [][2]string{
		{"محمدرضا", "Mohammad Reza"},
		{"Hosseini", "Hoseyni"},
		{"Baluhc", "بلوچ"},
		{"قم|تهران", "Teheran"},
		{"Karaj|Tehran", "Shiraz|Isfahan"},
	}
	var ps [][2]value
	for _, r := range raw {
		ps = append(ps, [2]value{prepare(c, r[0]), prepare(c, r[1])})
	}
	return c, ps
}

// TestLevelAllocationFree: comparing two prepared values allocates
// nothing, places with several towns included.
func TestLevelAllocationFree(t *testing.T) {
	c, ps := peyvandPairs()
	if n := testing.AllocsPerRun(100, func() {
		for i := range ps {
			c.level(&ps[i][0], &ps[i][1])
		}
	}); n != 0 {
		t.Errorf("%v allocations per run of %d comparisons", n, len(ps))
	}
}

func BenchmarkLevelPeyvand(b *testing.B) {
	c, ps := peyvandPairs()
	b.ReportAllocs()
	for b.Loop() {
		for i := range ps {
			c.level(&ps[i][0], &ps[i][1])
		}
	}
}
