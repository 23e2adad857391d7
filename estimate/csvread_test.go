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
		{file: "bad_cell.csv", lists: []string{"a", "b"}, counts: map[uint32]int{1: 3}, warnings: 1},
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
		{"only bad rows", "a,b,count\n1,0,-2\n1,0\n", "no one is observed"},
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

// One odd row is a warning that names its line and column, never the end
// of an analyst's run.
func TestReadCountsSkipsBadRows(t *testing.T) {
	tab, warnings, err := ReadCounts(strings.NewReader("a,b,count\n1,0,30\n1,x,4\n0,1,-2\n1,1\n1,1,10\n0,1,20\n"))
	if err != nil || tab.Observed() != 60 || len(warnings) != 3 {
		t.Fatalf("table %+v, warnings %v, err %v", tab, warnings, err)
	}
	all := ""
	for _, w := range warnings {
		all += w.String() + "\n"
	}
	for _, want := range []string{`line 3: skipped: column "b"`, `line 4: skipped: column "count"`, "line 5: skipped: 2 fields"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings %q lack %q", all, want)
		}
	}
}

func TestReadStrata(t *testing.T) {
	in := "province,a,b,count\nTehran,1,0,30\nTehran,0,1,20\nTehran,1,1,10\nKurdistan,1,0,5\nKurdistan,1,1,1\nEmpty,1,0,0\n"
	st, warnings, err := ReadStrata(strings.NewReader(in), "province")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(st.Names, ",") != "Tehran,Kurdistan" || st.Tables["Tehran"].Observed() != 60 || st.Tables["Kurdistan"].Observed() != 6 {
		t.Fatalf("strata %+v", st)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0].Message, `"Empty" dropped`) {
		t.Fatalf("warnings %v", warnings)
	}
	if _, _, err := ReadStrata(strings.NewReader(in), "period"); err == nil || !strings.Contains(err.Error(), `no column named "period"`) {
		t.Fatalf("missing strata column: %v", err)
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
