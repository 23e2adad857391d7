package table

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// maxUnzipped bounds how much an XLSX file may expand to, so that a zip bomb
// fails instead of filling memory and disk; a million rows of 14 columns
// unzip to about a gigabyte.
const maxUnzipped = 4 << 30

// xlsxReader streams one sheet of a workbook.
type xlsxReader struct {
	name, sheet string
	f           *excelize.File
	rows        *excelize.Rows
	row         int // spreadsheet row number of the row last read
	header      []string
	lenient     bool // Options.Lenient
	err         error
}

func openXLSX(name string, r io.Reader, opt Options) (Reader, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxUnzipped})
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, &Error{File: name, Err: openError(err)}
	}
	x, err := openSheet(name, f, opt.Sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	x.lenient = opt.Lenient
	return x, nil
}

// openError explains excelize's errors to someone holding the file.
func openError(err error) error {
	if errors.Is(err, excelize.ErrWorkbookFileFormat) || errors.Is(err, excelize.ErrWorkbookPassword) {
		return errEncrypted
	}
	return fmt.Errorf("not a readable .xlsx file (damaged, or not an Excel workbook): %w", err)
}

// openSheet finds the sheet to read and reads its header.
func openSheet(name string, f *excelize.File, sheet string) (*xlsxReader, error) {
	if err := isoDates(f); err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("cannot read the workbook's styles: %w", err)}
	}
	sheets := f.GetSheetList()
	if sheet != "" {
		if !slices.Contains(sheets, sheet) {
			return nil, &Error{File: name, Err: fmt.Errorf("no sheet named %q; the sheets are %s", sheet, quoteList(sheets))}
		}
		sheets = []string{sheet}
	}
	for _, s := range sheets {
		x := &xlsxReader{name: name, sheet: s, f: f}
		found, err := x.readHeader()
		if err != nil {
			return nil, err
		}
		if found {
			return x, nil
		}
		x.rows.Close()
	}
	if sheet != "" {
		return nil, &Error{File: name, Sheet: sheet, Err: errors.New("empty sheet: no header row")}
	}
	return nil, &Error{File: name, Err: errors.New("empty file: no sheet has a header row")}
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// readHeader takes the first non-blank row as the header, reporting whether
// the sheet has one.
func (x *xlsxReader) readHeader() (bool, error) {
	var err error
	if x.rows, err = x.f.Rows(x.sheet); err != nil {
		return false, &Error{File: x.name, Sheet: x.sheet, Err: err}
	}
	for {
		cells, err := x.nextCells()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if h := trimHeader(cells); len(h) > 0 {
			x.header = h
			return true, nil
		}
	}
}

// nextCells returns the trimmed cells of the next row, blank or not.
func (x *xlsxReader) nextCells() ([]string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, &Error{File: x.name, Sheet: x.sheet, Line: x.row + 1, Err: err}
		}
		return nil, io.EOF
	}
	// excelize yields the rows a sheet skips as empty ones, so counting
	// gives the row number.
	x.row++
	cells, err := x.rows.Columns()
	if err != nil {
		return nil, &Error{File: x.name, Sheet: x.sheet, Line: x.row, Err: err}
	}
	for i, c := range cells {
		cells[i] = isoCell(strings.TrimSpace(c))
	}
	return cells, nil
}

func (x *xlsxReader) Header() []string { return x.header }
func (x *xlsxReader) Format() string   { return fmt.Sprintf("xlsx (sheet %s)", x.sheet) }

func (x *xlsxReader) Next() (Row, error) {
	if x.err != nil {
		return Row{}, x.err
	}
	for {
		cells, err := x.nextCells()
		if err != nil {
			x.err = err
			return Row{}, err
		}
		if blank(cells) {
			continue
		}
		var warnings []string
		if x.lenient {
			var cut string
			if cells, cut = cutRow(cells, len(x.header)); cut != "" {
				warnings = []string{cut}
			}
		}
		if cells, err = fitRow(cells, len(x.header)); err != nil {
			x.err = &Error{File: x.name, Sheet: x.sheet, Line: x.row, Err: err}
			return Row{}, x.err
		}
		return Row{Line: x.row, Cells: cells, Warnings: warnings}, nil
	}
}

func (x *xlsxReader) Close() error {
	err := x.rows.Close()
	if ferr := x.f.Close(); err == nil {
		err = ferr
	}
	return err
}
