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
		{file: "bad_cell.csv", lists: []string{"a", "b"}, counts: map[uint32]int{1: 3}, warnings: 2},             // the row, and that the table is incomplete
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
	if err != nil || tab.Observed() != 60 || len(warnings) != 4 {
		t.Fatalf("table %+v, warnings %v, err %v", tab, warnings, err)
	}
	all := ""
	for _, w := range warnings {
		all += w.String() + "\n"
	}
	for _, want := range []string{"TABLE IS INCOMPLETE: 3 rows of the file could not be read (lines 3, 4 and 5",
		`line 3: skipped: column "b" (column 2): "x" is not 0 or 1`, `line 4: skipped: column "count" (column 3): "-2" is negative`, `line 5: skipped: column "count" (column 3): the count is blank`} {
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
		{"count and n", "n,b,count", "", []string{`two count columns, "n" and "count": each could hold the counts; rename the one that is a list`}},
		{"a list headed count", "count,b,N", "", []string{`two count columns, "count" and "N"`, "rename the one that is a list"}},
		{"three", "n,count,freq", "", []string{`3 count columns, "n", "count" and "freq"`}},
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
		{"blank in a 0/1 column", "a,b,count\n1,0,30\n0,1,20\n1,,5\n1,1,10\n", map[uint32]int{1: 30, 2: 20, 3: 10}, []string{`line 4: skipped: column "b" (column 2): "" is not 0 or 1`}},
		{"stray x in a 0/1 column", "a,b,count\n1,0,30\n0,1,20\nx,1,5\n1,1,10\n", map[uint32]int{1: 30, 2: 20, 3: 10}, []string{`line 4: skipped: column "a" (column 1): "x" is not 0 or 1`}},
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

// The outside tester's field-style files (estimate/testdata/field): each
// is read to the table its author meant, with a warning where something
// was read otherwise, and the first warning says the table is incomplete
// when a row was skipped.
func TestReadCountsField(t *testing.T) {
	baseline := map[uint32]int{1: 120, 2: 90, 4: 75, 3: 40, 5: 30, 6: 25, 7: 12}
	thousands := map[uint32]int{1: 1234, 2: 2090, 4: 875, 3: 340, 5: 230, 6: 425, 7: 112}
	tests := []struct {
		file     string
		stratum  string
		counts   map[uint32]int // of the only stratum, when there is one
		observed int
		warnings []string // substrings, in order
		first    string   // a prefix of the first warning
	}{
		{file: "thousands_comma.csv", counts: thousands},
		{file: "thousands_dot.csv", counts: thousands},
		{file: "thousands_persian.csv", counts: thousands},
		{file: "mixed_persian_digits.csv", counts: baseline},
		{file: "persian_digits.csv", counts: baseline},
		{file: "arabic_indic_digits.csv", counts: baseline},
		{file: "float_counts.csv", counts: baseline},
		{file: "float_cells.csv", counts: baseline},
		{file: "bom_crlf.csv", counts: baseline},
		{file: "negative_count.csv", counts: map[uint32]int{1: 120, 4: 75, 3: 40, 5: 30, 6: 25, 7: 12},
			first:    "THE TABLE IS INCOMPLETE: 1 row of the file could not be read (line 3, see below) and the estimate leaves their people out",
			warnings: []string{`line 3: skipped: column "count" (column 4): "-90" is negative`}},
		{file: "dash.csv", counts: baseline, warnings: []string{`read as "A": 1, - = 0`}},
		{file: "bale_kheir.csv", counts: baseline, warnings: []string{`"الف": بله = 1, خیر = 0`}},
		{file: "ja_nein.csv", counts: baseline, warnings: []string{`"Liste_A": ja = 1, nein = 0`}},
		{file: "oui_non.csv", counts: baseline, warnings: []string{`oui = 1, non = 0`}},
		{file: "notes_column.csv", counts: baseline,
			warnings: []string{`column "notes" is not a list: 2 of its 2 filled cells are not list marks such as 1, 0, x or yes (values "from NGO A only", "checked"); the column is left out`}},
		{file: "region_code.csv", counts: baseline,
			warnings: []string{`column "region" is not a list: its header names a stratum`, "--strata region"}},
		{file: "region_01.csv", counts: map[uint32]int{1: 240, 2: 180, 4: 150, 3: 80, 5: 60, 6: 50, 7: 24},
			warnings: []string{`column "region" is not a list`, `(values "1", "0")`, "--strata region"}},
		{file: "trailing_commas.csv", counts: baseline},
		{file: "trailing_commas_data.csv", counts: baseline},
		{file: "comment_lines.csv", counts: baseline},
		{file: "excel_sep.csv", counts: baseline},
		{file: "windows1256.csv", counts: baseline},
		{file: "utf16le.txt", counts: baseline},
		{file: "total_row.csv", counts: baseline, warnings: []string{`line 9: a total row ("Total") ignored`}},
		{file: "total_row_unlabelled.csv", counts: baseline, warnings: []string{"line 9: a row on no list with count 392, the sum of the other rows, ignored as a total row"}},
		{file: "strata_arabic_letters.csv", stratum: "province", observed: 531,
			warnings: []string{`stratum "کردستان": the spellings "کردستان" and "كردستان" are read as one stratum`}},
		{file: "strata_blank.csv", stratum: "province", observed: 531,
			warnings: []string{`the stratum is blank on line 11: those rows are put in a stratum named "unknown"`}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			st, warnings, err := readField(t, tc.file, tc.stratum)
			if err != nil {
				t.Fatalf("%v (warnings %v)", err, warnings)
			}
			all := ""
			for _, w := range warnings {
				all += w.String() + "\n"
			}
			if tc.counts != nil {
				tab := st.Tables[st.Names[0]]
				if len(st.Names) != 1 || len(tab.Counts) != len(tc.counts) {
					t.Fatalf("strata %v, want one with %v; warnings %q", st, tc.counts, all)
				}
				for h, c := range tc.counts {
					if tab.Counts[h] != c {
						t.Errorf("history %03b: %d, want %d", h, tab.Counts[h], c)
					}
				}
			}
			observed := 0
			for _, tab := range st.Tables {
				observed += tab.Observed()
			}
			if tc.observed != 0 && observed != tc.observed {
				t.Errorf("observed %d, want %d", observed, tc.observed)
			}
			inOrder(t, all, tc.warnings)
			if tc.warnings == nil && tc.first == "" && all != "" {
				t.Errorf("unexpected warnings %q", all)
			}
			if tc.first != "" && (len(warnings) == 0 || !strings.HasPrefix(warnings[0].Message, tc.first)) {
				t.Errorf("first warning of %q is not %q", all, tc.first)
			}
		})
	}
}

// Stratum values are one stratum whatever the keyboard (Arabic ي/ك),
// digits, spacing or Latin case, named by the most common spelling as
// written (trimmed, Persian digits kept), the first on a tie.
func TestReadStrataNames(t *testing.T) {
	in := "province,a,b,count\nTehran,1,0,30\n tehran ,0,1,20\nTEHRAN,1,1,10\nكردستان,1,0,5\nکردستان,1,1,1\nzone ۱,1,0,2\nzone 1,1,1,3\n,1,1,4\n"
	st, warnings, err := ReadStrata(strings.NewReader(in), "Province")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(st.Names, "|"); got != "Tehran|كردستان|zone ۱|unknown" {
		t.Errorf("strata %q", got)
	}
	if st.Tables["Tehran"].Observed() != 60 || st.Tables["كردستان"].Observed() != 6 || st.Tables["zone ۱"].Observed() != 5 {
		t.Errorf("tables %v", st.Tables)
	}
	all := ""
	for _, w := range warnings {
		all += w.String() + "\n"
	}
	for _, want := range []string{`the stratum is blank on line 9: those rows are put in a stratum named "unknown"`,
		`stratum "Tehran": the spellings "Tehran", "tehran" and "TEHRAN" are read as one stratum`} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings %q lack %q", all, want)
		}
	}
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
		err  string
	}{
		{"120", 120, ""}, {" 7 ", 7, ""}, {"0", 0, ""},
		{"1,234", 1234, ""}, {"1.234", 1234, ""}, {"1.234.567", 1234567, ""}, {"1,234,567", 1234567, ""},
		{"۱٬۲۳۴", 1234, ""}, {"١٢٣", 123, ""}, {"1 234", 1234, ""}, {"1\u00a0234", 1234, ""}, {"1'234", 1234, ""},
		{"120.0", 120, ""}, {"120,0", 120, ""}, {"1,234.00", 1234, ""}, {"1.234,0", 1234, ""}, {"۱۲۰٫۰", 120, ""},
		{"-90", 0, "is negative"}, {"1.5", 0, "is a fraction"}, {"12.34", 0, "is a fraction"}, {"1234.567", 0, "is a fraction"},
		{"1,23", 0, "is a fraction"}, {"1,000,0", 0, "not a number"}, {"1.234,567", 0, "not a number"},
		{"abc", 0, "not a number"}, {"", 0, "blank"}, {"12a", 0, "not a number"},
		{"2000000000000", 0, "more than"}, {"99999999999999999999", 0, "more than"},
		// A plus sign is no fraction, and minus zero is zero.
		{"+120", 120, ""}, {" +1,234 ", 1234, ""}, {"+۱۲۰", 120, ""}, {"+0", 0, ""},
		{"-0", 0, ""}, {"−0", 0, ""}, {"-0.0", 0, ""}, {"-۰", 0, ""},
		{"+", 0, "not a number"}, {"+-5", 0, "not a number"}, {"++5", 0, "not a number"}, {"+1.5", 0, "is a fraction"},
		{"-1", 0, "is negative"}, {"−7", 0, "is negative"},
	}
	for _, tc := range tests {
		got, err := ParseCount(tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ParseCount(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseCount(%q) = %d, %v; want an error containing %q", tc.in, got, err, tc.err)
		}
	}
}

// Columns that are not lists are left out, not read as lists, whatever
// their values; genuine list columns with one stray value stay lists.
func TestReadCountsNotAList(t *testing.T) {
	tests := []struct {
		name, csv, stratum string
		lists              string
		observed           int
		warnings           []string
	}{
		{"year", "a,b,year,count\n1,0,1401,3\n0,1,1402,4\n1,1,1401,5\n", "", "a,b", 12,
			[]string{`column "year" is not a list: its header names a stratum, not a list (values "1401", "1402")`, "--strata year"}},
		{"Persian province coded 0/1", "a,b,استان,count\n1,0,0,3\n0,1,1,4\n1,1,1,5\n", "", "a,b", 12,
			[]string{`column "استان" is not a list: its header names a stratum`, "--strata استان"}},
		{"province is the stratum, region is not", "a,b,region,province,count\n1,0,1,x,3\n0,1,2,x,4\n1,1,3,y,5\n", "province", "a,b", 12,
			[]string{`column "region" is not a list`}},
		{"codes 1/2/3", "a,b,zone,count\n1,0,1,3\n0,1,2,4\n1,1,3,5\n1,0,2,1\n", "", "a,b", 13,
			[]string{`column "zone" is not a list: 3 of its 4 filled cells are not list marks`, `(values "1", "2", "3")`, "--strata zone"}},
		{"free text is no stratum", "a,b,notes,count\n1,0,seen twice,3\n0,1,,4\n1,1,ok,5\n", "", "a,b", 12,
			[]string{`column "notes" is not a list`, "the column is left out\n"}},
		{"one stray value stays a list", "a,b,c,count\n1,0,1,3\n0,1,0,4\n1,1,2,5\n1,0,0,1\n", "", "a,b,c", 8,
			[]string{"TABLE IS INCOMPLETE: 1 row", `line 4: skipped: column "c" (column 3): "2" is not 0 or 1`}},
		{"empty unnamed column", "a,,b,count\n1,,0,3\n0,,1,4\n", "", "a,b", 7, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, warnings, err := ReadStrata(strings.NewReader(tc.csv), tc.stratum)
			if err != nil {
				t.Fatal(err)
			}
			all := ""
			for _, w := range warnings {
				all += w.String() + "\n"
			}
			observed := 0
			for _, tab := range st.Tables {
				observed += tab.Observed()
			}
			if lists := strings.Join(st.Tables[st.Names[0]].Lists, ","); lists != tc.lists || observed != tc.observed {
				t.Errorf("lists %q observed %d, want %q %d; warnings %q", lists, observed, tc.lists, tc.observed, all)
			}
			for _, want := range tc.warnings {
				if !strings.Contains(all, want) {
					t.Errorf("warnings %q lack %q", all, want)
				}
			}
			if strings.Contains(all, "appears on lines") {
				t.Errorf("rows told apart by a column left out are no repeat: %q", all)
			}
			if tc.warnings == nil && all != "" {
				t.Errorf("unexpected warnings %q", all)
			}
		})
	}
	if _, _, err := ReadCounts(strings.NewReader("a,,b,count\n1,5,0,3\n")); err == nil || !strings.Contains(err.Error(), `column 2: the column has no name, yet holds "5" on line 2`) {
		t.Errorf("unnamed column with values: %v", err)
	}
}

// The second outside test's files (estimate/testdata/field): a list
// headed count beside a column n; subtotal rows in a stratified file;
// plus signs and minus zeros; strata labels as written, Persian digits
// kept; provinces written in two scripts.
func TestReadStrataFieldProbe6(t *testing.T) {
	n20 := map[uint32]int{1: 120, 2: 90, 4: 1080, 3: 30, 5: 25, 6: 20, 7: 27}
	n16 := map[uint32]int{1: 120, 2: 90, 4: 80, 3: 30, 5: 25, 6: 20, 7: 27}
	tests := []struct {
		file, stratum string
		err           []string       // substrings of the error, when it fails
		names         string         // the strata, joined by |
		counts        map[uint32]int // of the first stratum
		observed      int
		warnings      []string // substrings, in this order
		absent        []string // substrings no warning may have
		nWarnings     int      // how many warnings, when not -1
	}{
		{file: "list_named_count.csv", err: []string{`line 1: two count columns, "count" and "n"`, "rename the one that is a list"}},
		{file: "odd_numbers.csv", names: "", counts: n20, observed: 1392, nWarnings: 0},
		{file: "negative_zero_count.csv", names: "", counts: map[uint32]int{1: 120, 2: 90, 4: 80, 3: 30, 5: 25, 6: 20, 7: 0}, observed: 365, nWarnings: 0},
		{file: "negative_zero_cells.csv", names: "", counts: n16, observed: 392, nWarnings: 1,
			warnings: []string{`line 9: ignored: its count is 0, so it adds no one, but column "B" (column 2): "-0" is not 0 or 1`},
			absent:   []string{"INCOMPLETE", "skipped"}},
		{file: "strata_subtotals.csv", stratum: "province", names: "تهران|کردستان", observed: 588, nWarnings: 3,
			warnings: []string{`line 9: a subtotal row of stratum "تهران" (count 392, the sum of its rows) ignored`,
				`line 17: a subtotal row of stratum "کردستان" ignored: its count, 200, differs from 196, the sum of the stratum's rows`,
				`line 18: a subtotal row of stratum "سیستان" ignored: the stratum has no rows by list`, "leaves out its 50 people"},
			absent: []string{"INCOMPLETE", "skipped", "is not 0 or 1"}},
		{file: "strata_subtotals_marks.csv", stratum: "province", names: "Tehran|Ilam", observed: 66, nWarnings: 3,
			warnings: []string{`"A": x or ✓ = 1, blank = 0`, `line 5: a subtotal row of stratum "Tehran" (count 60, the sum of its rows) ignored`,
				`line 8: a row with no stratum and no list, count 66, ignored as a total row`},
			absent: []string{"on no list", "INCOMPLETE", "blank on line", "differs"}},
		{file: "strata_jalali_months.csv", stratum: "ماه", names: "دی ۱۴۰۴|بهمن ۱۴۰۴", counts: map[uint32]int{1: 30, 2: 20, 3: 10}, observed: 72, nWarnings: 0},
		{file: "strata_digit_variants.csv", stratum: "month", names: "دی ۱۴۰۴", observed: 392, nWarnings: 1,
			warnings: []string{`stratum "دی ۱۴۰۴": the spellings "دی ۱۴۰۴", "دی 1404" and "دي ١٤٠٤" are read as one stratum`}},
		{file: "strata_province_scripts.csv", stratum: "province", names: "تهران|Kurdistan|zone 1", counts: map[uint32]int{1: 30, 2: 20, 3: 10}, observed: 75, nWarnings: 3,
			warnings: []string{`stratum "تهران": the spellings "Tehran" and "تهران" (names of one province) are read as one stratum`,
				`stratum "Kurdistan": the spellings "Kurdistan", "Kordestan" and "کردستان" (names of one province) are read as one stratum`,
				`stratum "zone 1": the spellings "zone 1" and "zone ۱" are read as one stratum`},
			absent: []string{"appears on lines", `"zone 1" and "zone ۱" (names`}},
		{file: "strata_province_many.csv", stratum: "province", names: "تهران|Kurdistan|Isfahan|Ilam Province", observed: 83, nWarnings: 1,
			warnings: []string{"4 strata are written in more than one way", `named by its most common spelling: stratum "تهران": the spellings "Tehran" and "تهران" (names of one province); stratum "Kurdistan"`,
				`stratum "Ilam Province": the spellings "Ilam Province" and "استان ایلام" (names of one province)`}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			st, warnings, err := readField(t, tc.file, tc.stratum)
			if tc.err != nil {
				for _, want := range tc.err {
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Errorf("error %v, want one containing %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("%v (warnings %v)", err, warnings)
			}
			all := ""
			for _, w := range warnings {
				all += w.String() + "\n"
			}
			if got := strings.Join(st.Names, "|"); got != tc.names {
				t.Errorf("strata %q, want %q", got, tc.names)
			}
			observed := 0
			for _, tab := range st.Tables {
				observed += tab.Observed()
			}
			if observed != tc.observed {
				t.Errorf("observed %d, want %d", observed, tc.observed)
			}
			if tc.counts != nil {
				tab := st.Tables[st.Names[0]]
				if len(tab.Counts) != len(tc.counts) {
					t.Errorf("counts %v, want %v", tab.Counts, tc.counts)
				}
				for h, c := range tc.counts {
					if got, ok := tab.Counts[h]; !ok || got != c {
						t.Errorf("history %03b: %d, want %d", h, got, c)
					}
				}
			}
			inOrder(t, all, tc.warnings)
			for _, bad := range tc.absent {
				if strings.Contains(all, bad) {
					t.Errorf("warnings %q have %q", all, bad)
				}
			}
			if tc.nWarnings >= 0 && len(warnings) != tc.nWarnings {
				t.Errorf("%d warnings, want %d: %q", len(warnings), tc.nWarnings, all)
			}
		})
	}
}

// readField reads testdata/field/name with ReadStrata.
func readField(t *testing.T, name, stratum string) (Strata, []Warning, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "field", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ReadStrata(f, stratum)
}

// inOrder fails the test unless all holds each of want, in that order.
func inOrder(t *testing.T, all string, want []string) {
	t.Helper()
	rest := all
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("warnings %q lack %q (or not in this order)", all, w)
		}
		rest = rest[i+len(w):]
	}
}
