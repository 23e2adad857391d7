package table

// Lenient reading of CSV (Options.Lenient).
//
// encoding/csv stops at the first quoting error, and a quote mark that is
// never closed makes it read the rest of the file as one cell. Lenient
// reading splits lines itself, with encoding/csv's LazyQuotes rules (a quote
// mark inside an unquoted cell, or one inside a quoted cell that is neither
// doubled nor closing it, is kept as a character), and decides where a row
// ends line by line:
//
// A line that ends inside a quoted cell is joined with the lines after it
// until the cell closes, as a note with a newline legitimately does, unless
//   - the cell does not close within maxSpan lines, or before the end of the file;
//   - the lines joined hold a stray quote mark inside a quoted cell (one
//     neither doubled nor closing it), which programs that write CSV do not; or
//   - the first line and every line joined to it each have at least as many
//     delimiters as the header, so that each looks like a row of its own.
//
// Then the quote mark that opened the cell is taken to be a stray one: the
// first line is read alone without it (nor any other quote mark opening a cell
// that the line does not close), with a warning, and the lines after it are
// read again as rows of their own. So a broken row costs one warning, and
// at most maxSpan lines are held in memory.

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// maxSpan is how many lines a quoted cell may run over in lenient reading.
const maxSpan = 20

// minRowLikeWidth is the narrowest header for which a line with as many
// delimiters as the header looks like a row: in a table of one or two
// columns, one delimiter is no more than a comma in a sentence.
const minRowLikeWidth = 3

// lenientCSV reads CSV rows whatever their quoting, with warnings.
type lenientCSV struct {
	name, format string
	comma        rune
	checkUTF8    bool // as in csvReader
	src          *bufio.Reader
	lines        int       // lines read from src
	ahead        []rawLine // lines read ahead and given back, in order
	header       []string
	err          error
}

// rawLine is one line of the file without its line ending.
type rawLine struct {
	text string
	num  int // 1-based
}

func openLenientCSV(name string, text *bufio.Reader, comma rune, format string, checkUTF8 bool) (Reader, error) {
	c := &lenientCSV{name: name, format: format, comma: comma, checkUTF8: checkUTF8, src: text}
	if err := c.readHeader(); err != nil {
		return nil, err
	}
	return c, nil
}

// readHeader takes the first non-blank record as the header. The header
// names every column, so it is not repaired: a quoting problem in it, or in
// a blank line before it, is an error, as in strict reading.
func (c *lenientCSV) readHeader() error {
	for {
		rec, err := c.record(0)
		if err == io.EOF {
			return &Error{File: c.name, Err: errors.New("empty file: no header row")}
		}
		if err != nil {
			return err
		}
		if err := rec.headerError(); err != nil {
			return &Error{File: c.name, Line: rec.line, Err: fmt.Errorf("in the header: %w", err)}
		}
		if h := trimHeader(rec.cells); len(h) > 0 {
			c.header = h
			return nil
		}
	}
}

func (c *lenientCSV) Header() []string { return c.header }
func (c *lenientCSV) Format() string   { return c.format }
func (c *lenientCSV) Close() error     { return nil }

// Next returns the next non-blank row, cut or padded to the header's width;
// its only errors are the io.Reader's.
func (c *lenientCSV) Next() (Row, error) {
	if c.err != nil {
		return Row{}, c.err
	}
	for {
		rec, err := c.record(len(c.header))
		if err != nil {
			c.err = err
			return Row{}, err
		}
		if blank(rec.cells) {
			continue
		}
		warnings := rec.warnings()
		cells, cut := cutRow(rec.cells, len(c.header))
		if cut != "" {
			warnings = append(warnings, cut)
		}
		cells, _ = fitRow(cells, len(c.header)) // cannot fail once cut
		return Row{Line: rec.line, Cells: cells, Warnings: warnings}, nil
	}
}

// record is one CSV record as read leniently, and what was done to it.
type record struct {
	line     int
	cells    []string // trimmed
	unclosed int      // quote marks left out because their cell never closed
	kept     []int    // 1-based cells where a stray quote mark was kept
	badUTF8  []int    // 1-based cells whose invalid UTF-8 was replaced
}

// record reads the next record; width is the header's, or 0 while the header
// is not known yet.
func (c *lenientCSV) record(width int) (record, error) {
	first, err := c.readLine()
	if err != nil {
		return record{}, err
	}
	text, unclosed, err := c.span(first, width)
	if err != nil {
		return record{}, err
	}
	rec := record{line: first.num, unclosed: unclosed}
	rec.cells, rec.kept = splitRecord(text, c.comma, width)
	for i, cell := range rec.cells {
		if c.checkUTF8 && !utf8.ValidString(cell) {
			cell = strings.ToValidUTF8(cell, "\uFFFD")
			rec.badUTF8 = append(rec.badUTF8, i+1)
		}
		rec.cells[i] = strings.TrimSpace(cell)
	}
	return rec, nil
}

// span returns the text of the record that starts with the line first: the
// line alone, or joined with the lines a quoted cell runs over, by the rule
// at the top of this file. unclosed counts the quote marks left out.
func (c *lenientCSV) span(first rawLine, width int) (text string, unclosed int, err error) {
	q := quoteScan{}.scan(first.text, c.comma)
	if !q.open {
		return first.text, 0, nil
	}
	lines := []rawLine{first}
	for q.open && len(lines) < maxSpan {
		next, err := c.readLine()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", 0, err
		}
		lines = append(lines, next)
		q = q.scan(next.text, c.comma)
	}
	if !q.open && !q.stray && !c.eachLooksLikeRow(lines, width) {
		texts := make([]string, len(lines))
		for i, l := range lines {
			texts[i] = l.text
		}
		return strings.Join(texts, "\n"), 0, nil
	}
	c.ahead = append(lines[1:len(lines):len(lines)], c.ahead...)
	text, unclosed = dropUnclosed(first.text, c.comma)
	return text, unclosed, nil
}

// eachLooksLikeRow reports whether every line has at least as many
// delimiters as the header.
func (c *lenientCSV) eachLooksLikeRow(lines []rawLine, width int) bool {
	if width < minRowLikeWidth {
		return false
	}
	comma := string(c.comma)
	for _, l := range lines {
		if strings.Count(l.text, comma) < width-1 {
			return false
		}
	}
	return true
}

// readLine returns the next line, first from those given back. Like
// encoding/csv, it takes "\r\n" as a line ending, and a "\r" at the end of
// the file.
func (c *lenientCSV) readLine() (rawLine, error) {
	if len(c.ahead) > 0 {
		l := c.ahead[0]
		c.ahead = c.ahead[1:]
		return l, nil
	}
	s, err := c.src.ReadString('\n')
	if err != nil && (err != io.EOF || s == "") {
		if err != io.EOF {
			err = &Error{File: c.name, Line: c.lines + 1, Err: err}
		}
		return rawLine{}, err
	}
	c.lines++
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	return rawLine{text: s, num: c.lines}, nil
}

// quoteScan follows the quoting of CSV text line by line, by encoding/csv's
// rules with LazyQuotes.
type quoteScan struct {
	open  bool // the text scanned ends inside a quoted cell
	stray bool // a quote mark inside a quoted cell was neither doubled nor closing
}

// scan continues q over the next line.
func (q quoteScan) scan(text string, comma rune) quoteScan {
	if !q.open && !strings.Contains(text, `"`) {
		return q
	}
	cellStart := !q.open
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case q.open && r == '"':
			next, n := utf8.DecodeRuneInString(text[i+size:])
			switch {
			case n == 0: // closes at the end of the line
				q.open = false
			case next == '"': // doubled
				size += n
			case next == comma:
				q.open, cellStart = false, true
				size += n
			default:
				q.stray = true
			}
		case q.open:
		case r == comma:
			cellStart = true
		default:
			if cellStart && r == '"' {
				q.open = true
			}
			cellStart = false
		}
		i += size
	}
	return q
}

// dropUnclosed leaves out of a line each quote mark that opens a cell the
// line does not close, and says how many it left out.
func dropUnclosed(text string, comma rune) (string, int) {
	ends := quotedEnds(text, comma)
	cs := string(comma)
	var b strings.Builder
	n, cellStart := 0, true
	for i := 0; i < len(text); {
		switch {
		case cellStart && text[i] == '"' && ends[i+1] >= 0: // a quoted cell that closes
			b.WriteString(text[i:ends[i+1]])
			i, cellStart = ends[i+1], false
		case cellStart && text[i] == '"':
			n++
			i++
		case strings.HasPrefix(text[i:], cs):
			b.WriteString(cs)
			i, cellStart = i+len(cs), true
		default:
			b.WriteByte(text[i])
			i, cellStart = i+1, false
		}
	}
	return b.String(), n
}

// quotedEnds returns, for each offset i in text and len(text), where a quoted
// cell whose content starts at i ends (the offset after its closing quote
// mark), or -1 if it does not close in text. It reads as quoteScan does,
// backwards, so that a line is read once however many cells fail to close.
func quotedEnds(text string, comma rune) []int {
	ends := make([]int, len(text)+1)
	ends[len(text)] = -1
	cs := string(comma)
	for i := len(text) - 1; i >= 0; i-- {
		switch {
		case text[i] != '"':
			ends[i] = ends[i+1]
		case i+1 == len(text) || strings.HasPrefix(text[i+1:], cs):
			ends[i] = i + 1
		case text[i+1] == '"': // doubled
			ends[i] = ends[i+2]
		default: // a stray quote mark, kept
			ends[i] = ends[i+1]
		}
	}
	return ends
}

// splitRecord splits the text of a record into cells, by encoding/csv's rules
// with LazyQuotes, and returns the 1-based cells where it kept a stray quote
// mark. width is how many cells to make room for.
func splitRecord(text string, comma rune, width int) (cells []string, kept []int) {
	cells = make([]string, 0, max(width, 1))
	for {
		var cell string
		var stray bool
		if strings.HasPrefix(text, `"`) {
			cell, text, stray = quotedCell(text[1:], comma)
		} else {
			end := strings.IndexRune(text, comma)
			if end < 0 {
				end = len(text)
			}
			cell, text = text[:end], text[end:]
			stray = strings.Contains(cell, `"`)
		}
		cells = append(cells, cell)
		if stray {
			kept = append(kept, len(cells))
		}
		if text == "" {
			return cells, kept
		}
		_, size := utf8.DecodeRuneInString(text) // the delimiter
		text = text[size:]
	}
}

// quotedCell reads a quoted cell from s, which follows its opening quote
// mark, and returns the rest of s from the delimiter after it.
func quotedCell(s string, comma rune) (cell, rest string, stray bool) {
	// Most quoted cells have no quote mark inside: then the cell is part of s.
	if i := strings.IndexByte(s, '"'); i >= 0 {
		if next, n := utf8.DecodeRuneInString(s[i+1:]); n == 0 || next == comma {
			return s[:i], s[i+1:], false
		}
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 { // not closed: the cell runs to the end
			b.WriteString(s)
			return b.String(), "", stray
		}
		b.WriteString(s[:i])
		s = s[i+1:]
		next, n := utf8.DecodeRuneInString(s)
		switch {
		case n == 0:
			return b.String(), "", stray
		case next == comma:
			return b.String(), s, stray
		case next == '"':
			b.WriteByte('"')
			s = s[1:]
		default:
			b.WriteByte('"')
			stray = true
		}
	}
}

// warnings says what lenient reading did to the record.
func (rec record) warnings() []string {
	var w []string
	switch {
	case rec.unclosed == 1:
		w = append(w, "a quote mark that is not closed was left out")
	case rec.unclosed > 1:
		w = append(w, fmt.Sprintf("%d quote marks that are not closed were left out", rec.unclosed))
	}
	if len(rec.kept) > 0 {
		w = append(w, fmt.Sprintf("a quote mark that is not doubled was kept as a character in %s", cellList(rec.kept)))
	}
	if n := len(rec.badUTF8); n > 0 {
		verb := "is"
		if n > 1 {
			verb = "are"
		}
		w = append(w, fmt.Sprintf("%s %s not valid UTF-8, though the file started as UTF-8: the bad bytes were replaced by \uFFFD",
			cellList(rec.badUTF8), verb))
	}
	return w
}

// headerError is the error that strict reading would give for what lenient
// reading repaired in the header row.
func (rec record) headerError() error {
	switch {
	case rec.unclosed > 0:
		return quoteHint(csv.ErrQuote)
	case len(rec.kept) > 0:
		return quoteHint(csv.ErrBareQuote)
	case len(rec.badUTF8) > 0:
		return errLateUTF8
	}
	return nil
}

// cellList names cells by number: "cell 3", "cells 3, 5", and no more
// than maxListed of them.
func cellList(cells []int) string {
	if len(cells) == 1 {
		return fmt.Sprintf("cell %d", cells[0])
	}
	s := make([]string, 0, maxListed+1)
	for _, n := range cells[:min(len(cells), maxListed)] {
		s = append(s, fmt.Sprint(n))
	}
	if more := len(cells) - maxListed; more > 0 {
		s = append(s, fmt.Sprintf("%d more", more))
	}
	return "cells " + strings.Join(s, ", ")
}

// maxListed is how many cells a warning names.
const maxListed = 5
