package bundle

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"peyvand"
)

func split(t *testing.T, data []byte, size int64) [][]byte {
	t.Helper()
	var pieces [][]byte
	if _, err := Split(bytes.NewReader(data), size, func(i, n int) (io.WriteCloser, error) {
		pieces = append(pieces, nil)
		return &sliceWriter{p: &pieces[i-1]}, nil
	}); err != nil {
		t.Fatal(err)
	}
	return pieces
}

func TestJoinErrors(t *testing.T) {
	data := bytes.Repeat([]byte("bundle bytes "), 100)
	p := split(t, data, 500)
	other := split(t, bytes.Repeat([]byte("another one "), 100), 500)
	damaged := bytes.Clone(p[1])
	damaged[len(damaged)-1] ^= 1
	named := func(bs ...[]byte) []Piece {
		var out []Piece
		for i, b := range bs {
			out = append(out, Piece{Name: "p" + string(rune('1'+i)), R: bytes.NewReader(b)})
		}
		return out
	}
	if len(p) != 4 {
		t.Fatalf("%d pieces", len(p))
	}
	for _, tc := range []struct {
		name   string
		pieces []Piece
		code   string
		want   string
	}{
		{"missing", named(p[0], p[2], p[3]), peyvand.ENOTFOUND, "missing: 2"},
		{"duplicated", named(p[0], p[1], p[1], p[2], p[3]), peyvand.EINVALID, "piece 2 of 4 is given twice: p2 and p3"},
		{"foreign", named(p[0], p[1], other[2], p[3]), peyvand.EINVALID, "p3 is a piece of another bundle than p1"},
		{"damaged", named(p[0], damaged, p[2], p[3]), peyvand.EINTEGRITY, "piece 2 of 4 (p2) is damaged"},
		{"not a piece", named([]byte("hello")), peyvand.EINVALID, "p1 is not a bundle piece"},
		{"none", nil, peyvand.EINVALID, "no pieces"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Join(io.Discard, tc.pieces)
			if peyvand.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %s %q", err, tc.code, tc.want)
			}
		})
	}
	var buf bytes.Buffer
	if err := Join(&buf, named(p[3], p[1], p[0], p[2])); err != nil || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("join out of order: %v", err)
	}
	if _, err := Split(bytes.NewReader(data), 100, nil); peyvand.ErrorCode(err) != peyvand.EINVALID {
		t.Fatalf("tiny size: %v", err)
	}
}

func TestPadme(t *testing.T) {
	for _, tc := range []struct{ in, want int64 }{{0, 0}, {1, 1}, {9, 10}, {100, 104}, {1000, 1024}, {2377, 2432}, {1 << 20, 1 << 20}, {1<<20 + 1, 1<<20 + 1<<15}} {
		if got := padme(tc.in); got != tc.want {
			t.Errorf("padme(%d) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
