package ingest

import (
	"strings"
	"testing"
)

// FuzzConvert reads one row of arbitrary cells (what a spreadsheet cell or
// a CSV field can hold) under the default columns. Strict reading either
// fails with a row error naming a field, or gives a record that passes the
// registry's validation; lenient reading (the analysts' tools) never fails
// on a value, only warns.
func FuzzConvert(f *testing.F) {
	header := []string{"record_id", "source", "full_name", "given_name", "family_name", "father_name",
		"birth_year", "age", "gender", "city", "province", "event_date", "status", "national_id"}
	f.Add("1\x1forg\x1fمحمدرضا حسینی\x1f\x1f\x1fعلی\x1f۱۳۷۰\x1f\x1fمرد\x1fکرج\x1fالبرز\x1f۱۴۰۱/۰۷/۰۲\x1fکشته\x1f0012345679")
	f.Add("2\x1f\x1fHOSSEINI, Mohammad-Reza\x1f\x1f\x1f\x1f\x1f34\x1fmännlich\x1fKaraj\x1f\x1f2022-09-24\x1fgetötet\x1f")
	f.Add("x\x1f\x1f\x1fSara\x1fAhmadi\x1f\x1f1990 (approx)\x1fabout 30\x1fF\x1f\x1f\x1f24/09/2022\x1fdisparue\x1f123")
	f.Add("\x1f\x1f\x1f\x1f\x1f\x1f99999\x1f-3\x1f?\x1f\x1f\x1f1403/12/31\x1fexecuted\x1f")
	cols, err := ResolveColumns(header, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, row string) {
		cells := strings.Split(row, "\x1f")
		got, err := cols.Convert(cells, ParseOptions{})
		if err == nil {
			if got.Record.ExternalID == "" {
				got.Record.ExternalID = "content-key" // the import derives one from the row
			}
			if verr := got.Record.Validate(); verr != nil {
				t.Fatalf("accepted a row whose record is invalid: %v\n%q", verr, cells)
			}
		} else if fe, ok := err.(*FieldError); ok && fe.Field == "" {
			t.Fatalf("a field error without its field: %v", err)
		}
		// Lenient reading may refuse only a row that names no one.
		if _, err := cols.Convert(cells, ParseOptions{Lenient: true}); err != nil {
			if fe, ok := err.(*FieldError); !ok || fe.Field != FFullName {
				t.Fatalf("lenient reading failed on a value: %v\n%q", err, cells)
			}
		}
	})
}
