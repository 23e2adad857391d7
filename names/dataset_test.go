package names

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"testing"
)

// givenNamesCSV is PNGT-26K (see its README): Persian given names with one
// romanisation each, by one writer and with typos, so agreement cannot be
// total; the floors below sit a little under what Key achieves, so that a
// change to the rules that loses agreement fails.
const givenNamesCSV = "/work/shared/data/names/persian-given-names.csv"

const (
	minExactShare = 0.92
	minCloseShare = 0.97
)

func readGivenNames(t testing.TB) [][2]string {
	f, err := os.Open(givenNamesCSV)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not present", givenNamesCSV)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", givenNamesCSV, err)
	}
	var pairs [][2]string
	for i, r := range recs {
		if i == 0 || len(r) < 3 {
			continue // header
		}
		pairs = append(pairs, [2]string{r[0], r[2]})
	}
	return pairs
}

// TestGivenNamesAgreement measures how often a Persian given name and its
// romanisation get the same key, or keys with Jaro–Winkler ≥ 0.9.
func TestGivenNamesAgreement(t *testing.T) {
	pairs := readGivenNames(t)
	exact, close := 0, 0
	var misses []string
	for _, p := range pairs {
		kp, kl := Key(p[0]), Key(p[1])
		if kp == kl {
			exact++
		} else if len(misses) < 30 {
			misses = append(misses, p[0]+" "+kp+" ≠ "+p[1]+" "+kl)
		}
		if JaroWinkler(kp, kl) >= 0.9 {
			close++
		}
	}
	n := float64(len(pairs))
	t.Logf("%d pairs: Key equal %.1f%%, JaroWinkler(keys) ≥ 0.9 %.1f%%", len(pairs), 100*float64(exact)/n, 100*float64(close)/n)
	if testing.Verbose() {
		for _, m := range misses {
			t.Log("miss:", m)
		}
	}
	if float64(exact)/n < minExactShare {
		t.Errorf("Key equal for %.3f of pairs, want ≥ %.2f", float64(exact)/n, minExactShare)
	}
	if float64(close)/n < minCloseShare {
		t.Errorf("JaroWinkler ≥ 0.9 for %.3f of pairs, want ≥ %.2f", float64(close)/n, minCloseShare)
	}
}
