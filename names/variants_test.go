package names

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return recs
}

// nameKeys keys a full name as linkage will: its tokens, given name first.
func nameKeys(full string) []string {
	return Keys(strings.Join(Tokens(full), " "))
}

func share(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func TestVariants(t *testing.T) {
	recs := readCSV(t, "testdata/variants.csv")
	if len(recs) < 60 {
		t.Fatalf("read %d groups, want at least 60", len(recs))
	}
	spellings, misses := 0, 0
	for _, group := range recs {
		want := nameKeys(group[0])
		for _, v := range group[1:] {
			known := strings.HasPrefix(v, "!")
			v = strings.TrimPrefix(v, "!")
			got := nameKeys(v)
			spellings++
			switch ok := share(want, got); {
			case known && ok:
				t.Errorf("%q now matches %q: remove its ! mark", v, group[0])
			case known:
				misses++
				t.Logf("known miss: %q %v ≠ %q %v", v, got, group[0], want)
			case !ok:
				t.Errorf("%q %v shares no key with %q %v", v, got, group[0], want)
			}
		}
	}
	t.Logf("%d groups, %d spellings, %d known misses", len(recs), spellings, misses)
}

func TestDistinct(t *testing.T) {
	for _, p := range readCSV(t, "testdata/distinct.csv") {
		ka, kb := nameKeys(p[0]), nameKeys(p[1])
		collides := len(p) > 2 && p[2] == "collides"
		switch ok := share(ka, kb); {
		case collides && ok:
			t.Logf("known collision: %q and %q both key %v", p[0], p[1], ka)
		case collides:
			t.Errorf("%q %v and %q %v no longer collide: update distinct.csv", p[0], ka, p[1], kb)
		case ok:
			t.Errorf("%q %v and %q %v share a key", p[0], ka, p[1], kb)
		}
	}
}
