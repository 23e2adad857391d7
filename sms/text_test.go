package sms

import (
	"testing"

	"peyvand/names"
	"peyvand/persian"
)

func roundTripText(t testing.TB, s string) (string, int) {
	t.Helper()
	w := &bitWriter{}
	writeText(w, s)
	bits := 5*len(w.syms) + int(w.n)
	got, err := readText(&bitReader{syms: w.symbols()})
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return got, bits
}

func TestTextRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		bits int // script bit, case mode, codes, end: see docs/SMS.md
	}{
		{"Mohammad", 1 + 2 + 8*5 + 5},
		{"mohammad", 1 + 2 + 8*5 + 5},
		{"MOHAMMAD", 1 + 2 + 8*5 + 5},
		{"Mohammad-Reza", 1 + 2 + 13*5 + 5},
		{"O'Brien", 1 + 2 + 7*5 + 5},             // title case: after the apostrophe too
		{"McDonald", 1 + 2 + 2*10 + 8*5 + 5},     // mixed: two shifts
		{"Abd-ol-lah", 1 + 2 + 10 + 10*5 + 5},    // mixed: one shift
		{"Sébastien", 1 + 2 + 10 + 31 + 8*5 + 5}, // é as a code point
		{"Ali 2", 1 + 2 + 4*5 + 10 + 5},          // a digit is escaped
		{"محمد", 1 + 4*5 + 5},                    // no case mode in Persian
		{"محمد\u200cرضا", 1 + 8*5 + 5},           // ZWNJ is a code
		{"محمد رضا", 1 + 8*5 + 5},
		{"آرش", 1 + 3*5 + 5},
		{"چراغی", 1 + 10 + 4*5 + 5}, // چ is in the extended table
		{"ژیلا", 1 + 10 + 3*5 + 5},
		{"رئیسی", 1 + 10 + 4*5 + 5},
		{"خامنه‌ای", 1 + 8*5 + 5},
		{"Ali علی", 1 + 3*31 + 5 + 3*5 + 5}, // Latin letters in a Persian name
		{"中文", 1 + 2 + 2*31 + 5},
		{"😀", 1 + 2 + 31 + 5},
	} {
		got, n := roundTripText(t, tc.in)
		if got != tc.in {
			t.Errorf("%q came back as %q", tc.in, got)
		}
		if n != tc.bits {
			t.Errorf("%q took %d bits, want %d", tc.in, n, tc.bits)
		}
	}
}

// TestGivenNamesRoundTrip writes every name of PNGT-26K, in Persian script
// and in its romanisation, and expects exactly the normalised name back,
// with the same linkage key.
func TestGivenNamesRoundTrip(t *testing.T) {
	letters, bits := 0, 0
	for _, gn := range readGivenNames(t) {
		for _, s := range []string{gn.fa, gn.latin, title(gn.latin)} {
			want := persian.Normalize(s)
			if want == "" {
				continue
			}
			got, n := roundTripText(t, want)
			if got != want {
				t.Fatalf("%q came back as %q", want, got)
			}
			if names.Key(got) != names.Key(s) {
				t.Fatalf("%q: key %q, want %q", s, names.Key(got), names.Key(s))
			}
			if s == gn.fa {
				letters += len([]rune(want))
				bits += n
			}
		}
	}
	t.Logf("Persian names: %.2f bits per letter, script bit and end included", float64(bits)/float64(letters))
}

// title upper-cases the first letter of each word of an ASCII name, as
// people write romanised names.
func title(s string) string {
	b := []byte(s)
	for i := range b {
		if (i == 0 || b[i-1] == ' ' || b[i-1] == '-') && b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// TestTablesAsDocumented pins the tables docs/SMS.md lists: changing one
// changes the format.
func TestTablesAsDocumented(t *testing.T) {
	if len(latinCodes) != 30 || len(persianCodes) != 30 || string(latinCodes[26:]) != " -'." {
		t.Fatalf("primary tables: %d %d", len(latinCodes), len(persianCodes))
	}
	if got := string(persianCodes); got != "ایرمنلدهوبسعحتشزفکخجگقآصپطضغ \u200c" {
		t.Fatalf("Persian table %q", got)
	}
	if got := string(extendedCodes[10:20]); got != "چذژظثءئ-'." {
		t.Fatalf("extended table %q", got)
	}
	seen := map[rune]bool{}
	for _, r := range append(append([]rune{}, persianCodes...), extendedCodes[:20]...) {
		if seen[r] {
			t.Fatalf("%q is in the tables twice", r)
		}
		seen[r] = true
	}
}
