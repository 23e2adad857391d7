package table

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

const (
	warnUnclosed = "a quote mark that is not closed was left out"
	warnKept     = "a quote mark that is not doubled was kept as a character in cell "
)

// lenientRows are the rows of testdata/lenient.csv read leniently: an
// unclosed quote on line 3 must not swallow the rows after it, and the
// legitimate note over lines 7 and 8 is still one cell.
var lenientRows = []Row{
	{Line: 2, Cells: []string{"1", "Maryam Ahmadi", "1990", "تهران", "2026-01-08", "wounded"}},
	{Line: 3, Cells: []string{"2", "Reza Ahmadi", "1991", "Shiraz", "2026-01-09", "killed"}, Warnings: []string{warnUnclosed}},
	{Line: 4, Cells: []string{"3", `Ali "the tall" Rezaei`, "1985", "Karaj", "2026-01-09", "detained"}, Warnings: []string{warnKept + "2"}},
	{Line: 5, Cells: []string{"4", "Sara Karimi", "1992", "Tabriz", "2026-01-10", "missing"}},
	{Line: 7, Cells: []string{"5", "Nima Rahimi", "1980", "Rasht", "2026-01-10", "wounded, then\ntaken to hospital"}},
	{Line: 9, Cells: []string{"6", "Leila Sadeghi", "1975", "Yazd", "2026-01-11", "killed"},
		Warnings: []string{`8 cells, the header has 6: cells 7–8 left out ("extra note", "more")`}},
	{Line: 10, Cells: []string{"7", "Omid Jafari", "1999", "Qom", "2026-01-12", `released "on bail"`}},
}

// The same file with other delimiters, line endings and encodings reads the
// same rows leniently, and still stops at line 3 when strict.
func TestCSVLenientVariants(t *testing.T) {
	src, err := os.ReadFile("testdata/lenient.csv")
	if err != nil {
		t.Fatal(err)
	}
	crlf := func(s string) (string, error) { return strings.ReplaceAll(s, "\n", "\r\n"), nil }
	tests := []struct {
		name, comma, format string
		encode              func(string) (string, error)
	}{
		{"comma", ",", "csv (UTF-8, ',')", nil},
		{"semicolon", ";", "csv (UTF-8, ';')", nil},
		{"tab", "\t", "csv (UTF-8, '\\t')", nil},
		{"arabic comma", "،", "csv (UTF-8, '،')", nil},
		{"crlf", ",", "csv (UTF-8, ',')", crlf},
		{"bom", ",", "csv (UTF-8, ',')", func(s string) (string, error) { return "\uFEFF" + s, nil }},
		{"windows-1256 crlf", ",", "csv (Windows-1256, ',')", func(s string) (string, error) {
			s, _ = crlf(s)
			return charmap.Windows1256.NewEncoder().String(s)
		}},
		{"utf-16le tab", "\t", "csv (UTF-16LE, '\\t')", func(s string) (string, error) {
			return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(s)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := strings.ReplaceAll(string(src), ",", tt.comma)
			if tt.encode != nil {
				if data, err = tt.encode(data); err != nil {
					t.Fatal(err)
				}
			}
			want := make([]Row, len(lenientRows))
			for i, row := range lenientRows {
				want[i] = row
				want[i].Cells = make([]string, len(row.Cells))
				for j, c := range row.Cells {
					want[i].Cells[j] = strings.ReplaceAll(c, ",", tt.comma)
				}
			}

			r, err := Open("lenient.csv", strings.NewReader(data), Options{Lenient: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Format(); got != tt.format {
				t.Errorf("Format() = %q, want %q", got, tt.format)
			}
			if got, want := r.Header(), []string{"id", "name", "born", "city", "date", "status"}; !slices.Equal(got, want) {
				t.Errorf("Header() = %q, want %q", got, want)
			}
			rows, err := readAll(t, r)
			if err != nil {
				t.Errorf("lenient: %v", err)
			}
			if !equalRows(rows, want) {
				t.Errorf("lenient rows:\n%+v\nwant:\n%+v", rows, want)
			}

			r, err = Open("lenient.csv", strings.NewReader(data), Options{})
			if err != nil {
				t.Fatal(err)
			}
			rows, err = readAll(t, r)
			var e *Error
			if !errors.As(err, &e) || e.Line != 3 || len(rows) != 1 {
				t.Errorf("strict: %d rows and error %v, want 1 row and an error on line 3", len(rows), err)
			}
		})
	}
}

func TestCSVLenient(t *testing.T) {
	// longSpan is an unclosed quote followed by more lines than a cell may run over.
	var longSpan strings.Builder
	longSpan.WriteString("id,name,city\n1,\"Maryam,Tehran\n")
	longRows := []Row{{Line: 2, Cells: []string{"1", "Maryam", "Tehran"}, Warnings: []string{warnUnclosed}}}
	for i := 2; i <= maxSpan+5; i++ {
		fmt.Fprintf(&longSpan, "%d,Ali,Karaj\n", i)
		longRows = append(longRows, Row{Line: i + 1, Cells: []string{fmt.Sprint(i), "Ali", "Karaj"}})
	}
	fourteen := strings.Split("1,2,3,4,5,6,7,8,9,10,11,12,13,14", ",")
	tests := []struct {
		name    string // a file under testdata, or the name of data
		data    string
		rows    []Row
		wantErr string // from Open when rows is nil
	}{
		{
			name: "ragged.csv",
			rows: []Row{
				{Line: 2, Cells: fourteen}, {Line: 3, Cells: fourteen}, {Line: 4, Cells: fourteen},
				{Line: 5, Cells: fourteen}, {Line: 6, Cells: fourteen},
				{Line: 7, Cells: fourteen, Warnings: []string{`16 cells, the header has 14: cells 15–16 left out ("15", "16")`}},
			},
		},
		{
			name: "badquote.csv",
			rows: []Row{
				{Line: 2, Cells: []string{"Maryam", "ok"}},
				{Line: 3, Cells: []string{"Ali", `5" tall`}, Warnings: []string{warnKept + "2"}},
			},
		},
		{
			// Unclosed at the end of the file.
			name: "unclosed.csv",
			rows: []Row{
				{Line: 2, Cells: []string{"Maryam", "ok"}},
				{Line: 3, Cells: []string{"Ali", "not closed"}, Warnings: []string{warnUnclosed}},
				{Line: 4, Cells: []string{"second line", ""}},
			},
		},
		{
			name: "quoted.csv",
			rows: []Row{
				{Line: 2, Cells: []string{"1", "Ahmadi, Maryam", "line one\nline two"}},
				{Line: 4, Cells: []string{"2", "Karimi", `he said "hi"`}},
				{Line: 5, Cells: []string{"3", "Rezaei", "x"}},
			},
		},
		{
			name: "bare quote.csv",
			data: "id,name,born\n1,Ali \"the tall\" Rezaei,3\n2,Reza,4\n",
			rows: []Row{
				{Line: 2, Cells: []string{"1", `Ali "the tall" Rezaei`, "3"}, Warnings: []string{warnKept + "2"}},
				{Line: 3, Cells: []string{"2", "Reza", "4"}},
			},
		},
		{
			name: "stray quote in a quoted cell.csv",
			data: "id,note\n1,\"a \"b\" c\"\n",
			rows: []Row{{Line: 2, Cells: []string{"1", `a "b" c`}, Warnings: []string{warnKept + "2"}}},
		},
		{
			// The quote does not close within maxSpan lines.
			name: "long span.csv", data: longSpan.String(), rows: longRows,
		},
		{
			// The quote closes on the next line, but both lines look like rows.
			name: "row-like lines.csv",
			data: "a,b,c,d\n1,\"x,y,z\n2,p,q,r\"\n3,s,t,u\n",
			rows: []Row{
				{Line: 2, Cells: []string{"1", "x", "y", "z"}, Warnings: []string{warnUnclosed}},
				{Line: 3, Cells: []string{"2", "p", "q", `r"`}, Warnings: []string{warnKept + "4"}},
				{Line: 4, Cells: []string{"3", "s", "t", "u"}},
			},
		},
		{
			name: "two unclosed.csv",
			data: "a,b,c\n1,\"x,\"y\n2,p,q\n",
			rows: []Row{
				{Line: 2, Cells: []string{"1", "x", "y"}, Warnings: []string{"2 quote marks that are not closed were left out"}},
				{Line: 3, Cells: []string{"2", "p", "q"}},
			},
		},
		{
			name: "multi-line first cell.csv",
			data: "note,a,b,c\n\"first\nsecond, third\",1,2,3\n4,5,6,7\n",
			rows: []Row{
				{Line: 2, Cells: []string{"first\nsecond, third", "1", "2", "3"}},
				{Line: 4, Cells: []string{"4", "5", "6", "7"}},
			},
		},
		{
			name: "blank line in a cell.csv",
			data: "a,b\r\n1,\"x\r\n\r\ny\"\r\n2,z",
			rows: []Row{{Line: 2, Cells: []string{"1", "x\n\ny"}}, {Line: 5, Cells: []string{"2", "z"}}},
		},
		{
			name: "long extra cells.csv",
			data: "a\n1,,two,three,four,a cell much longer than the warning quotes\n",
			rows: []Row{{Line: 2, Cells: []string{"1"},
				Warnings: []string{`6 cells, the header has 1: cells 2–6 left out ("two", "three", "four", …)`}}},
		},
		{
			name: "one extra cell.csv",
			data: "a,b\n1,2,a cell much longer than the warning quotes\n",
			rows: []Row{{Line: 2, Cells: []string{"1", "2"},
				Warnings: []string{`3 cells, the header has 2: cell 3 left out ("a cell much longer than…")`}}},
		},
		{
			name:    "unclosed header.csv",
			data:    "a,\"b\n1,2\n",
			wantErr: `unclosed header.csv line 1: in the header: extraneous or missing " in quoted-field: a quoted cell is not closed`,
		},
		{
			name:    "bare quote header.csv",
			data:    "\n\na,b\"\n1,2\n",
			wantErr: `bare quote header.csv line 3: in the header: bare " in non-quoted-field`,
		},
		{name: "empty.csv", wantErr: "empty.csv: empty file: no header row"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Reader
			var err error
			if tt.data == "" {
				r, err = OpenFile(filepath.Join("testdata", tt.name), Options{Lenient: true})
			} else {
				r, err = Open(tt.name, strings.NewReader(tt.data), Options{Lenient: true})
			}
			if tt.rows == nil {
				checkErr(t, err, tt.wantErr)
				if err == nil {
					r.Close()
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			rows, err := readAll(t, r)
			if err != nil {
				t.Errorf("error %v", err)
			}
			if !equalRows(rows, tt.rows) {
				t.Errorf("rows:\n%+v\nwant:\n%+v", rows, tt.rows)
			}
		})
	}
}

// A row of another encoding in a UTF-8 file is read, with its bad bytes
// replaced, and so are the rows after it.
func TestCSVLenientLateInvalidUTF8(t *testing.T) {
	r, err := OpenFile("testdata/late-utf8.csv", Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rows, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != lateBadLine {
		t.Fatalf("%d rows, want %d", len(rows), lateBadLine)
	}
	bad := rows[lateBadLine-2]
	want := []string{"cells 2, 3 are not valid UTF-8, though the file started as UTF-8: the bad bytes were replaced by \uFFFD"}
	if bad.Line != lateBadLine || !slices.Equal(bad.Warnings, want) || bad.Cells[1] != "\uFFFD" {
		t.Errorf("row %d: %q, warnings %q", bad.Line, bad.Cells, bad.Warnings)
	}
	if last := rows[len(rows)-1]; last.Line != lateBadLine+1 || last.Warnings != nil {
		t.Errorf("last row %+v", last)
	}
}

// Lenient reading holds at most maxSpan lines, however many rows have an
// unclosed quote.
func TestCSVLenientManyUnclosed(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("id,name,city\n")
	const n = 10_000
	for i := range n {
		fmt.Fprintf(&b, "%d,\"Maryam,Tehran\n", i)
	}
	r, err := Open("t.csv", &b, Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	c := r.(*lenientCSV)
	for i := range n {
		row, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if row.Line != i+2 || len(row.Warnings) != 1 {
			t.Fatalf("row %+v", row)
		}
		if len(c.ahead) >= maxSpan {
			t.Fatalf("%d lines held", len(c.ahead))
		}
	}
}

// A line where every cell opens a quote that it does not close is read in
// time linear in its length, and its warnings stay short.
func TestCSVLenientBrokenLongLine(t *testing.T) {
	const n = 50_000
	data := "a,b\n1," + strings.Repeat(`"x" ,`, n) + "\n2,y\n"
	r, err := Open("t.csv", strings.NewReader(data), Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Line: 2, Cells: []string{"1", `x"`}, Warnings: []string{
			fmt.Sprintf("%d quote marks that are not closed were left out", n),
			fmt.Sprintf("a quote mark that is not doubled was kept as a character in cells 2, 3, 4, 5, 6, %d more", n-5),
			fmt.Sprintf(`%d cells, the header has 2: cells 3–%d left out ("x\"", "x\"", "x\"", …)`, n+1, n+1),
		}},
		{Line: 3, Cells: []string{"2", "y"}},
	}
	if !equalRows(rows, want) {
		t.Errorf("rows:\n%+v\nwant:\n%+v", rows, want)
	}
}
