package table

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// readAll reads every row, returning those read before any error.
func readAll(t testing.TB, r Reader) ([]Row, error) {
	t.Helper()
	var rows []Row
	for {
		row, err := r.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
}

func TestCSV(t *testing.T) {
	persian := []string{"شناسه", "نام", "نام خانوادگی", "شهر"}
	persianRows := []Row{
		{Line: 2, Cells: []string{"1", "مریم", "احمدی", "تهران"}},
		{Line: 3, Cells: []string{"2", "علی", "کریمی", "اصفهان"}},
	}
	tests := []struct {
		file    string
		opt     Options
		format  string
		header  []string
		rows    []Row
		wantErr string // the error after rows, or from Open when rows is nil
	}{
		{file: "utf8.csv", format: "csv (UTF-8, ',')", header: persian, rows: persianRows},
		{file: "utf8-bom.csv", format: "csv (UTF-8, ',')", header: persian, rows: persianRows},
		{
			// Windows-1256 has no Persian yeh (ی), so Excel writes the Arabic one (ي).
			file: "win1256.csv", format: "csv (Windows-1256, ',')",
			header: []string{"شناسه", "نام", "نام خانوادگي", "شهر", "توضيحات"},
			rows: []Row{
				{Line: 2, Cells: []string{"1", "مريم", "احمدي", "تهران", "زخمي"}},
				{Line: 3, Cells: []string{"2", "علي", "كريمي", "اصفهان", "بازداشت، آزاد شد"}},
			},
		},
		{
			file: "utf16le.txt", format: "csv (UTF-16LE, '\\t')",
			header: []string{"شناسه", "نام", "نام خانوادگی", "تاریخ تولد"},
			rows: []Row{
				{Line: 2, Cells: []string{"1", "مریم", "احمدی", "1380/01/02"}},
				{Line: 3, Cells: []string{"2", "علی", "کریمی", "1375/11/30"}},
			},
		},
		{
			file: "semicolon.csv", format: "csv (UTF-8, ';')",
			header: []string{"شناسه", "نام", "توضیحات"},
			rows: []Row{
				{Line: 2, Cells: []string{"1", "مریم", "زخمی, بیمارستان"}},
				{Line: 3, Cells: []string{"2", "علی", "بازداشت, آزاد شد"}},
			},
		},
		{
			file: "arabic-comma.csv", format: "csv (UTF-8, '،')",
			header: []string{"شناسه", "نام", "شهر"},
			rows:   []Row{{Line: 2, Cells: []string{"1", "مریم", "تهران"}}, {Line: 3, Cells: []string{"2", "علی", "کرج"}}},
		},
		{
			file: "pipe.csv", format: "csv (UTF-8, '|')",
			header: []string{"id", "name", "city"},
			rows:   []Row{{Line: 2, Cells: []string{"1", "Maryam", "Tehran"}}},
		},
		{
			// The delimiter given wins over the sniffed one.
			file: "pipe.csv", opt: Options{Comma: ','}, format: "csv (UTF-8, ',')",
			header: []string{"id|name|city"},
			rows:   []Row{{Line: 2, Cells: []string{"1|Maryam|Tehran"}}},
		},
		{
			file: "onecolumn.csv", format: "csv (UTF-8, ',')",
			header: []string{"name"},
			rows:   []Row{{Line: 2, Cells: []string{"Maryam"}}, {Line: 3, Cells: []string{"Ali"}}},
		},
		{
			file: "quoted.csv", format: "csv (UTF-8, ',')",
			header: []string{"id", "name", "note"},
			rows: []Row{
				{Line: 2, Cells: []string{"1", "Ahmadi, Maryam", "line one\nline two"}},
				{Line: 4, Cells: []string{"2", "Karimi", `he said "hi"`}},
				{Line: 5, Cells: []string{"3", "Rezaei", "x"}},
			},
		},
		{
			// Blank lines and rows are skipped, short rows padded, empty extra cells dropped.
			file: "blank.csv", format: "csv (UTF-8, ',')",
			header: []string{"a", "b", "c"},
			rows: []Row{
				{Line: 5, Cells: []string{"1", "2", "3"}},
				{Line: 8, Cells: []string{"4", "5", ""}},
				{Line: 9, Cells: []string{"6", "7", "8"}},
			},
		},
		{
			file: "ragged.csv", format: "csv (UTF-8, ',')",
			header: strings.Split("c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11,c12,c13,c14", ","),
			rows: []Row{
				{Line: 2, Cells: strings.Split("1,2,3,4,5,6,7,8,9,10,11,12,13,14", ",")},
				{Line: 3, Cells: strings.Split("1,2,3,4,5,6,7,8,9,10,11,12,13,14", ",")},
				{Line: 4, Cells: strings.Split("1,2,3,4,5,6,7,8,9,10,11,12,13,14", ",")},
				{Line: 5, Cells: strings.Split("1,2,3,4,5,6,7,8,9,10,11,12,13,14", ",")},
				{Line: 6, Cells: strings.Split("1,2,3,4,5,6,7,8,9,10,11,12,13,14", ",")},
			},
			wantErr: "ragged.csv line 7: 16 fields, the header has 14",
		},
		{
			file: "badquote.csv", format: "csv (UTF-8, ',')",
			header:  []string{"name", "note"},
			rows:    []Row{{Line: 2, Cells: []string{"Maryam", "ok"}}},
			wantErr: `badquote.csv line 3, column 6: bare " in non-quoted-field: a quote mark inside a cell must be doubled`,
		},
		{
			file: "unclosed.csv", format: "csv (UTF-8, ',')",
			header:  []string{"name", "note"},
			rows:    []Row{{Line: 2, Cells: []string{"Maryam", "ok"}}},
			wantErr: `unclosed.csv line 3: at line 4, column 13: extraneous or missing " in quoted-field: a quoted cell is not closed`,
		},
		{file: "empty.csv", wantErr: "empty.csv: empty file: no header row"},
		{file: "blankonly.csv", wantErr: "blankonly.csv: empty file: no header row"},
		{file: "utf8.csv", opt: Options{Comma: '"'}, wantErr: `utf8.csv: '"' cannot be a CSV delimiter`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := OpenFile(filepath.Join("testdata", tt.file), tt.opt)
			if tt.rows == nil {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("OpenFile: got error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if got := r.Format(); got != tt.format {
				t.Errorf("Format() = %q, want %q", got, tt.format)
			}
			if got := r.Header(); !slices.Equal(got, tt.header) {
				t.Errorf("Header() = %q, want %q", got, tt.header)
			}
			rows, err := readAll(t, r)
			if !equalRows(rows, tt.rows) {
				t.Errorf("rows:\n%v\nwant:\n%v", rows, tt.rows)
			}
			checkErr(t, err, tt.wantErr)
			if err != nil {
				if _, again := r.Next(); again != err {
					t.Errorf("Next after an error returned %v, want the same error", again)
				}
			}
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Errorf("no error, want %q", want)
	case want != "" && !strings.HasPrefix(err.Error(), want):
		t.Errorf("error %q, want it to start %q", err, want)
	}
}

func equalRows(a, b []Row) bool {
	return slices.EqualFunc(a, b, func(x, y Row) bool {
		return x.Line == y.Line && slices.Equal(x.Cells, y.Cells) && slices.Equal(x.Warnings, y.Warnings)
	})
}

func TestCSVLateInvalidUTF8(t *testing.T) {
	r, err := OpenFile("testdata/late-utf8.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rows, err := readAll(t, r)
	var e *Error
	if !errors.As(err, &e) || e.Line != lateBadLine {
		t.Fatalf("error %v, want an *Error on line %d", err, lateBadLine)
	}
	want := fmt.Sprintf("late-utf8.csv line %d: not valid UTF-8, though the file started as UTF-8; save the whole file as UTF-8", lateBadLine)
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if len(rows) != lateBadLine-2 {
		t.Errorf("%d rows before the error, want %d", len(rows), lateBadLine-2)
	}
}

// A Persian letter (two bytes in UTF-8) cut by the end of the sniffed
// prefix must not make the file look like Windows-1256.
func TestCSVRuneAcrossSniffBoundary(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("name,city\n")
	for b.Len() < sniffSize-20 {
		b.WriteString("x,y\n")
	}
	b.WriteString(strings.Repeat("a", sniffSize-1-b.Len()))
	b.WriteString("ی,تهران\n")
	for _, skip := range []int{0, 1, 2} { // also with the boundary one and two bytes later
		data := append(bytes.Repeat([]byte("z"), skip), b.Bytes()...)
		r, err := Open("t.csv", bytes.NewReader(data), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Format() != "csv (UTF-8, ',')" {
			t.Errorf("skip %d: Format() = %q", skip, r.Format())
		}
		rows, err := readAll(t, r)
		if err != nil {
			t.Fatal(err)
		}
		if last := rows[len(rows)-1].Cells; last[1] != "تهران" {
			t.Errorf("skip %d: last row %q", skip, last)
		}
	}
}

// Rows must stay as they were when the caller keeps them.
func TestCSVRowsAreCopies(t *testing.T) {
	r, err := OpenFile("testdata/utf8.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := r.Next()
	kept := slices.Clone(first.Cells)
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(first.Cells, kept) {
		t.Errorf("first row changed to %q after the next call", first.Cells)
	}
}

func TestSniffComma(t *testing.T) {
	tests := []struct {
		sample string
		want   rune
	}{
		{"a,b,c\n1,2,3\n", ','},
		{"a;b;c\n1,5;2;3\n", ';'},
		{"a\tb\n1,2\t3\n", '\t'},
		{"a;b\n1;2\n", ';'},
		{"single\nvalue\n", ','},
		{"a,b;c,d\n1,2;3,4\n", ','},
		// Commas inside quoted cells do not count.
		{"\"x,y\";b\n\"1,2\";3\n", ';'},
		// A header that splits in more fields with ',' but disagrees with the data.
		{"a,b;c\n1;2\n3;4\n", ';'},
		{"", ','},
	}
	for _, tt := range tests {
		if got := SniffComma([]byte(tt.sample), true); got != tt.want {
			t.Errorf("SniffComma(%q) = %q, want %q", tt.sample, got, tt.want)
		}
	}
}

func TestOpenFormatChoice(t *testing.T) {
	tests := []struct {
		name, data, wantErr string
	}{
		{"list.xls", "anything", "list.xls: old binary Excel (.xls) files are not supported"},
		{"list.xlsx", string(oleMagic) + "rest", "list.xlsx: the workbook is password-protected"},
		{"list.bin", string(oleMagic) + "rest", "list.bin: old binary Excel (.xls) files are not supported: save the file as .xlsx or as CSV UTF-8; or the workbook is password-protected"},
		{"list.xlsx", "a,b\n1,2\n", "list.xlsx: not a readable .xlsx file"},
		{"list", "PK\x03\x04garbage", "list: not a readable .xlsx file"},
		{"list", "a,b\n1,2\n", ""},
		{"list.csv", "PK\x03\x04garbage", "list.csv: not a readable .xlsx file"},
	}
	for _, tt := range tests {
		r, err := Open(tt.name, strings.NewReader(tt.data), Options{})
		if err == nil {
			r.Close()
		}
		checkErr(t, err, tt.wantErr)
	}
}
