package names

import (
	"math"
	"testing"
)

// TestJaroWinkler checks the values published by Winkler (1990) and
// repeated in Wikipedia's Jaro–Winkler article (rounded to three places).
func TestJaroWinkler(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"MARTHA", "MARHTA", 0.961},
		{"DWAYNE", "DUANE", 0.840},
		{"DIXON", "DICKSONX", 0.813},
		{"ABC", "ABC", 1},
		{"", "", 1},
		{"ABC", "", 0},
		{"ABC", "XYZ", 0},
		{"مریم", "مریم", 1},
	} {
		got := JaroWinkler(c.a, c.b)
		if math.Abs(got-c.want) > 0.0005 {
			t.Errorf("JaroWinkler(%q, %q) = %.4f, want %.3f", c.a, c.b, got, c.want)
		}
		if back := JaroWinkler(c.b, c.a); math.Abs(back-got) > 1e-12 {
			t.Errorf("JaroWinkler(%q, %q) = %.4f, but %.4f the other way", c.a, c.b, got, back)
		}
	}
}

func TestJaroWinklerASCIIAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { JaroWinkler("HOSSEINI", "HOSEYNI") }); n != 0 {
		t.Errorf("JaroWinkler allocates %v times on ASCII, want 0", n)
	}
}

func BenchmarkJaroWinkler(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		JaroWinkler("MHMDRZHSYNY", "MHMDRZHSNY")
	}
}

func BenchmarkKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Key("HOSSEINI, Mohammad-Reza")
	}
}
