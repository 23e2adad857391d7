package persian

import "testing"

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"joined compound", "محمدرضا", "محمدرضا"},
		{"ZWNJ compound joins", "محمد\u200cرضا", "محمدرضا"},
		{"spaced compound stays spaced", "محمد رضا", "محمد رضا"},
		{"Arabic letters", "علي اكبر", "علی اکبر"},
		{"teh marbuta", "زهرة", "زهره"},
		{"tatweel", "مـحـمـد", "محمد"},
		{"diacritics", "مُحَمَّد", "محمد"},
		{"madda", "آرش", "ارش"},
		{"yeh hamza", "رئیسی", "رییسی"},
		{"Persian comma", "حسینی،محمد", "حسینی محمد"},
		{"Persian digits", "۱۳۷۵", "1375"},
		{"NBSP", "محمد\u00a0حسینی", "محمد حسینی"},
		{"Latin", "Hosseini", "hosseini"},
		{"umlaut", "MÜLLER", "muller"},
		{"list form", "HOSSEINI, Mohammad-Reza", "hosseini mohammad reza"},
		{"accents", "Chirine Ébadi", "chirine ebadi"},
		{"decomposed accent", "Mu\u0308ller", "muller"},
		{"sharp s", "Straße", "strasse"},
		{"capital sharp s", "STRAẞE", "strasse"},
		{"ligatures", "Æsir ﬁle Œuvre", "aesir file oeuvre"},
		{"Nordic and Polish", "Øystein Łukasz", "oystein lukasz"},
		{"Turkish", "İsmail ılık", "ismail ilik"},
		{"full width", "ＡＬＩ", "ali"},
		{"apostrophes", "Ala'i Sa’idi Ma‘sumi", "ala i sa idi ma sumi"},
		{"ayn and hamza marks", "Saʿidi Raʾisi", "sa idi ra isi"},
		{"underscores and dots", "m.reza_hosseini", "m reza hosseini"},
		{"other punctuation removed", "(Mohammad) \"Reza\"!", "mohammad reza"},
		{"symbols removed", "Ali + Reza ©", "ali reza"},
		{"slashes", "Reza/Ali", "reza ali"},
		{"dashes", "Hosseini–Tabatabaei", "hosseini tabatabaei"},
		{"ZWJ removed", "a\u200db", "ab"},
		{"empty", "", ""},
		{"punctuation only", " - , . ", ""},
	}
	for _, tt := range tests {
		got := Fold(tt.in)
		if got != tt.want {
			t.Errorf("%s: Fold(%+q) = %+q, want %+q", tt.name, tt.in, got, tt.want)
		}
		if again := Fold(got); again != got {
			t.Errorf("%s: Fold is not idempotent: %+q → %+q", tt.name, got, again)
		}
	}
}

// TestFoldEquivalents lists spellings of one name that must fold the same.
func TestFoldEquivalents(t *testing.T) {
	groups := [][]string{
		{"محمدرضا", "محمد\u200cرضا", "مـحـمـدرضا", "مُحَمَّدرضا", "\u200fمحمدرضا\u200f"},
		{"علی", "علي", "عَلی"},
		{"کاظم", "كاظم"},
		{"زهره", "زهرة"},
		{"آرش", "ارش"},
		{"قائمی", "قايمي", "قائمي"},
		{"mohammad reza hosseini", "Mohammad-Reza Hosseini", "MOHAMMAD REZA  HOSSEINI", "mohammad_reza.hosseini"},
		{"muller", "Müller", "MÜLLER", "Mu\u0308ller"},
	}
	for _, g := range groups {
		want := Fold(g[0])
		for _, s := range g[1:] {
			if got := Fold(s); got != want {
				t.Errorf("Fold(%+q) = %+q, want %+q like Fold(%+q)", s, got, want, g[0])
			}
		}
	}
}
