package web

import (
	"maps"
	"slices"
	"testing"
)

// TestTranslations checks that every language has every key, and no empty
// text.
func TestTranslations(t *testing.T) {
	msgs, err := loadTranslations()
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(maps.Keys(msgs[languages[0]]))
	for _, lang := range languages {
		got := slices.Sorted(maps.Keys(msgs[lang]))
		if !slices.Equal(got, want) {
			t.Errorf("%s has keys %v, want %v", lang, got, want)
		}
		for k, v := range msgs[lang] {
			if v == "" {
				t.Errorf("%s: %s is empty", lang, k)
			}
		}
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	tests := []struct{ header, want string }{
		{"", "en"},
		{"fa", "fa"},
		{"FA-ir", "fa"},
		{"fa-IR,fa;q=0.9,en-US;q=0.8", "fa"},
		{"en-US,en;q=0.9,fa;q=0.8", "en"},
		{"de-DE,de;q=0.9,fa;q=0.7", "fa"},
		{"de-DE,sv;q=0.9", "en"},
		{"en;q=0.2, fa;q=0.8", "fa"},
		{"fa;q=0", "en"},
		{"fa;q=bogus", "en"},
		{"*", "en"},
	}
	for _, tt := range tests {
		if got := fromAcceptLanguage(tt.header); got != tt.want {
			t.Errorf("fromAcceptLanguage(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0"},
		{"en", 999, "999"},
		{"en", 1000, "1,000"},
		{"en", 1234567, "1,234,567"},
		{"en", -4500, "-4,500"},
		{"fa", 0, "۰"},
		{"fa", 35000, "۳۵٬۰۰۰"},
		{"fa", 404, "۴۰۴"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.lang, tt.n); got != tt.want {
			t.Errorf("formatNumber(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}
