package table

import (
	"archive/zip"
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// serial is Excel's number for t (days since 1899-12-30, the 1900 date system).
func serial(t time.Time) float64 {
	return t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
}

// cell is one value to put in a test workbook, with a number format:
// a built-in id, or a custom code.
type cell struct {
	ref    string
	value  any
	fmtID  int
	custom string
}

// workbook builds an XLSX file with the given sheets, in order.
func workbook(t *testing.T, sheets map[string][]cell, order ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for _, c := range sheets[name] {
			if err := f.SetCellValue(name, c.ref, c.value); err != nil {
				t.Fatal(err)
			}
			if c.fmtID == 0 && c.custom == "" {
				continue
			}
			st := &excelize.Style{NumFmt: c.fmtID}
			if c.custom != "" {
				st.CustomNumFmt = &c.custom
			}
			id, err := f.NewStyle(st)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle(name, c.ref, c.ref, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func testBook(t *testing.T) []byte {
	day := serial(time.Date(2022, 9, 16, 0, 0, 0, 0, time.UTC))
	dayTime := serial(time.Date(2022, 9, 20, 14, 30, 0, 0, time.UTC))
	return workbook(t, map[string][]cell{
		"خالی": {},
		"فهرست": {
			// Row 1 is blank; the header is row 2.
			{ref: "A2", value: "شناسه"}, {ref: "B2", value: " نام "}, {ref: "C2", value: "تاریخ"},
			{ref: "D2", value: "کد ملی"}, {ref: "E2", value: "عدد"}, {ref: "F2", value: "زنده"},
			{ref: "A3", value: 1}, {ref: "B3", value: "مریم احمدی"},
			{ref: "C3", value: day, fmtID: 14},     // m/d/yy in the author's locale
			{ref: "D3", value: "0012345678"},       // text keeps its zeros
			{ref: "E3", value: 12345678, fmtID: 3}, // #,##0
			{ref: "F3", value: true},
			// Row 4 does not exist in the file; row 5 has spaces only.
			{ref: "B5", value: "   "},
			{ref: "A6", value: 2}, {ref: "B6", value: "  علی کریمی  "},
			{ref: "C6", value: dayTime, custom: "yyyy/mm/dd hh:mm"},
			{ref: "D6", value: 12345678}, // a national ID stored as a number
			{ref: "E6", value: 0.1 + 0.2},
			{ref: "A7", value: 3},
			{ref: "C7", value: day, custom: `[$-fa-IR,16]d mmmm yyyy;@`}, // Jalali display
			{ref: "D7", value: 0.75, fmtID: 20},                          // h:mm
			{ref: "E7", value: 0.5, fmtID: 9},                            // 0%
			{ref: "A8", value: 4},
			{ref: "C8", value: "1401/06/25", fmtID: 14}, // text in a date-formatted cell
			{ref: "E8", value: 2.5e20},
		},
		"دوم": {{ref: "A1", value: "x"}, {ref: "A2", value: "y"}, {ref: "C2", value: "extra"}},
	}, "خالی", "فهرست", "دوم")
}

func TestXLSX(t *testing.T) {
	book := testBook(t)
	r, err := Open("list.xlsx", bytes.NewReader(book), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, want := r.Format(), "xlsx (sheet فهرست)"; got != want {
		t.Errorf("Format() = %q, want %q", got, want)
	}
	if got, want := r.Header(), []string{"شناسه", "نام", "تاریخ", "کد ملی", "عدد", "زنده"}; !slices.Equal(got, want) {
		t.Errorf("Header() = %q, want %q", got, want)
	}
	rows, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Line: 3, Cells: []string{"1", "مریم احمدی", "2022-09-16", "0012345678", "12345678", "TRUE"}},
		{Line: 6, Cells: []string{"2", "علی کریمی", "2022-09-20T14:30:00", "12345678", "0.3", ""}},
		{Line: 7, Cells: []string{"3", "", "2022-09-16", "18:00:00", "0.5", ""}},
		{Line: 8, Cells: []string{"4", "", "1401/06/25", "", "250000000000000000000", ""}},
	}
	if !equalRows(rows, want) {
		t.Errorf("rows:\n%v\nwant:\n%v", rows, want)
	}
}

func TestXLSXSheets(t *testing.T) {
	book := testBook(t)
	tests := []struct {
		sheet   string
		header  []string
		rows    []Row
		wantErr string
	}{
		{sheet: "دوم", header: []string{"x"}, wantErr: `list.xlsx sheet "دوم" row 2: 3 fields, the header has 1`},
		{sheet: "خالی", wantErr: `list.xlsx sheet "خالی": empty sheet: no header row`},
		{sheet: "Sheet9", wantErr: `list.xlsx: no sheet named "Sheet9"; the sheets are "خالی", "فهرست", "دوم"`},
	}
	for _, tt := range tests {
		t.Run(tt.sheet, func(t *testing.T) {
			r, err := Open("list.xlsx", bytes.NewReader(book), Options{Sheet: tt.sheet})
			if tt.header == nil {
				checkErr(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if !slices.Equal(r.Header(), tt.header) {
				t.Errorf("Header() = %q, want %q", r.Header(), tt.header)
			}
			rows, err := readAll(t, r)
			if !equalRows(rows, tt.rows) {
				t.Errorf("rows %v, want %v", rows, tt.rows)
			}
			checkErr(t, err, tt.wantErr)
		})
	}
}

func TestXLSXBadFiles(t *testing.T) {
	var notExcel bytes.Buffer
	z := zip.NewWriter(&notExcel)
	w, _ := z.Create("hello.txt")
	w.Write([]byte("hello"))
	z.Close()
	empty := workbook(t, map[string][]cell{"A": {{ref: "A3", value: "  "}}, "B": {}}, "A", "B")
	tests := []struct {
		name    string
		data    []byte
		wantErr string
	}{
		{"notexcel.xlsx", notExcel.Bytes(), "notexcel.xlsx: not a readable .xlsx file"},
		{"empty.xlsx", empty, "empty.xlsx: empty file: no sheet has a header row"},
		{"cut.xlsx", testBook(t)[:500], "cut.xlsx: not a readable .xlsx file"},
	}
	for _, tt := range tests {
		r, err := Open(tt.name, bytes.NewReader(tt.data), Options{})
		if err == nil {
			r.Close()
		}
		checkErr(t, err, tt.wantErr)
	}
}

// A workbook is recognised by its content when the name says nothing.
func TestXLSXSniffed(t *testing.T) {
	r, err := Open("upload", bytes.NewReader(testBook(t)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Format() != "xlsx (sheet فهرست)" {
		t.Errorf("Format() = %q", r.Format())
	}
}

func TestCodeKind(t *testing.T) {
	tests := []struct {
		code string
		want fmtKind
	}{
		{"General", kindOther},
		{"0.00", kindOther},
		{"#,##0", kindOther},
		{"0.00E+00", kindOther},
		{`0" days"`, kindOther},
		{`[Red]0.00`, kindOther},
		{"@", kindOther},
		{"yyyy-mm-dd", kindDate},
		{"d/m/yy", kindDate},
		{"mmm-yy", kindDate},
		{"m", kindDate},
		{"yyyy/mm/dd hh:mm", kindDate},
		{`[$-fa-IR,16]yyyy/mm/dd`, kindDate},
		{"[$-409]d-mmm-yy;@", kindDate},
		{"h:mm AM/PM", kindTime},
		{"mm:ss", kindTime},
		{"[h]:mm:ss", kindTime},
		{`\d0`, kindOther},
		{`"day "0`, kindOther},
	}
	for _, tt := range tests {
		if got := codeKind(tt.code); got != tt.want {
			t.Errorf("codeKind(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

// Lenient reading cuts a row longer than the header, with a warning.
func TestXLSXLenient(t *testing.T) {
	r, err := Open("list.xlsx", bytes.NewReader(testBook(t)), Options{Sheet: "دوم", Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rows, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{{Line: 2, Cells: []string{"y"}, Warnings: []string{`3 cells, the header has 1: cells 2–3 left out ("extra")`}}}
	if !equalRows(rows, want) {
		t.Errorf("rows %+v, want %+v", rows, want)
	}
}
