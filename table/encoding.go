package table

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how much of the start of a file decides its encoding and
// delimiter: enough for many lines, small enough to hold in memory.
const sniffSize = 64 << 10

// utfMax leaves room in the buffer beyond sniffSize, so Peek can be asked
// for sniffSize after a byte order mark is discarded.
const utfMax = 8

const (
	encUTF8    = "UTF-8"
	encUTF16LE = "UTF-16LE"
	encUTF16BE = "UTF-16BE"
	encWin1256 = "Windows-1256"
)

// decode chooses the encoding from the start of br and returns a reader of
// UTF-8 text. A byte order mark decides; without one the file is UTF-8 if its
// start is valid UTF-8, and otherwise Windows-1256, which Excel uses for
// "CSV" in Persian and Arabic Windows.
func decode(br *bufio.Reader) (*bufio.Reader, string, error) {
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", err
	}
	atEOF := err != nil
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return br, encUTF8, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		br.Discard(2)
		return transcode(br, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()), encUTF16LE, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		br.Discard(2)
		return transcode(br, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()), encUTF16BE, nil
	case validUTF8Prefix(head, atEOF):
		return br, encUTF8, nil
	default:
		return transcode(br, charmap.Windows1256.NewDecoder()), encWin1256, nil
	}
}

// Decode returns the text of r as UTF-8, and the encoding it was in, by
// the rule Open follows (see decode); for readers that must see the text
// before Open does, such as one that skips lines above a header.
func Decode(r io.Reader) (*bufio.Reader, string, error) {
	return decode(bufio.NewReaderSize(r, sniffSize+utfMax))
}

func transcode(r io.Reader, t transform.Transformer) *bufio.Reader {
	return bufio.NewReaderSize(transform.NewReader(r, t), sniffSize+utfMax)
}

// validUTF8Prefix reports whether b is valid UTF-8, forgiving a rune cut off
// at its end when more of the file follows.
func validUTF8Prefix(b []byte, atEOF bool) bool {
	if !atEOF {
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

// commas are the delimiters Excel writes: ',' in English locales, ';' where
// the comma is the decimal separator, tab for "Unicode text", '|' from some
// databases, and the Arabic comma from Persian-localised tools.
var commas = []rune{',', ';', '\t', '|', '\u060C'}

// sniffLines is how many records after the header judge a delimiter.
const sniffLines = 20

// SniffComma picks the delimiter (comma, semicolon, tab, pipe or Arabic
// comma) that splits the header into the most fields while splitting the
// following lines into as many: first the most lines agreeing with the
// header, then the most fields; a comma when none splits the header.
// sample is the start of the text; unless atEOF its last line may be cut
// off, so it is dropped. Open uses it; other readers of small CSV files
// (estimate's counts) call it directly.
func SniffComma(sample []byte, atEOF bool) rune {
	if !atEOF {
		if i := bytes.LastIndexByte(sample, '\n'); i >= 0 {
			sample = sample[:i+1]
		}
	}
	best, bestAgree, bestFields := ',', -1, 1
	for _, c := range commas {
		fields, agree := splitSample(sample, c)
		if fields < 2 {
			continue
		}
		if agree > bestAgree || agree == bestAgree && fields > bestFields {
			best, bestAgree, bestFields = c, agree, fields
		}
	}
	return best
}

// splitSample parses sample with delimiter c and returns the number of
// fields in the header (the first non-blank record) and how many of the
// next records have as many.
func splitSample(sample []byte, c rune) (fields, agree int) {
	r := csv.NewReader(bytes.NewReader(sample))
	r.Comma = c
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	fields = -1
	for n := 0; n < sniffLines; {
		rec, err := r.Read()
		if err != nil {
			break
		}
		switch {
		case fields < 0 && !blankRecord(rec):
			fields = len(rec)
		case fields >= 0:
			if len(rec) == fields {
				agree++
			}
			n++
		}
	}
	return fields, agree
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
