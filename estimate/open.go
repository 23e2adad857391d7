package estimate

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"peyvand/table"
)

// Opening a counts or clusters file.

// errNoHeader is a file with nothing but blank lines or comments.
var errNoHeader = errors.New("empty file: no header row")

// sniffSize is how much of a file's start decides its encoding and
// delimiter, as in package table.
const sniffSize = 64 << 10

// readerName is the name of the file r reads, for its extension and for
// errors, or def.
func readerName(r io.Reader, def string) string {
	if f, ok := r.(interface{ Name() string }); ok {
		return filepath.Base(f.Name())
	}
	return def
}

// openTable opens a counts or clusters file with package table, leniently
// (a malformed row comes with warnings rather than an error), and returns
// the CSV delimiter (0 for XLSX).
//
// Before the header, a CSV file may have an Excel "sep=;" line, which sets
// the delimiter, and comment lines starting with #; table would take the
// first of them for the header. So the text is decoded here first
// (table.Decode), those lines are blanked, which keeps every line's
// number, and table reads the UTF-8 text that is left.
func openTable(name string, r io.Reader) (table.Reader, rune, error) {
	br := bufio.NewReaderSize(r, sniffSize+8)
	head, _ := br.Peek(8)
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" || bytes.HasPrefix(head, []byte("PK\x03\x04")) ||
		bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		rd, err := table.Open(name, br, table.Options{Lenient: true})
		return rd, 0, err
	}
	text, _, err := table.Decode(br)
	if err != nil {
		return nil, 0, err
	}
	rest, comma, err := skipPreamble(text)
	if err != nil {
		return nil, 0, err
	}
	sample, err := rest.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, 0, err
	}
	if comma == 0 {
		comma = table.SniffComma(sample, err != nil)
	}
	if ext != ".csv" && ext != ".tsv" && ext != ".txt" {
		name += ".csv" // the text is CSV whatever the file is called
	}
	rd, err := table.Open(name, rest, table.Options{Lenient: true, Comma: comma})
	if err != nil {
		var te *table.Error
		if errors.As(err, &te) && te.Line == 0 && strings.Contains(te.Err.Error(), "no header") {
			return nil, 0, errNoHeader
		}
		return nil, 0, err
	}
	return rd, comma, nil
}

// skipPreamble blanks the lines before the header that are blank, comments
// (#) or Excel's "sep=X", and returns the text from the start with the
// delimiter sep= gave, or 0. A file with nothing else is errNoHeader.
func skipPreamble(text *bufio.Reader) (*bufio.Reader, rune, error) {
	var blanked strings.Builder
	var comma rune
	for {
		line, err := text.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, 0, err
		}
		if line == "" && err != nil {
			return nil, 0, errNoHeader
		}
		raw := strings.TrimLeft(strings.TrimRight(line, "\r\n"), " \ufeff")
		t := strings.TrimSpace(raw)
		switch {
		case t == "", strings.HasPrefix(t, "#"):
		case comma == 0 && len(raw) > 4 && strings.EqualFold(raw[:4], "sep="):
			c, _ := utf8.DecodeRuneInString(raw[4:])
			if c == '"' || c == '\r' || c == '\n' || c == utf8.RuneError {
				return nil, 0, fmt.Errorf("line %d: %q cannot set the delimiter", strings.Count(blanked.String(), "\n")+1, t)
			}
			comma = c
		default:
			blanked.WriteString(line)
			return bufio.NewReaderSize(io.MultiReader(strings.NewReader(blanked.String()), text), sniffSize+8), comma, nil
		}
		blanked.WriteString("\n")
		if err != nil {
			return nil, 0, errNoHeader
		}
	}
}
