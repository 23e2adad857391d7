package estimate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadCounts(t *testing.T) {
	tests := []struct {
		file      string
		lists     []string
		counts    map[uint32]int
		warnings  int
		errSubstr string
	}{
		{file: "two_lists.csv", lists: []string{"a", "b"}, counts: map[uint32]int{1: 300, 2: 150, 3: 50}},
		{file: "zero_row.csv", lists: []string{"a", "b"}, counts: map[uint32]int{1: 3, 2: 4, 3: 3}, warnings: 1},
		{file: "bad_cell.csv", errSubstr: `line 3, column "b"`},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			tab, warnings, err := ReadCounts(f)
			if tc.errSubstr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errSubstr) {
					t.Fatalf("error %v, want one containing %q", err, tc.errSubstr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(tab.Lists, ",") != strings.Join(tc.lists, ",") || len(warnings) != tc.warnings {
				t.Errorf("lists %v warnings %v", tab.Lists, warnings)
			}
			if len(tab.Counts) != len(tc.counts) {
				t.Errorf("counts %v, want %v", tab.Counts, tc.counts)
			}
			for h, c := range tc.counts {
				if tab.Counts[h] != c {
					t.Errorf("history %b: %d, want %d", h, tab.Counts[h], c)
				}
			}
		})
	}
}

func TestReadCountsRejects(t *testing.T) {
	tests := []struct{ name, csv, errSubstr string }{
		{"empty", "", "empty"},
		{"no count column", "a,b\n1,0\n", "no column named count"},
		{"one list", "a,count\n1,5\n", "need between"},
		{"negative count", "a,b,count\n1,0,-2\n", `line 2, column "count"`},
		{"ragged", "a,b,count\n1,0\n", "wrong number of fields"},
		{"nobody observed", "a,b,count\n1,0,0\n", "no one is observed"},
		{"duplicate list", "a,A,count\n1,0,1\n", "appears twice"},
	}
	for _, tc := range tests {
		_, _, err := ReadCounts(strings.NewReader(tc.csv))
		if err == nil || !strings.Contains(err.Error(), tc.errSubstr) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.errSubstr)
		}
	}
}

func TestFromRows(t *testing.T) {
	tab, err := FromRows([]string{"a", "b"}, []Row{{[]bool{true, false}, 2}, {[]bool{true, true}, 1}, {[]bool{true, false}, 3}})
	if err != nil || tab.Counts[1] != 5 || tab.Counts[3] != 1 || tab.Observed() != 6 {
		t.Errorf("table %+v, err %v", tab, err)
	}
	if _, err := FromRows([]string{"a", "b"}, []Row{{[]bool{false, false}, 2}}); err == nil {
		t.Error("row on no list accepted")
	}
	if _, err := FromRows([]string{"a", "b"}, []Row{{[]bool{true}, 2}}); err == nil {
		t.Error("short row accepted")
	}
}

// FuzzReadCounts checks that any input either fails cleanly or yields a
// table that validates.
func FuzzReadCounts(f *testing.F) {
	for _, name := range []string{"two_lists.csv", "three_lists.csv", "zero_row.csv", "bad_cell.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, in string) {
		tab, _, err := ReadCounts(strings.NewReader(in))
		if err == nil {
			if verr := tab.Validate(); verr != nil {
				t.Errorf("ReadCounts accepted an invalid table: %v", verr)
			}
		}
	})
}
