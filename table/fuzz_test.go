package table

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// FuzzCSV checks that no input makes the CSV reader panic, and that the rows
// it returns are as wide as the header and start on increasing lines after it.
// Read leniently, a file whose header can be read gives no error at all; and
// a row that lenient reading did not repair is the row that strict reading
// reads on the same line.
func FuzzCSV(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	txt, _ := filepath.Glob("testdata/*.txt")
	for _, name := range append(files, txt...) {
		if data, err := os.ReadFile(name); err == nil && len(data) < 4096 {
			f.Add(data)
		}
	}
	f.Add([]byte("a;b\n\"1\n2\";3\n\xff,x\n"))
	f.Add([]byte("a,b,c\n1,\"x,y\n2,\"p\"q\",r\"\n3,s,t\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		strictHeader, strict, strictErr := readCSV(t, data, Options{})
		header, lenient, err := readCSV(t, data, Options{Lenient: true})
		if errors.Is(err, errOpen) {
			return
		}
		if err != nil {
			t.Fatalf("lenient: %v", err)
		}
		if errors.Is(strictErr, errOpen) {
			return
		}
		if !slices.Equal(header, strictHeader) {
			t.Fatalf("lenient header %q, strict %q", header, strictHeader)
		}
		byLine := make(map[int][]string, len(strict))
		for _, row := range strict {
			byLine[row.Line] = row.Cells
		}
		for _, row := range lenient {
			if want, ok := byLine[row.Line]; ok && row.Warnings == nil && !slices.Equal(row.Cells, want) {
				t.Fatalf("line %d without warnings: lenient %q, strict %q", row.Line, row.Cells, want)
			}
		}
	})
}

var errOpen = errors.New("cannot open")

// readCSV reads the header and every row of data, checking each row, and
// returns them with the error that ended the reading (errOpen if Open failed).
func readCSV(t *testing.T, data []byte, opt Options) ([]string, []Row, error) {
	r, err := Open("f.csv", bytes.NewReader(data), opt)
	if err != nil {
		return nil, nil, errOpen
	}
	defer r.Close()
	var rows []Row
	last := 1
	for {
		row, err := r.Next()
		if err == io.EOF {
			return r.Header(), rows, nil
		}
		if err != nil {
			return r.Header(), rows, err
		}
		if row.Line <= last {
			t.Fatalf("lenient %v: row on line %d after line %d", opt.Lenient, row.Line, last)
		}
		if len(row.Cells) != len(r.Header()) {
			t.Fatalf("lenient %v: line %d: %d cells, header has %d", opt.Lenient, row.Line, len(row.Cells), len(r.Header()))
		}
		if !opt.Lenient && row.Warnings != nil {
			t.Fatalf("strict: line %d has warnings %q", row.Line, row.Warnings)
		}
		rows = append(rows, row)
		last = row.Line
	}
}
