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
// The digests are of WriteCSV's output as generated before the wide pool
// was added (peyvand demo --seed S --persons N).
func TestDefaultUnchanged(t *testing.T) {
	tests := []struct {
		seed    int64
		persons int
		sha256  string
	}{
		{1, 300, "2ba11d0e283f2134e499efed8a3eb8f8c61c6b91648a4c6e92bbdac7ab02917e"},
		{42, 2000, "5cfa5d955741dc1a876ce9e8d23ede8cffd3d4b966e4ff3ab1b94a8946bd8bf1"},
		{7, 5000, "a3de8511c5dcf2e71af09d2b425e2d192451da903562103371b7f42145a04651"},
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
