package table

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

var update = flag.Bool("update", false, "rewrite the generated files under testdata")

// generated are the testdata files made by encoding others or by a program,
// because they cannot be typed: each is checked against its recipe, and
// rewritten by go test -update.
var generated = map[string]func() ([]byte, error){
	"win1256.csv": func() ([]byte, error) {
		src, err := os.ReadFile("testdata/win1256.csv.utf8")
		if err != nil {
			return nil, err
		}
		return charmap.Windows1256.NewEncoder().Bytes(src)
	},
	"utf16le.txt": func() ([]byte, error) {
		src, err := os.ReadFile("testdata/utf16le.txt.utf8")
		if err != nil {
			return nil, err
		}
		// UseBOM writes a byte order mark, as Excel's "Unicode text" does.
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(src)
	},
	"late-utf8.csv": func() ([]byte, error) { return lateUTF8(), nil },
}

// lateUTF8 is a UTF-8 file longer than the sniffed prefix whose line
// lateBadLine is in Windows-1256, as when two exports are pasted together.
func lateUTF8() []byte {
	var b bytes.Buffer
	b.WriteString("شناسه,نام,شهر\n")
	for i := 2; i < lateBadLine; i++ {
		fmt.Fprintf(&b, "%d,مریم احمدی,تهران\n", i)
	}
	b.WriteString("3000,\xe3\xd1\xed\xe3,\xca\xe5\xd1\xc7\xe4\n")
	b.WriteString("3001,علی,کرج\n")
	return b.Bytes()
}

const lateBadLine = 3000

func TestGeneratedTestdata(t *testing.T) {
	for name, gen := range generated {
		want, err := gen()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from its recipe; run go test -update", path)
		}
	}
}
