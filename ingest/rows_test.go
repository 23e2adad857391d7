package ingest_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"peyvand/ingest"
)

// TestRowsOrderAndErrors reads a file of thousands of rows, some with an
// odd value (a warning in lenient mode) and some that cannot be read:
// fn must see every row in file order, on one goroutine, whatever the
// workers' timing, and prepare's result must travel with its row.
func TestRowsOrderAndErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("record_id,full_name,birth_year,status\n")
	const n = 5000
	for i := 1; i <= n; i++ {
		year := strconv.Itoa(1950 + i%50)
		if i%97 == 0 {
			year = "soon" // an odd value: a warning when lenient
		}
		status := "killed"
		if i%211 == 0 {
			status = "xyzzy" // a bad row when strict
		}
		fmt.Fprintf(&b, "%d,Name %d,%s,%s\n", i, i, year, status)
	}
	path := filepath.Join(t.TempDir(), "many.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, lenient := range []bool{true, false} {
		opt := ingest.Options{Parse: ingest.ParseOptions{Lenient: lenient}}
		var ids []int
		warnings, bad := 0, 0
		_, err := ingest.MapRows(path, opt, func(row ingest.Row, err error) string {
			return row.Record.ExternalID
		}, func(row ingest.Row, err error, id string) error {
			if id != row.Record.ExternalID {
				t.Fatalf("line %d: prepared %q for row %q", row.Line, id, row.Record.ExternalID)
			}
			var re *ingest.RowError
			if err != nil && !errors.As(err, &re) {
				t.Fatalf("line %d: %v is no RowError", row.Line, err)
			}
			if err != nil {
				bad++
			}
			warnings += len(row.Warnings)
			if row.Source != "many" {
				t.Fatalf("line %d: source %q, want the file's name", row.Line, row.Source)
			}
			ids = append(ids, row.Line)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != n {
			t.Fatalf("lenient %v: %d rows, want %d", lenient, len(ids), n)
		}
		for i, line := range ids {
			if line != i+2 {
				t.Fatalf("lenient %v: row %d has line %d: out of order", lenient, i, line)
			}
		}
		t.Logf("lenient %v: %d warnings, %d bad rows", lenient, warnings, bad)
		if lenient && (warnings == 0) || !lenient && bad == 0 {
			t.Errorf("lenient %v: %d warnings, %d bad rows", lenient, warnings, bad)
		}
	}
	// fn's error ends the read at once.
	stop := errors.New("enough")
	seen := 0
	_, err := ingest.Rows(path, ingest.Options{}, func(row ingest.Row, err error) error {
		seen++
		if seen == 1000 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || seen != 1000 {
		t.Errorf("after fn failed: err %v, %d rows seen", err, seen)
	}
}
