package persian

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"joined compound", "محمدرضا", "محمدرضا"},
		{"ZWNJ compound kept", "محمد\u200cرضا", "محمد\u200cرضا"},
		{"spaced compound kept", "محمد رضا", "محمد رضا"},
		{"Arabic yeh", "علي", "علی"},
		{"alef maksura", "مصطفى", "مصطفی"},
		{"Arabic kaf", "كاظم", "کاظم"},
		{"teh marbuta", "زهرة", "زهره"},
		{"heh with yeh above", "فاطمۀ", "فاطمه"},
		{"heh with hamza mark", "فاطمهٔ", "فاطمه"},
		{"waw with hamza", "مؤمن", "مومن"},
		{"alef with hamza above", "أحمد", "احمد"},
		{"alef with hamza below", "إبراهیم", "ابراهیم"},
		{"alef wasla", "ٱلله", "الله"},
		{"madda kept", "آرش", "آرش"},
		{"decomposed madda composed", "ا\u0653رش", "آرش"},
		{"medial yeh hamza kept", "رئیسی", "رئیسی"},
		{"medial yeh hamza before Arabic yeh", "قائمي", "قائمی"},
		{"final yeh hamza", "شاطئ", "شاطی"},
		{"yeh hamza before ZWNJ", "ئ\u200cب", "ی\u200cب"},
		{"yeh hamza before tatweel and letter", "ئـب", "ئب"},
		{"tatweel", "مـحـمـد", "محمد"},
		{"harakat", "مُحَمَّد", "محمد"},
		{"tanwin and superscript alef", "حتماً علیٰ", "حتما علی"},
		{"Persian digits", "۱۴۰۴/۱۰/۱۸", "1404/10/18"},
		{"Arabic-Indic digits", "١٢٣٤٥٦٧٨٩٠", "1234567890"},
		{"Arabic decimal separator", "۳٫۵", "3.5"},
		{"NBSP", "محمد\u00a0حسینی", "محمد حسینی"},
		{"narrow NBSP and ideographic space", "a\u202fb\u3000c", "a b c"},
		{"thin and em spaces", "a\u2009b\u2003c", "a b c"},
		{"tabs and newlines", "\tمحمد\n\r حسینی \n", "محمد حسینی"},
		{"space runs", "محمد    حسینی", "محمد حسینی"},
		{"repeated ZWNJ", "محمد\u200c\u200c\u200cرضا", "محمد\u200cرضا"},
		{"ZWNJ before space", "محمد\u200c رضا", "محمد رضا"},
		{"ZWNJ after space", "محمد \u200cرضا", "محمد رضا"},
		{"ZWNJ at the ends", "\u200cمحمد\u200c", "محمد"},
		{"zero width space removed", "محمد\u200bرضا", "محمدرضا"},
		{"ZWSP between ZWNJs", "محمد\u200c\u200b\u200cرضا", "محمد\u200cرضا"},
		{"BOM", "\ufeffمحمد", "محمد"},
		{"soft hyphen", "Hos\u00adseini", "Hosseini"},
		{"bidi marks", "\u200fمحمد\u200e \u202bحسینی\u202c \u2067x\u2069", "محمد حسینی x"},
		{"ZWJ kept", "a\u200db", "a\u200db"},
		{"controls removed", "a\x00b\x07c", "abc"},
		{"presentation forms", "\ufeb3\ufefc\ufee1", "سلام"},
		{"lam-alef ligature", "\ufefb", "لا"},
		{"Farsi yeh presentation form", "\ufbfe", "ی"},
		{"Latin kept", "Hosseini", "Hosseini"},
		{"Latin case kept", "MÜLLER", "MÜLLER"},
		{"Latin NFC", "Mu\u0308ller", "Müller"},
		{"Latin trimmed", "  Mohammad   Hosseini ", "Mohammad Hosseini"},
		{"mixed", " سید  علي‌اكبر  (Ali-Akbar) ۱۳۷۵ ", "سید علی\u200cاکبر (Ali-Akbar) 1375"},
		{"invalid UTF-8", "a\xffb", "a\ufffdb"},
		{"empty", "", ""},
		{"only invisible", "\u200c\u200b\u200f ", ""},
	}
	for _, tt := range tests {
		got := Normalize(tt.in)
		if got != tt.want {
			t.Errorf("%s: Normalize(%+q) = %+q, want %+q", tt.name, tt.in, got, tt.want)
		}
		if again := Normalize(got); again != got {
			t.Errorf("%s: Normalize is not idempotent: %+q → %+q", tt.name, got, again)
		}
	}
}

func TestHasArabicScript(t *testing.T) {
	tests := map[string]bool{
		"محمد":         true,
		"Mohammad":     false,
		"Ali علی":      true,
		"۱۴۰۴/۱۰/۱۸":   false, // digits are not letters
		"،؛؟":          false,
		"\ufefb":       true, // presentation form
		"":             false,
		"Müller 123":   false,
		"ک":            true,
		"\u0654\u064e": false, // marks alone
	}
	for in, want := range tests {
		if got := HasArabicScript(in); got != want {
			t.Errorf("HasArabicScript(%+q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzNormalize checks that Normalize and Fold never panic, return valid
// UTF-8 and are idempotent: data normalised once must not change when a
// later import normalises it again.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"محمد\u200cرضا", "علي", "مُحَمَّد", "HOSSEINI, Mohammad-Reza", "ئـب", "\ufefb\ufe70",
		"a\u200b\u0301", "ᄀ(ᅡ", "ẞ Ǆ ﬁ İ", "\u200c \u200c", "ا\u0653", "a\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%+q) = %+q: invalid UTF-8", s, n)
		}
		if nn := Normalize(n); nn != n {
			t.Fatalf("Normalize not idempotent on %+q: %+q → %+q", s, n, nn)
		}
		if n != strings.TrimSpace(n) || strings.Contains(n, "  ") {
			t.Fatalf("Normalize(%+q) = %+q: spaces not collapsed", s, n)
		}
		fo := Fold(s)
		if ff := Fold(fo); ff != fo {
			t.Fatalf("Fold not idempotent on %+q: %+q → %+q", s, fo, ff)
		}
		if fn := Fold(n); fn != fo {
			t.Fatalf("Fold(Normalize(%+q)) = %+q, Fold = %+q", s, fn, fo)
		}
		if strings.ContainsRune(fo, zwnj) {
			t.Fatalf("Fold(%+q) = %+q contains ZWNJ", s, fo)
		}
	})
}

var benchNames = []string{
	"محمد‌رضا حسینی",
	"علي اكبر قاسمي",
	"مُحَمَّد  كاظمي\u00a0زادة",
	"HOSSEINI, Mohammad-Reza",
	"Shirin Ebadi",
	"Zahra Müller-Sadeghi",
}

func BenchmarkNormalize(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Normalize(benchNames[i%len(benchNames)])
	}
}

func BenchmarkFold(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Fold(benchNames[i%len(benchNames)])
	}
}
