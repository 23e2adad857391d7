package persian

import (
	"strings"
	"unicode/utf8"
)

// The Arabic-script digits and separators that lists use. Persian and
// Arabic-Indic digits look alike but are different code points, and both
// occur, often in the same spreadsheet.
const (
	persianZero     = '۰' // U+06F0
	arabicIndicZero = '٠' // U+0660
	arabicDecimal   = '٫' // U+066B
	arabicThousands = '٬' // U+066C
)

// digitRune maps one Arabic-script digit or separator to ASCII and returns
// any other rune unchanged.
func digitRune(r rune) rune {
	switch {
	case r >= persianZero && r <= persianZero+9:
		return '0' + r - persianZero
	case r >= arabicIndicZero && r <= arabicIndicZero+9:
		return '0' + r - arabicIndicZero
	case r == arabicDecimal:
		return '.'
	case r == arabicThousands:
		return ','
	}
	return r
}

// Digits converts Persian (۰–۹) and Arabic-Indic (٠–٩) digits to ASCII and
// the Arabic decimal and thousands separators (٫ ٬) to '.' and ','; nothing
// else changes, not even invalid UTF-8.
func Digits(s string) string {
	// All the runes Digits changes are encoded with lead byte 0xD9 or 0xDB;
	// most input has neither, and then s is returned without allocating.
	i := strings.IndexFunc(s, func(r rune) bool { return digitRune(r) != r })
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if m := digitRune(r); m != r {
			b.WriteByte(byte(m))
		} else {
			// Copy the bytes rather than the rune so that invalid
			// UTF-8 passes through untouched.
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// PersianDigits converts ASCII digits to Persian digits (۰–۹), for text
// shown to Persian readers; nothing else changes.
func PersianDigits(s string) string {
	i := strings.IndexAny(s, "0123456789")
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b.WriteRune(persianZero + rune(c-'0'))
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
