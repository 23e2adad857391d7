package sms

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"peyvand"
)

// alphabet is Crockford's base32: the digits and the letters without I, L,
// O and U, which are too easily taken for 1, 1, 0 and V (or read as words).
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Limits on outside input, checked before any work that grows with it.
const (
	// MaxSymbols bounds a text's letters and digits: three SMS segments.
	// The longest report Validate accepts is shorter.
	MaxSymbols = 480
	// maxInputBytes bounds the text as given, separators included.
	maxInputBytes = 4 * MaxSymbols
)

// symbolValue returns the value of one character of a text: any case, O
// read as 0, I and L as 1, Persian and Arabic-Indic digits as the digits
// they are (a phone with a Persian keyboard types those).
func symbolValue(r rune) (byte, bool) {
	switch {
	case r >= '۰' && r <= '۹':
		r = '0' + r - '۰'
	case r >= '٠' && r <= '٩':
		r = '0' + r - '٠'
	case r >= 'a' && r <= 'z':
		r -= 'a' - 'A'
	}
	switch r {
	case 'O':
		r = '0'
	case 'I', 'L':
		r = '1'
	}
	if i := strings.IndexRune(alphabet, r); i >= 0 && r < utf8.RuneSelf {
		return byte(i), true
	}
	return 0, false
}

// isSeparator reports whether decoding skips r: spaces and line breaks,
// dashes of every kind, and the invisible formatting characters that
// phones and editors insert (bidi marks, ZWNJ, BOM).
func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || unicode.Is(unicode.Cf, r)
}

// readSymbols returns the symbols of text and, for each, its position in
// text counted in characters from 1, for messages that point at a typo.
func readSymbols(text string) (syms []byte, cols []int, err error) {
	if len(text) > maxInputBytes {
		return nil, nil, peyvand.Errorf(peyvand.EINVALID, "the text is longer than %d bytes: not a report", maxInputBytes)
	}
	col := 0
	for _, r := range text {
		col++
		if isSeparator(r) {
			continue
		}
		v, ok := symbolValue(r)
		if !ok {
			return nil, nil, &CheckError{Pos: col, Kind: "character", Context: around(text, col),
				msg: fmt.Sprintf("character %q at position %d is not one of the letters and digits of a report", r, col)}
		}
		if len(syms) == MaxSymbols {
			return nil, nil, peyvand.Errorf(peyvand.EINVALID, "the text has more than %d letters and digits: not a report", MaxSymbols)
		}
		syms = append(syms, v)
		cols = append(cols, col)
	}
	return syms, cols, nil
}

// symbolString writes symbols as text without separators.
func symbolString(syms []byte) string {
	b := make([]byte, len(syms))
	for i, s := range syms {
		b[i] = alphabet[s&31]
	}
	return string(b)
}

// Group writes a text in groups of n characters joined by dashes, easier
// to read over a phone and to copy by hand; decoding ignores the dashes.
// Separators already in text are dropped first. n < 1 means no groups.
func Group(text string, n int) string {
	var b strings.Builder
	k := 0
	for _, r := range text {
		if isSeparator(r) {
			continue
		}
		if n > 0 && k > 0 && k%n == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
		k++
	}
	return b.String()
}

// around returns the characters around position col (from 1) of text
// with the one at col in brackets, for an error message.
func around(text string, col int) string {
	rs := []rune(text)
	for i, r := range rs {
		if !unicode.IsPrint(r) {
			rs[i] = '?' // the text is outside input: keep the terminal safe
		}
	}
	if col < 1 || col > len(rs)+1 {
		return ""
	}
	i := col - 1
	lo, hi := max(0, i-6), min(len(rs), i+7)
	var b strings.Builder
	if lo > 0 {
		b.WriteString("…")
	}
	b.WriteString(string(rs[lo:i]))
	if i < len(rs) {
		b.WriteString("[" + string(rs[i]) + "]")
		b.WriteString(string(rs[i+1 : hi]))
	} else {
		b.WriteString("[]")
	}
	if hi < len(rs) {
		b.WriteString("…")
	}
	return b.String()
}
