package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"peyvand"
)

// A piece is one part of a bundle file split for a carrier that takes only
// so many bytes at a time. It starts with a fixed-length line,
//
//	bundle-piece/v1 <bundle sha256, 64 hex> <index>/<count> <piece data sha256, 64 hex>\n
//
// with index and count as five decimal digits each (index from 1), then
// the piece's bytes of the bundle. The bundle is named by the SHA-256 of
// its bytes: it reveals nothing about the sender or the recipient.
const (
	piecePrefix    = "bundle-piece/v1 "
	PieceHeaderLen = len(piecePrefix) + 64 + 1 + 11 + 1 + 64 + 1
	maxPieces      = 99999
)

type pieceHeader struct {
	set          string
	index, count int
	sum          string
}

func (h pieceHeader) String() string {
	return fmt.Sprintf("%s%s %05d/%05d %s\n", piecePrefix, h.set, h.index, h.count, h.sum)
}

func parsePieceHeader(b []byte) (pieceHeader, bool) {
	s := string(b)
	if len(s) != PieceHeaderLen || !strings.HasPrefix(s, piecePrefix) || s[len(s)-1] != '\n' {
		return pieceHeader{}, false
	}
	f := strings.Split(strings.TrimSuffix(s[len(piecePrefix):], "\n"), " ")
	if len(f) != 3 || !isHex64(f[0]) || !isHex64(f[2]) || len(f[1]) != 11 || f[1][5] != '/' {
		return pieceHeader{}, false
	}
	i, err1 := strconv.Atoi(f[1][:5])
	n, err2 := strconv.Atoi(f[1][6:])
	if err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return pieceHeader{}, false
	}
	return pieceHeader{set: f[0], index: i, count: n, sum: f[2]}, true
}

func isHex64(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 32 && hex.EncodeToString(b) == s
}

// Split cuts the bundle in src into pieces of at most size bytes each,
// header included, written to the writers create returns for piece i of n
// (from 1). It reads src twice and holds only the pieces' digests. It
// returns the number of pieces.
func Split(src io.ReadSeeker, size int64, create func(i, n int) (io.WriteCloser, error)) (int, error) {
	per := size - int64(PieceHeaderLen)
	if per < 1 {
		return 0, peyvand.Errorf(peyvand.EINVALID, "piece size %d is too small: each piece has a %d-byte header", size, PieceHeaderLen)
	}
	whole := sha256.New()
	var sums []string
	for {
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(whole, h), io.LimitReader(src, per))
		if err != nil {
			return 0, err
		}
		if n == 0 && len(sums) > 0 {
			break
		}
		sums = append(sums, hex.EncodeToString(h.Sum(nil)))
		if len(sums) > maxPieces {
			return 0, peyvand.Errorf(peyvand.EINVALID, "more than %d pieces: choose a larger size", maxPieces)
		}
		if n < per {
			break
		}
	}
	set := hex.EncodeToString(whole.Sum(nil))
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	for i, sum := range sums {
		w, err := create(i+1, len(sums))
		if err != nil {
			return 0, err
		}
		_, err = io.WriteString(w, pieceHeader{set: set, index: i + 1, count: len(sums), sum: sum}.String())
		if err == nil {
			_, err = io.Copy(w, io.LimitReader(src, per))
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return 0, fmt.Errorf("write piece %d of %d: %w", i+1, len(sums), err)
		}
	}
	return len(sums), nil
}

// Piece is a piece to join, named for errors.
type Piece struct {
	Name string
	R    io.Reader
}

// Join writes the bundle the pieces, given in any order, make up to dst.
// It refuses a set with a piece missing, given twice, or from another
// bundle before writing anything; a damaged piece is found while writing,
// so on error the caller must discard what was written.
func Join(dst io.Writer, pieces []Piece) error {
	if len(pieces) == 0 {
		return peyvand.Errorf(peyvand.EINVALID, "no pieces to join")
	}
	type got struct {
		pieceHeader
		Piece
	}
	var all []got
	for _, p := range pieces {
		b := make([]byte, PieceHeaderLen)
		if _, err := io.ReadFull(p.R, b); err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return fmt.Errorf("read %s: %w", p.Name, err)
		}
		h, ok := parsePieceHeader(b)
		if !ok {
			return peyvand.Errorf(peyvand.EINVALID, "%s is not a bundle piece", p.Name)
		}
		all = append(all, got{h, p})
	}
	first := all[0]
	seen := map[int]string{}
	for _, g := range all {
		if g.set != first.set || g.count != first.count {
			return peyvand.Errorf(peyvand.EINVALID, "%s is a piece of another bundle than %s (bundle %.12s…, not %.12s…)", g.Name, first.Name, g.set, first.set)
		}
		if other, dup := seen[g.index]; dup {
			return peyvand.Errorf(peyvand.EINVALID, "piece %d of %d is given twice: %s and %s", g.index, g.count, other, g.Name)
		}
		seen[g.index] = g.Name
	}
	var missing []string
	for i := 1; i <= first.count; i++ {
		if seen[i] == "" {
			missing = append(missing, strconv.Itoa(i))
		}
	}
	if len(missing) > 0 {
		return peyvand.Errorf(peyvand.ENOTFOUND, "bundle %.12s… has %d pieces; missing: %s", first.set, first.count, strings.Join(missing, ", "))
	}
	sort.Slice(all, func(i, j int) bool { return all[i].index < all[j].index })
	whole := sha256.New()
	for _, g := range all {
		h := sha256.New()
		if _, err := io.Copy(io.MultiWriter(dst, whole, h), g.R); err != nil {
			return fmt.Errorf("join %s: %w", g.Name, err)
		}
		if hex.EncodeToString(h.Sum(nil)) != g.sum {
			return peyvand.Errorf(peyvand.EINTEGRITY, "piece %d of %d (%s) is damaged: its bytes do not match its digest", g.index, g.count, g.Name)
		}
	}
	if hex.EncodeToString(whole.Sum(nil)) != first.set {
		return peyvand.Errorf(peyvand.EINTEGRITY, "the joined pieces do not make up bundle %.12s…", first.set)
	}
	return nil
}
