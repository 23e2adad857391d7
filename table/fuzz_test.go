package table

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCSV checks that no input makes the CSV reader panic, and that the rows
// it returns are as wide as the header and start on increasing lines after it.
func FuzzCSV(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	txt, _ := filepath.Glob("testdata/*.txt")
	for _, name := range append(files, txt...) {
		if data, err := os.ReadFile(name); err == nil && len(data) < 4096 {
			f.Add(data)
		}
	}
	f.Add([]byte("a;b\n\"1\n2\";3\n\xff,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Open("f.csv", bytes.NewReader(data), Options{})
		if err != nil {
			return
		}
		defer r.Close()
		last := 1
		for {
			row, err := r.Next()
			if err != nil {
				return
			}
			if row.Line <= last {
				t.Fatalf("row on line %d after line %d", row.Line, last)
			}
			if len(row.Cells) != len(r.Header()) {
				t.Fatalf("line %d: %d cells, header has %d", row.Line, len(row.Cells), len(r.Header()))
			}
			last = row.Line
		}
	})
}
