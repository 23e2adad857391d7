package persian

import (
	"strings"
	"unicode"
)

// NormalizeNationalID reads an Iranian national ID (کد ملی) as lists write
// it. It converts Persian and Arabic-Indic digits to ASCII, removes spaces,
// hyphens, dots and invisible bidi marks, and left-pads 8 or 9 remaining
// digits with zeros to 10, because spreadsheets drop leading zeros. It
// returns those digits and whether they form a valid ID (see
// ValidNationalID).
//
// If what remains is not 8 to 10 digits, it returns the input as written
// (trimmed, digits in ASCII) and valid == false: the caller keeps the value
// with a flag rather than dropping the row.
func NormalizeNationalID(s string) (id string, valid bool) {
	s = Digits(s)
	var b strings.Builder
	b.Grow(10)
	ok := true
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.IsSpace(r), r == '.', isInvisible(r), r == zwnj, r == '\u200d',
			r == '-', r == '\u2212', unicode.Is(unicode.Pd, r):
		default:
			ok = false
		}
		if b.Len() > 10 {
			ok = false
			break
		}
	}
	id = b.String()
	if !ok || len(id) < 8 || len(id) > 10 {
		return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || isInvisible(r) }), false
	}
	id = strings.Repeat("0", 10-len(id)) + id
	return id, ValidNationalID(id)
}

// ValidNationalID reports whether s is exactly ten ASCII digits whose last
// digit is the check digit of the first nine: with
// sum = Σ_{i=0..8} d[i]·(10−i) and r = sum mod 11, the check digit is r if
// r < 2 and 11−r otherwise. IDs whose ten digits are all equal pass that
// test but are never issued, and are invalid.
func ValidNationalID(s string) bool {
	if len(s) != 10 {
		return false
	}
	sum, same := 0, true
	for i := 0; i < 10; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		if c != s[0] {
			same = false
		}
		if i < 9 {
			sum += int(c-'0') * (10 - i)
		}
	}
	if same {
		return false
	}
	check := sum % 11
	if check >= 2 {
		check = 11 - check
	}
	return int(s[9]-'0') == check
}
