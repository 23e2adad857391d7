package persian

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns the form in which names are compared. It applies Normalize,
// then removes what varies between writers of the same name but not
// between different names:
//
//   - ZWNJ and other invisible joiners are removed, so محمدرضا and
//     محمد‌رضا fold the same. Spaces stay word separators: "محمد رضا" folds
//     to "محمد رضا", and linkage compares joined and spaced tokens itself.
//   - آ becomes ا and ئ becomes ی, because both are often typed without
//     the mark (ارش for آرش, قایمی for قائمی).
//   - Latin letters are lowercased and lose their diacritics (é → e,
//     ü → u, ß → ss, ø → o, ł → l), and compatibility forms such as
//     ligatures and full-width letters become plain letters.
//   - Hyphens, underscores, dots, commas, colons, slashes and apostrophes
//     (' ’ ʼ ʿ ʾ) become spaces; other punctuation and symbols are removed;
//     spaces collapse and the ends are trimmed.
//
// So Fold("HOSSEINI, Mohammad-Reza") == "hosseini mohammad reza".
func Fold(s string) string {
	s = Normalize(s)
	var b strings.Builder
	b.Grow(len(s))
	w := runeWriter{b: &b}
	for _, r := range s {
		foldRune(&w, r)
	}
	// Removing punctuation can bring together characters that compose,
	// such as Hangul jamo; composing again keeps Fold idempotent.
	return nfc(b.String())
}

func foldRune(w *runeWriter, r rune) {
	if r < utf8.RuneSelf {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			w.rune(r)
		case 'A' <= r && r <= 'Z':
			w.rune(r + 'a' - 'A')
		case r == ' ' || isFoldSeparator(r):
			w.space()
		}
		return
	}
	if x := foldSpecial(r); x != "" {
		for _, r := range x {
			w.rune(r)
		}
		return
	}
	switch {
	case isFoldSeparator(r) || unicode.IsSpace(r):
		w.space()
	case r == alefMadda:
		w.rune('ا')
	case r == yehHamza:
		w.rune(farsiYeh)
	case unicode.Is(unicode.Latin, r):
		foldLatin(w, r)
	case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mc, r):
		w.rune(unicode.ToLower(r))
	}
	// Everything else — combining marks, punctuation, symbols, format
	// characters such as ZWNJ and ZWJ — is removed.
}

// foldLatin writes r lowercased, without diacritics and in its
// compatibility form (ﬁ → fi, Ａ → a), folding each piece of the
// decomposition in turn.
func foldLatin(w *runeWriter, r rune) {
	var in [utf8.UTFMax]byte
	var out [4 * utf8.UTFMax]byte
	d := norm.NFKD.Append(out[:0], in[:utf8.EncodeRune(in[:], r)]...)
	for len(d) > 0 {
		x, size := utf8.DecodeRune(d)
		d = d[size:]
		switch {
		case x != r:
			foldRune(w, x)
		case unicode.ToLower(r) != r:
			foldRune(w, unicode.ToLower(r))
		case unicode.IsLetter(r):
			w.rune(r)
		}
	}
}

// foldSpecial returns the plain Latin spelling of letters that have no
// Unicode decomposition but are read as plain letters in names, and "" for
// every other rune.
func foldSpecial(r rune) string {
	switch r {
	case 'ß', 'ẞ':
		return "ss"
	case 'æ', 'Æ':
		return "ae"
	case 'œ', 'Œ':
		return "oe"
	case 'ø', 'Ø':
		return "o"
	case 'đ', 'Đ', 'ð', 'Ð':
		return "d"
	case 'ł', 'Ł':
		return "l"
	case 'ı':
		return "i"
	case 'þ', 'Þ':
		return "th"
	case 'ħ', 'Ħ':
		return "h"
	case 'ŧ', 'Ŧ':
		return "t"
	}
	return ""
}

// isFoldSeparator reports whether r separates the parts of a name as a
// space does: "Mohammad-Reza", "HOSSEINI, Mohammad", "Ala'i", "Sa‘idi".
func isFoldSeparator(r rune) bool {
	switch r {
	case '-', '_', '.', ',', ';', ':', '/', '\\', '\'', '`', '´',
		'\u2018', '\u2019', // ‘ ’
		'\u02BB', '\u02BC', '\u02BE', '\u02BF', // ʻ ʼ ʾ ʿ
		'\u060C', '\u061B', // Arabic comma and semicolon
		'\u00B7', '\u2027': // middle dot, hyphenation point
		return true
	}
	return r > utf8.RuneSelf && unicode.Is(unicode.Pd, r)
}
