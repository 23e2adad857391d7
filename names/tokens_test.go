package names

import (
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in           string
		tokens, hons []string
		surnameFirst bool
	}{
		{"HOSSEINI, Seyed Mohammad-Reza", []string{"mohammadreza", "hosseini"}, []string{"seyed"}, true},
		{"سیدمحمد رضا حسینی", []string{"محمدرضا", "حسینی"}, []string{"سید"}, false},
		{"محمد‌رضا حسینی", []string{"محمد‌رضا", "حسینی"}, nil, false}, // a ZWNJ joins, and stays
		{"Mohammad Hosseini", []string{"mohammad", "hosseini"}, nil, false},
		{"Fatemeh Sadat Mousavi", []string{"fatemeh", "mousavi"}, []string{"sadat"}, false},
		{"Haj Gholam Hossein Karimi", []string{"gholamhossein", "karimi"}, []string{"haj"}, false},
		{"Seyyedi, Ali", []string{"ali", "seyyedi"}, nil, true},
		{"Hashemi-Rafsanjani", []string{"hashemi", "rafsanjani"}, nil, false},
		{", Reza", []string{"reza"}, nil, false},
	} {
		got := Parse(c.in)
		if !slices.Equal(got.Tokens, c.tokens) || !slices.Equal(got.Honorifics, c.hons) || got.SurnameFirst != c.surnameFirst {
			t.Errorf("Parse(%q) = %+v, want tokens %q honorifics %q surnameFirst %v", c.in, got, c.tokens, c.hons, c.surnameFirst)
		}
	}
}

func TestCompoundKeys(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Mohammadreza", []string{"MHMDRZ", "MHMD", "RZ"}},
		{"Mohammad Reza", []string{"MHMDRZ", "MHMD", "RZ"}},
		{"محمد‌رضا", []string{"MHMDRZ", "MHMD", "RZ"}},
		{"محمدرضا", []string{"MHMDRZ", "MHMD", "RZ"}},
		{"Abolfazl", []string{"ABLFZL", "ABL", "FZL"}},
		{"غلامحسین", []string{"KLMHSYN", "KLM", "HSYN"}},
		{"Fatemehzahra", []string{"FTMZHR", "FTM", "ZHR"}},
		{"Alizadeh", []string{"ALYZD"}},
		{"Mirzaei", []string{"MYRZY"}},
		{"Abbas", []string{"ABS"}},
	} {
		if got := CompoundKeys(c.in); !slices.Equal(got, c.want) {
			t.Errorf("CompoundKeys(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzParse checks that any input parses without panicking, that tokens
// are non-empty and keys are written in the class alphabet or in letters
// of other scripts, never in lowercase Latin.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"HOSSEINI, Mohammad-Reza", "سیدمحمد‌رضا", "Dschafari", ",", "a\u200cb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range Tokens(s) {
			if tok == "" {
				t.Errorf("Tokens(%q) has an empty token", s)
			}
		}
		for _, k := range Keys(s) {
			for _, r := range k {
				if r >= 'a' && r <= 'z' {
					t.Errorf("Keys(%q) has %q with a lowercase letter", s, k)
				}
			}
		}
	})
}

// A ZWNJ joins the parts of one word: احمد‌زاده is one surname, and must
// not lend its first part to the given name before it.
func TestZWNJJoinsOneWord(t *testing.T) {
	got := Parse("حسين احمد\u200cزاده").Tokens
	if len(got) != 2 || got[0] != "حسین" || got[1] != "احمد\u200cزاده" {
		t.Fatalf("tokens %q", got)
	}
}
