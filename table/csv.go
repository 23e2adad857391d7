package table

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// csvReader streams a CSV file whose encoding and delimiter were sniffed.
type csvReader struct {
	name      string
	r         *csv.Reader
	header    []string
	format    string
	checkUTF8 bool // the file was judged UTF-8 from its start, so later rows must be too
	err       error
	slab      []string // cells are cut from here to save an allocation per row
}

// slabRows is how many rows' cells one allocation holds.
const slabRows = 256

func openCSV(name string, br *bufio.Reader, opt Options) (Reader, error) {
	text, enc, err := decode(br)
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	comma := opt.Comma
	if comma == 0 {
		sample, err := text.Peek(sniffSize)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, &Error{File: name, Err: err}
		}
		comma = SniffComma(sample, err != nil)
	} else if !validComma(comma) {
		return nil, &Error{File: name, Err: fmt.Errorf("%q cannot be a CSV delimiter", comma)}
	}
	format := fmt.Sprintf("csv (%s, %q)", enc, comma)
	if opt.Lenient {
		return openLenientCSV(name, text, comma, format, enc == encUTF8)
	}
	cr := csv.NewReader(text)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	c := &csvReader{
		name:      name,
		r:         cr,
		format:    format,
		checkUTF8: enc == encUTF8,
	}
	if err := c.readHeader(); err != nil {
		return nil, err
	}
	return c, nil
}

func validComma(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}

// readHeader takes the first non-blank record as the header.
func (c *csvReader) readHeader() error {
	for {
		rec, _, err := c.record()
		if err == io.EOF {
			return &Error{File: c.name, Err: errors.New("empty file: no header row")}
		}
		if err != nil {
			return err
		}
		if h := trimHeader(rec); len(h) > 0 {
			c.header = h
			return nil
		}
	}
}

// record reads one record, trims its cells in place and checks its encoding.
// The returned slice is reused by the next call.
func (c *csvReader) record() ([]string, int, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// Name the line where the row starts, like Row.Line, and where in
			// the row it went wrong when a quoted cell spans lines.
			e := &Error{File: c.name, Line: pe.StartLine, Column: pe.Column, Err: quoteHint(pe.Err)}
			if pe.Line != pe.StartLine {
				e.Column, e.Err = 0, fmt.Errorf("at line %d, column %d: %w", pe.Line, pe.Column, e.Err)
			}
			return nil, pe.StartLine, e
		}
		return nil, 0, &Error{File: c.name, Err: err}
	}
	line, _ := c.r.FieldPos(0)
	for i, f := range rec {
		if c.checkUTF8 && !utf8.ValidString(f) {
			return nil, line, &Error{File: c.name, Line: line, Err: errLateUTF8}
		}
		rec[i] = strings.TrimSpace(f)
	}
	return rec, line, nil
}

var errLateUTF8 = errors.New("not valid UTF-8, though the file started as UTF-8; save the whole file as UTF-8")

// quoteHint adds what to do to encoding/csv's quoting errors, which people
// importing a list meet when a cell contains a lone quote mark.
func quoteHint(err error) error {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return fmt.Errorf("%w: a quote mark inside a cell must be doubled (\"\") or the whole cell quoted", err)
	case errors.Is(err, csv.ErrQuote):
		return fmt.Errorf("%w: a quoted cell is not closed, or has text after its closing quote", err)
	}
	return err
}

func (c *csvReader) Header() []string { return c.header }
func (c *csvReader) Format() string   { return c.format }
func (c *csvReader) Close() error     { return nil }

func (c *csvReader) Next() (Row, error) {
	if c.err != nil {
		return Row{}, c.err
	}
	for {
		rec, line, err := c.record()
		if err != nil {
			c.err = err
			return Row{}, err
		}
		if blank(rec) {
			continue
		}
		cells, err := fitRow(c.copyCells(rec), len(c.header))
		if err != nil {
			c.err = &Error{File: c.name, Line: line, Err: err}
			return Row{}, c.err
		}
		return Row{Line: line, Cells: cells}, nil
	}
}

// copyCells copies rec, which the csv.Reader reuses, into a slice of its own
// with room for the header's width.
func (c *csvReader) copyCells(rec []string) []string {
	n := max(len(rec), len(c.header))
	if len(c.slab) < n {
		c.slab = make([]string, n*slabRows)
	}
	cells := c.slab[:len(rec):n]
	c.slab = c.slab[n:]
	copy(cells, rec)
	return cells
}
