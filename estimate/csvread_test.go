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
		{file: "zero_row.csv", lists: []string{"a", "b"}, counts: map[uint32]int{1: 3, 2: 4, 3: 3}, warnings: 2}, // the all-zero row, and 1,1 on two lines
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
		{"no count column", "a,b\n1,0\n", "no count column"},
		{"two count columns", "a,b,count,Count\n1,0,1,1\n", "two count columns"},
		{"two other count names", "a,b,n,freq\n1,0,1,1\n", `two count columns, "n" and "freq"`},
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
	f.Add("a;b;Anzahl\nja;x;3\n1;;2\n1;;2\n")
	f.Fuzz(func(t *testing.T, in string) {
		tab, _, err := ReadCounts(strings.NewReader(in))
		if err == nil {
			if verr := tab.Validate(); verr != nil {
				t.Errorf("ReadCounts accepted an invalid table: %v", verr)
			}
		}
	})
}

// A history on several rows is summed, with one warning per history that
// names its lines: a silent sum hid a pasted row from the analyst.
func TestReadCountsRepeatedHistory(t *testing.T) {
	tests := []struct {
		name, csv, stratum string
		observed           int
		want               []string // the repeat warnings, in order
	}{
		{"none", "a,b,c,count\n1,0,1,5\n0,1,0,3\n", "", 8, nil},
		{"twice", "a,b,c,count\n1,0,1,5\n0,1,0,3\n1,0,1,2\n", "", 10,
			[]string{"history 1,0,1 appears on lines 2 and 4: their counts are added"}},
		{"three times and another twice", "a,b,c,count\n1,0,1,5\n0,1,0,3\n1,0,1,2\n0,1,0,1\n1,0,1,1\n", "", 12,
			[]string{"history 1,0,1 appears on lines 2, 4 and 6: their counts are added", "history 0,1,0 appears on lines 3 and 5: their counts are added"}},
		{"many", "a,b,count\n1,0,1\n1,0,1\n1,0,1\n1,0,1\n1,0,1\n1,0,1\n1,0,1\n1,0,1\n0,1,1\n", "", 9,
			[]string{"history 1,0 appears on lines 2, 3, 4, 5, 6 and 3 more: their counts are added"}},
		{"other stratum is no repeat", "p,a,b,count\nx,1,0,5\ny,1,0,5\nx,0,1,1\ny,0,1,1\n", "p", 12, nil},
		{"same stratum", "p,a,b,count\nx,1,0,5\ny,1,0,5\nx,1,0,1\nx,0,1,1\n", "p", 12,
			[]string{`history 1,0 in stratum "x" appears on lines 2 and 4: their counts are added`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, warnings, err := ReadStrata(strings.NewReader(tc.csv), tc.stratum)
			if err != nil {
				t.Fatal(err)
			}
			observed := 0
			for _, tab := range st.Tables {
				observed += tab.Observed()
			}
			var got []string
			for _, w := range warnings {
				if strings.HasPrefix(w.Message, "history ") {
					got = append(got, w.String())
				}
			}
			if observed != tc.observed || strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("observed %d, warnings %q; want %d, %q", observed, got, tc.observed, tc.want)
			}
		})
	}
}

// The delimiter is sniffed from the header line: European Excel saves
// "CSV" with semicolons, and a tab or | is common too.
func TestReadCountsDelimiter(t *testing.T) {
	tests := []struct {
		name, csv string
		lists     string
	}{
		{"comma", "a,b,count\n1,0,30\n0,1,20\n1,1,10\n", "a,b"},
		{"semicolon", "a;b;count\r\n1;0;30\r\n0;1;20\r\n1;1;10\r\n", "a,b"},
		{"semicolon with BOM and spaces", "\ufeff a ; b ; count \n1; 0; 30\n0; 1; 20\n1; 1; 10\n", "a,b"},
		{"tab", "a\tb\tcount\n1\t0\t30\n0\t1\t20\n1\t1\t10\n", "a,b"},
		{"tab with blank marks", "a\tb\tcount\nx\t\t30\n\tx\t20\nx\tx\t10\n", "a,b"},
		{"pipe", "a|b|count\n1|0|30\n0|1|20\n1|1|10\n", "a,b"},
		{"semicolons inside quotes", "\"a;x\",b,count\n1,0,30\n0,1,20\n1,1,10\n", "a;x,b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, warnings, err := ReadCounts(strings.NewReader(tc.csv))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(tab.Lists, ",") != tc.lists || tab.Observed() != 60 || tab.Counts[3] != 10 {
				t.Errorf("lists %q table %v warnings %v", tab.Lists, tab.Counts, warnings)
			}
		})
	}
}

// The count column goes by other names too; a header without one says which
// columns it has and what is likely wrong.
func TestReadCountsCountColumn(t *testing.T) {
	tests := []struct {
		name, header string
		lists        string   // when read
		errs         []string // substrings of the error otherwise
	}{
		{"Count", "a,b,Count", "a,b", nil},
		{"n", "a,b, N ", "a,b", nil},
		{"freq", "freq,a,b", "a,b", nil},
		{"frequency", "a,b,Frequency", "a,b", nil},
		{"Anzahl", "a;b;Anzahl", "a,b", nil},
		{"nombre", "a;b;NOMBRE", "a,b", nil},
		{"تعداد", "الف,ب,تعداد", "الف,ب", nil},
		{"count wins over n", "n,b,count", "n,b", nil},
		{"no count", "a,b,c", "", []string{`no count column among the 3 columns read (comma delimited): "a", "b", "c"`, "add a column count with 1 on every row"}},
		{"count-like name", "a,b,person_count", "", []string{`column "person_count" looks like the count: rename it count`}},
		{"country is not a count", "a,b,country", "", []string{"no count column", "add a column count"}},
		{"one column", "a:b:count", "", []string{`1 columns read (comma delimited): "a:b:count"`, "delimited by something other than"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.header + "\n1,0,30\n0,1,20\n1,1,10\n"
			if strings.Contains(tc.header, ";") {
				in = strings.ReplaceAll(in, ",", ";")
			}
			if strings.HasPrefix(tc.header, "freq") {
				in = tc.header + "\n30,1,0\n20,0,1\n10,1,1\n"
			}
			tab, _, err := ReadCounts(strings.NewReader(in))
			if tc.errs == nil {
				if err != nil || strings.Join(tab.Lists, ",") != tc.lists || tab.Observed() != 60 {
					t.Fatalf("lists %q observed %d, err %v", tab.Lists, tab.Observed(), err)
				}
				return
			}
			for _, want := range tc.errs {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("error %v, want one containing %q", err, want)
				}
			}
		})
	}
}

// List cells written as spreadsheets write them: yes/no, TRUE/FALSE, x or
// ✓ with blanks. A column keeps one way: a stray x in a 0/1 column, or a
// blank in a column that writes 0, skips its row.
func TestReadCountsListCells(t *testing.T) {
	tests := []struct {
		name, csv string
		counts    map[uint32]int
		warnings  []string
	}{
		{"yes/no", "a,b,count\nyes,no,30\nNo,Yes,20\nYES,yes,10\n", map[uint32]int{1: 30, 2: 20, 3: 10}, []string{`list columns not written 0/1, read as "a": yes or true = 1, no or false = 0; "b": yes or true`}},
		{"true/false", "a,b,count\nTRUE,FALSE,30\nFALSE,TRUE,20\nTRUE,TRUE,10\n", map[uint32]int{1: 30, 2: 20, 3: 10}, []string{`"b": yes or true = 1, no or false = 0`}},
		{"x and blank", "a,b,count\nx,,30\n,X,20\nx,x,10\n", map[uint32]int{1: 30, 2: 20, 3: 10}, []string{`"a": x or ✓ = 1, blank = 0; "b": x or ✓ = 1, blank = 0`}},
		{"ticks", "a,b,count\n✓,,30\n,✔,20\n✓,✓,10\n", map[uint32]int{1: 30, 2: 20, 3: 10}, []string{`"b": x or ✓ = 1, blank = 0`}},
		{"plain 0/1 says nothing", "a,b,count\n1,0,30\n0,1,20\n1,1,10\n", map[uint32]int{1: 30, 2: 20, 3: 10}, nil},
		{"1 and blank", "a,b,count\n1,,30\n,1,20\n1,1,10\n", map[uint32]int{1: 30, 2: 20, 3: 10}, []string{`read as "a": 1, blank = 0; "b": 1, blank = 0`}},
		{"blank in a 0/1 column", "a,b,count\n1,0,30\n0,1,20\n1,,5\n1,1,10\n", map[uint32]int{1: 30, 2: 20, 3: 10}, []string{`line 4: skipped: column "b": "" is not 0 or 1`}},
		{"stray x in a 0/1 column", "a,b,count\n1,0,30\n0,1,20\nx,1,5\n1,1,10\n", map[uint32]int{1: 30, 2: 20, 3: 10}, []string{`line 4: skipped: column "a": "x" is not 0 or 1`}},
		{"2 is no mark", "a,b,count\n1,0,30\n0,2,20\n1,1,10\n", map[uint32]int{1: 30, 3: 10}, []string{`"2" is not 0 or 1`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, warnings, err := ReadCounts(strings.NewReader(tc.csv))
			if err != nil {
				t.Fatal(err)
			}
			all := ""
			for _, w := range warnings {
				all += w.String() + "\n"
			}
			if len(tab.Counts) != len(tc.counts) {
				t.Errorf("counts %v, want %v", tab.Counts, tc.counts)
			}
			for h, c := range tc.counts {
				if tab.Counts[h] != c {
					t.Errorf("history %b: %d, want %d", h, tab.Counts[h], c)
				}
			}
			for _, want := range tc.warnings {
				if !strings.Contains(all, want) {
					t.Errorf("warnings %q lack %q", all, want)
				}
			}
			if tc.warnings == nil && all != "" {
				t.Errorf("unexpected warnings %q", all)
			}
		})
	}
}
