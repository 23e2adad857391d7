package persian

import (
	"strings"
	"testing"
)

// TestMonthWords checks that every month spelling in the tables is found
// through the same folding that ParseDate applies to input.
func TestMonthWords(t *testing.T) {
	for i, jm := range jalaliMonths {
		for _, w := range append([]string{jm.persian, jm.latin}, strings.Fields(jm.variants)...) {
			info, ok := lookupDateWord(Fold(w))
			if !ok || info.kind != wordMonth || info.cal != Jalali || info.month != i+1 {
				t.Errorf("%q: got %+v, want Jalali month %d", w, info, i+1)
			}
		}
	}
	for i, names := range gregorianMonths {
		for _, w := range strings.Fields(names) {
			info, ok := lookupDateWord(Fold(w))
			if !ok || info.kind != wordMonth || info.cal != Gregorian || info.month != i+1 {
				t.Errorf("%q: got %+v, want Gregorian month %d", w, info, i+1)
			}
		}
	}
	for m, want := range map[int]string{1: "January", 3: "March", 12: "December", 0: "", 13: ""} {
		if got := gregorianMonthName(m); got != want {
			t.Errorf("gregorianMonthName(%d) = %q, want %q", m, got, want)
		}
	}
}
