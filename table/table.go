// Package table reads a CSV or XLSX file as a header row and data rows of strings.
//
// It knows file formats, not meaning: it handles the encodings and delimiters
// that Excel writes (in Iran and elsewhere), skips blank rows and reports where
// each row starts, so that the caller can map columns to records and name the
// line of any value it rejects.
package table

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

// Row is one data row.
type Row struct {
	// Line is the 1-based line of the file where the row starts (CSV; for a
	// quoted field with newlines it is the first line) or the spreadsheet row
	// number (XLSX), so errors can name it.
	Line int
	// Cells has exactly as many cells as the header, each trimmed of spaces.
	// The slice is the caller's to keep: the next call to Next does not reuse it.
	Cells []string
	// Warnings say what lenient reading (Options.Lenient) did to the row to
	// read it, e.g. "a quote mark that is not closed was left out"; nil when
	// the row was read as it is, and always in strict reading.
	Warnings []string
}

// Reader reads a table row by row.
type Reader interface {
	// Header returns the header row, its cells trimmed and without a byte order mark.
	Header() []string
	// Next returns the next data row, skipping blank rows (all cells empty or
	// space), and io.EOF after the last row. An error is an *Error and is
	// returned again by every later call. In lenient reading (Options.Lenient)
	// a malformed row is repaired and comes with Row.Warnings, so the only
	// errors are the file's own (it cannot be read, or an XLSX is damaged).
	Next() (Row, error)
	// Format describes what was read, e.g. "csv (UTF-8, ';')",
	// "csv (Windows-1256, ',')" or "xlsx (sheet Sheet1)", for the import summary.
	Format() string
	// Close releases what the reader holds. It does not close the io.Reader
	// given to Open.
	Close() error
}

// Options adjust how a file is read. The zero value sniffs everything.
type Options struct {
	// Sheet is the XLSX sheet to read; by default the first sheet that has data.
	Sheet string
	// Comma is the CSV delimiter; 0 sniffs it from the header line.
	Comma rune
	// Lenient reads a malformed data row as well as it can, with
	// Row.Warnings, instead of failing: cells beyond the header's width are
	// left out, and a CSV quote mark that is not doubled is kept as a
	// character, or left out if its cell never closes (see lenient.go). It is
	// for analysts' tools, where one bad row in a list of thousands must not
	// end the run; an import into the registry stays strict, so that nothing
	// is stored that the file did not plainly say. The header row is never
	// repaired, as it names every column.
	Lenient bool
}

// Error is a problem with the input, located as precisely as is known.
type Error struct {
	File   string // the name given to Open
	Sheet  string // XLSX only
	Line   int    // CSV line or XLSX row, 1-based; 0 when the problem is the whole file
	Column int    // CSV byte column within the line, 1-based; 0 when unknown
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Sheet != "" {
		fmt.Fprintf(&b, " sheet %q", e.Sheet)
	}
	switch {
	case e.Line > 0 && e.Sheet != "":
		fmt.Fprintf(&b, " row %d", e.Line)
	case e.Line > 0:
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Column > 0 {
		fmt.Fprintf(&b, ", column %d", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// zipMagic starts every XLSX file (a zip archive); oleMagic starts old binary
// Excel files and also password-protected XLSX files, which Excel wraps in the
// same compound-file container.
var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Open reads the table in r; name is used to choose the format and in errors.
//
// The format comes from name's extension: .csv, .tsv and .txt are CSV; .xlsx
// and .xlsm are XLSX; .xls is refused (old binary Excel); any other name is
// sniffed (a zip archive is XLSX, anything else CSV). A zip archive named
// .csv is read as XLSX too, as it can only be a misnamed workbook.
//
// CSV is streamed in constant memory. XLSX is read whole into memory first,
// because a zip archive needs random access; its sheet is then streamed.
func Open(name string, r io.Reader, opt Options) (Reader, error) {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".xls" {
		return nil, &Error{File: name, Err: errOldExcel}
	}
	br := bufio.NewReaderSize(r, sniffSize+utfMax)
	head, _ := br.Peek(len(oleMagic))
	switch {
	case ext == ".xlsx" || ext == ".xlsm":
		if bytes.HasPrefix(head, oleMagic) {
			return nil, &Error{File: name, Err: errEncrypted}
		}
		return openXLSX(name, br, opt)
	case (ext == ".csv" || ext == ".tsv" || ext == ".txt") && !bytes.HasPrefix(head, zipMagic):
		return openCSV(name, br, opt)
	case bytes.HasPrefix(head, zipMagic):
		// Also a workbook renamed .csv: read what it is, not what it is called.
		return openXLSX(name, br, opt)
	case bytes.HasPrefix(head, oleMagic):
		return nil, &Error{File: name, Err: fmt.Errorf("%w; or %w", errOldExcel, errEncrypted)}
	default:
		return openCSV(name, br, opt)
	}
}

var (
	errOldExcel  = fmt.Errorf("old binary Excel (.xls) files are not supported: save the file as .xlsx or as CSV UTF-8")
	errEncrypted = fmt.Errorf("the workbook is password-protected (encrypted): remove the password in Excel and save it again")
)

// OpenFile opens the file at path and reads it with Open. Closing the Reader
// closes the file.
func OpenFile(path string, opt Options) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	rd, err := Open(filepath.Base(path), f, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &fileReader{Reader: rd, f: f}, nil
}

// fileReader closes the file that OpenFile opened.
type fileReader struct {
	Reader
	f *os.File
}

func (r *fileReader) Close() error {
	err := r.Reader.Close()
	if ferr := r.f.Close(); err == nil {
		err = ferr
	}
	return err
}

// fitRow makes cells exactly as long as the header: a short row is padded,
// and a long one is cut if its extra cells are empty. Extra non-empty cells are
// data without a column name, which the caller could not map, so they are an
// error rather than something to drop silently.
func fitRow(cells []string, width int) ([]string, error) {
	if len(cells) > width {
		for _, c := range cells[width:] {
			if c != "" {
				return nil, fmt.Errorf("%d fields, the header has %d", lastNonEmpty(cells), width)
			}
		}
		return cells[:width], nil
	}
	for len(cells) < width {
		cells = append(cells, "")
	}
	return cells, nil
}

// cutRow leaves out, for lenient reading, the cells beyond the header's width
// up to the last non-empty one, and says which; it returns cells unchanged,
// and no warning, when fitRow would accept them.
func cutRow(cells []string, width int) ([]string, string) {
	n := lastNonEmpty(cells)
	if n <= width {
		return cells, ""
	}
	var values []string
	for _, c := range cells[width:n] {
		if c == "" {
			continue
		}
		if len(values) == maxQuoted {
			values = append(values, "…")
			break
		}
		values = append(values, strconv.Quote(shorten(c, maxQuotedRunes)))
	}
	which := fmt.Sprintf("cell %d", n)
	if n > width+1 {
		which = fmt.Sprintf("cells %d–%d", width+1, n)
	}
	return cells[:width], fmt.Sprintf("%d cells, the header has %d: %s left out (%s)", n, width, which, strings.Join(values, ", "))
}

// A warning quotes at most maxQuoted cells, of at most maxQuotedRunes each:
// enough to find the row, not a copy of it.
const (
	maxQuoted      = 3
	maxQuotedRunes = 24
)

// shorten cuts s to n runes, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return strings.TrimRightFunc(s[:j], unicode.IsSpace) + "…"
		}
		i++
	}
	return s
}

// lastNonEmpty counts cells up to the last non-empty one.
func lastNonEmpty(cells []string) int {
	n := len(cells)
	for n > 0 && cells[n-1] == "" {
		n--
	}
	return n
}

// blank reports whether every cell is empty; cells are already trimmed.
func blank(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// trimHeader trims every cell, removes a stray byte order mark (e.g. a file
// saved twice with one), and drops trailing unnamed columns, which Excel
// writes as ",,,," after the last real column.
func trimHeader(cells []string) []string {
	h := make([]string, len(cells))
	for i, c := range cells {
		h[i] = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(c), "\uFEFF"))
	}
	return h[:lastNonEmpty(h)]
}
