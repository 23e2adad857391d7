package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"peyvand/names"
)

// TestDefaultUnchanged pins the default data sets: other tests and
// published figures depend on them, so a new option must not change them.
// The digests are of WriteCSV's output (peyvand demo --seed S --persons
// N) as generated before the wide pool was added, re-taken when the place
// column was added: without that column the rows are byte for byte those
// of the earlier digests.
func TestDefaultUnchanged(t *testing.T) {
	tests := []struct {
		seed    int64
		persons int
		sha256  string
	}{
		{1, 300, "bd2a070994544e254b9d445c33fdfc57b1f4e115a09a52c6fa9e3eb9e532833b"},
		{42, 2000, "f870e78f2b9c7636891105e28d3390f032f11cf5bc70540e9439c1a4820822a5"},
		{7, 5000, "ff3ef9dc3df785a3cc6023f2c61e869e94e690f4f48c4122167c48f57a6e56fb"},
	}
	for _, tc := range tests {
		h := sha256.New()
		if err := WriteCSV(h, Generate(Options{Seed: tc.seed, Persons: tc.persons})); err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != tc.sha256 {
			t.Errorf("seed %d, %d persons: digest %s, want %s: the default data set changed", tc.seed, tc.persons, got, tc.sha256)
		}
	}
}

func TestWidePool(t *testing.T) {
	p := widePool()
	if len(p.male) < 150 || len(p.female) < 90 || len(p.family) < 1000 {
		t.Errorf("wide pool has %d male, %d female given names and %d surnames", len(p.male), len(p.female), len(p.family))
	}
	for _, list := range [][]name{p.male, p.female, p.family} {
		seen := map[string]bool{}
		for _, n := range list {
			if n.fa == "" || len(n.latin) == 0 || seen[n.fa] {
				t.Errorf("name %+v empty or repeated", n)
			}
			seen[n.fa] = true
			// The Persian and the usual Latin form must be the same
			// name to a linkage engine, as the default tables are.
			fa, la := strings.ReplaceAll(n.fa, "|", ""), strings.ReplaceAll(n.latin[0], "|", "")
			if names.JaroWinkler(names.Key(fa), names.Key(la)) < 0.8 {
				t.Logf("keys far apart: %s %s (%s, %s)", fa, la, names.Key(fa), names.Key(la))
			}
		}
	}
	d := Generate(Options{Seed: 1, Persons: 20000, WideNames: true})
	count := map[string]int{}
	total := 0
	for _, sr := range d.Sources[:1] { // the Persian list
		for _, row := range sr.Rows {
			if row.Record.FamilyName == "" {
				continue
			}
			count[row.Record.FamilyName+"/"+row.Record.GivenName]++
			total++
		}
	}
	top := 0
	for _, n := range count {
		top = max(top, n)
	}
	// Persons behind the most common full name: a handful at this size,
	// not the ~7 % of the list the default pool's 1 in 3,000 odds give
	// squared by sources.
	if top > total/100 {
		t.Errorf("most common full name on %d of %d rows", top, total)
	}
	t.Logf("%d rows, %d distinct full names, the most common on %d", total, len(count), top)
}
