package persian

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const (
	zwnj      = '\u200c' // zero width non-joiner: part of Persian spelling (می‌روم, محمد‌رضا)
	tatweel   = '\u0640' // kashida: stretches a line, carries no letter
	alefMadda = 'آ'
	yehHamza  = 'ئ'
	farsiYeh  = 'ی'
)

// Normalize returns s in a canonical Persian form that keeps what a reader
// sees, so that the same text typed on different keyboards is stored once:
//
//   - Arabic letter forms become the Persian ones: ي ى → ی, ك → ک, ة ۀ → ه,
//     ؤ → و, أ إ ٱ → ا, and ئ → ی where it ends a word (inside a word, as in
//     رئیسی, it is a real Persian spelling and stays). آ stays; a decomposed
//     ا + U+0653 becomes آ. Arabic presentation forms (from PDFs) become the
//     letters they show.
//   - Diacritics (harakat U+064B–U+065F, superscript alef U+0670, Quranic
//     marks) and tatweel are removed.
//   - Persian and Arabic-Indic digits become ASCII, as in Digits.
//   - Every Unicode space becomes ' ', runs of spaces collapse, and the ends
//     are trimmed; other control characters are removed.
//   - ZWNJ is kept, but repeats collapse and a ZWNJ next to a space or at
//     either end is removed. The invisible characters people put in its
//     place or leave behind by copying (zero width space, BOM, soft hyphen,
//     bidi marks and embeddings) are removed. ZWJ is kept: it changes how
//     the letters are drawn.
//   - The result is in NFC, so Latin text with combining accents compares
//     equal to its precomposed form. Latin text is otherwise unchanged (case
//     is kept). Invalid UTF-8 becomes U+FFFD.
func Normalize(s string) string {
	if isCleanASCII(s) {
		return s
	}
	s = prepare(s)
	var b strings.Builder
	b.Grow(len(s))
	w := runeWriter{b: &b}
	for i, r := range s {
		switch {
		case isDropped(r):
		case r == zwnj:
			w.zwnj()
		case unicode.IsSpace(r):
			w.space()
		case r == yehHamza && !beforeArabicLetter(s[i+utf8.RuneLen(r):]):
			w.rune(farsiYeh)
		default:
			w.rune(persianLetter(r))
		}
	}
	return nfc(b.String())
}

// isCleanASCII reports whether Normalize would return s unchanged without
// looking further: printable ASCII with single inner spaces. Most Latin
// names and many dates are, and they are then not copied.
func isCleanASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' || c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			return false
		}
	}
	return true
}

// prepare makes s valid UTF-8, expands Arabic presentation forms to the
// letters they stand for, and composes it (NFC) so that a decomposed
// ا + U+0653 becomes آ before the marks are dropped.
func prepare(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexFunc(s, isPresentationForm) >= 0 {
		var b strings.Builder
		b.Grow(len(s))
		for _, r := range s {
			if isPresentationForm(r) {
				b.WriteString(norm.NFKC.String(string(r)))
			} else {
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	return nfc(s)
}

func nfc(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// isPresentationForm reports whether r is one of the Arabic contextual or
// ligature forms that text extracted from PDFs and old software contains.
func isPresentationForm(r rune) bool {
	return r >= 0xFB50 && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFE
}

// isDropped reports whether Normalize removes r: Arabic marks, tatweel,
// invisible formatting characters other than ZWNJ and ZWJ, and controls
// that are not whitespace.
func isDropped(r rune) bool {
	switch {
	case r == tatweel, isArabicMark(r), isInvisible(r):
		return true
	case r < ' ' || r >= 0x7F && r < 0xA0:
		return !unicode.IsSpace(r)
	}
	return false
}

// isArabicMark reports whether r is a combining mark of the Arabic script:
// harakat, shadda, sukun, hamza above and below, superscript alef, the
// small high signs of Quranic text.
func isArabicMark(r rune) bool {
	if r < 0x0610 || r > 0x08FF || r > 0x06FF && r < 0x0870 {
		return false
	}
	return unicode.Is(unicode.Mn, r)
}

// isInvisible reports whether r is one of the invisible characters that
// people type or paste in place of a ZWNJ, or that bidi-aware editors
// leave in mixed Persian/Latin text.
func isInvisible(r rune) bool {
	switch r {
	case '\u00AD', // soft hyphen
		'\u061C',           // Arabic letter mark
		'\u180E',           // Mongolian vowel separator (once a space)
		'\u200B',           // zero width space
		'\u200E', '\u200F', // left-to-right and right-to-left marks
		'\uFEFF': // byte order mark, zero width no-break space
		return true
	}
	return r >= '\u202A' && r <= '\u202E' || // bidi embeddings and overrides
		r >= '\u2060' && r <= '\u2064' || // word joiner, invisible operators
		r >= '\u2066' && r <= '\u2069' // bidi isolates
}

// persianLetter maps the Arabic letter forms and digits that Arabic
// keyboards and older software produce to the ones Persian uses.
func persianLetter(r rune) rune {
	switch r {
	case 'ي', 'ى': // Arabic yeh, alef maksura
		return farsiYeh
	case 'ك': // Arabic kaf
		return 'ک'
	case 'ة', 'ۀ', 'ە', 'ہ': // teh marbuta, heh with yeh above, ae, heh goal
		return 'ه'
	case 'ؤ':
		return 'و'
	case 'أ', 'إ', 'ٱ', 'ٲ', 'ٳ': // alef with hamza above or below, wasla, wavy hamza
		return 'ا'
	}
	return digitRune(r)
}

// beforeArabicLetter reports whether the first rune of rest that Normalize
// keeps is an Arabic-script letter, that is whether a letter before it is
// drawn joined to the next one rather than ending its word. It skips what
// Normalize drops so that Normalize is idempotent.
func beforeArabicLetter(rest string) bool {
	for _, r := range rest {
		if isDropped(r) {
			continue
		}
		return isArabicLetter(r)
	}
	return false
}

func isArabicLetter(r rune) bool {
	return r >= 0x0600 && unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r)
}

// HasArabicScript reports whether s contains a letter of the Arabic script
// (Persian included); digits and punctuation do not count, so a date
// written in Persian digits does not make a Latin name "Persian".
func HasArabicScript(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && isArabicLetter(r) {
			return true
		}
	}
	return false
}

// runeWriter writes runes while collapsing spaces and ZWNJs: a separator is
// held back until the next visible rune, so that none is written at either
// end, a space wins over a ZWNJ next to it, and repeats become one.
type runeWriter struct {
	b                         *strings.Builder
	pendingSpace, pendingZWNJ bool
}

func (w *runeWriter) space() {
	w.pendingSpace, w.pendingZWNJ = true, false
}

func (w *runeWriter) zwnj() {
	if !w.pendingSpace {
		w.pendingZWNJ = true
	}
}

func (w *runeWriter) rune(r rune) {
	if w.b.Len() > 0 {
		if w.pendingSpace {
			w.b.WriteByte(' ')
		} else if w.pendingZWNJ {
			w.b.WriteRune(zwnj)
		}
	}
	w.pendingSpace, w.pendingZWNJ = false, false
	w.b.WriteRune(r)
}
