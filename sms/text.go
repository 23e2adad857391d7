package sms

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"peyvand/persian"
)

// A name or place is written in one of two scripts, marked by one bit, each
// with its own table of 5-bit codes for its common characters. The
// Persian table is not a romanisation but a numbering of the letters, so
// that every name decodes to exactly the letters it was written with, and
// linkage finds it as it finds any Persian name. Everything else is
// written through an escape: a shared table of 32 further characters, or,
// for any other character, its Unicode code point.

const (
	scriptLatin   = 0
	scriptPersian = 1

	codeEnd    = 30 // ends the field
	codeEscape = 31 // the next 5 bits are an extended code

	extShift = 29 // extended: the next Latin letter is upper case (case mode mixed)
	extRaw   = 31 // extended: the next 21 bits are a Unicode code point

	// maxFieldRunes bounds each name and the place, after normalising.
	maxFieldRunes = 64
)

// latinCodes are the Latin table's codes 0–29; letters are written in
// lower case here and take their case from the field's case mode.
var latinCodes = []rune("abcdefghijklmnopqrstuvwxyz -'.")

// persianCodes are the Persian table's codes 0–29: the 28 letters most
// frequent in Persian given names (counted over PNGT-26K, most frequent
// first), then space and ZWNJ.
var persianCodes = []rune("ایرمنلدهوبسعحتشزفکخجگقآصپطضغ \u200c")

// extendedCodes are the codes after an escape, 0–28, in both scripts:
// ASCII digits, the rarer Persian letters, and punctuation that Persian
// names carry. 0 marks a code not assigned; 29 is extShift, 31 extRaw.
var extendedCodes = [32]rune{
	'0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
	'چ', 'ذ', 'ژ', 'ظ', 'ث', 'ء', 'ئ', '-', '\'', '.',
}

// Latin case modes: which ASCII letters are upper case.
const (
	caseLower = iota // none
	caseTitle        // those not preceded by an ASCII letter
	caseUpper        // all
	caseMixed        // those marked by extShift
)

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func isUpper(r rune) bool { return r >= 'A' && r <= 'Z' }

// caseMode returns the first of lower, title and upper that gives every
// ASCII letter of rs its case, or mixed.
func caseMode(rs []rune) uint32 {
	for _, mode := range []uint32{caseLower, caseTitle, caseUpper} {
		ok := true
		for i, r := range rs {
			if isASCIILetter(r) && isUpper(r) != upperIn(mode, rs, i) {
				ok = false
				break
			}
		}
		if ok {
			return mode
		}
	}
	return caseMixed
}

// upperIn reports whether the letter at rs[i] is upper case in a mode
// other than mixed.
func upperIn(mode uint32, rs []rune, i int) bool {
	switch mode {
	case caseTitle:
		return i == 0 || !isASCIILetter(rs[i-1])
	case caseUpper:
		return true
	}
	return false
}

func indexRune(table []rune, r rune) int {
	for i, x := range table {
		if x == r {
			return i
		}
	}
	return -1
}

func extendedIndex(r rune) int {
	for i, x := range extendedCodes[:extShift] {
		if x != 0 && x == r {
			return i
		}
	}
	return -1
}

// writeText writes s, which must be normalised (persian.Normalize) and
// non-empty: the script bit, for Latin the case mode, the codes, the end.
func writeText(w *bitWriter, s string) {
	rs := []rune(s)
	latin := !persian.HasArabicScript(s)
	table, mode := persianCodes, uint32(caseLower)
	if latin {
		table, mode = latinCodes, caseMode(rs)
		w.write(scriptLatin, 1)
		w.write(mode, 2)
	} else {
		w.write(scriptPersian, 1)
	}
	for _, r := range rs {
		if latin && isASCIILetter(r) {
			if mode == caseMixed && isUpper(r) {
				w.write(codeEscape, 5)
				w.write(extShift, 5)
			}
			w.write(uint32(r|0x20-'a'), 5)
			continue
		}
		if i := indexRune(table, r); i >= 0 {
			w.write(uint32(i), 5)
		} else if i := extendedIndex(r); i >= 0 {
			w.write(codeEscape, 5)
			w.write(uint32(i), 5)
		} else {
			w.write(codeEscape, 5)
			w.write(extRaw, 5)
			w.write(uint32(r), 21)
		}
	}
	w.write(codeEnd, 5)
}

// readText reads what writeText wrote. It stops at maxFieldRunes, so a
// hostile text cannot make it allocate more.
func readText(r *bitReader) (string, error) {
	script, err := r.read(1)
	if err != nil {
		return "", err
	}
	table, mode := persianCodes, uint32(caseLower)
	if script == scriptLatin {
		table = latinCodes
		if mode, err = r.read(2); err != nil {
			return "", err
		}
	}
	var rs []rune
	shift := false
	for {
		c, err := r.read(5)
		if err != nil {
			return "", err
		}
		if c == codeEnd {
			break
		}
		if len(rs) == maxFieldRunes {
			return "", fmt.Errorf("a name is longer than %d characters", maxFieldRunes)
		}
		letter := script == scriptLatin && c < 26
		if shift && !letter {
			return "", errors.New("a case shift is not followed by a letter")
		}
		if c != codeEscape {
			x := table[c]
			if letter && (shift || mode != caseMixed && upperIn(mode, rs, len(rs))) {
				x -= 'a' - 'A'
			}
			shift = false
			rs = append(rs, x)
			continue
		}
		ext, err := r.read(5)
		if err != nil {
			return "", err
		}
		switch {
		case ext == extShift && script == scriptLatin && mode == caseMixed:
			shift = true
		case ext == extRaw:
			cp, err := r.read(21)
			if err != nil {
				return "", err
			}
			if !utf8.ValidRune(rune(cp)) {
				return "", fmt.Errorf("U+%04X is not a character", cp)
			}
			rs = append(rs, rune(cp))
		case ext < extShift && extendedCodes[ext] != 0:
			rs = append(rs, extendedCodes[ext])
		default:
			return "", fmt.Errorf("escape code %d is not assigned", ext)
		}
	}
	if shift {
		return "", errors.New("a case shift is not followed by a letter")
	}
	return string(rs), nil
}
