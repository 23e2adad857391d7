package names

import (
	"strings"

	"peyvand/persian"
)

// Name is a full name split into the tokens linkage compares.
type Name struct {
	// Tokens are the folded name words, given names first, with the
	// parts of a compound given name joined (mohammadreza, محمدرضا).
	Tokens []string
	// Honorifics are the folded titles taken out of the name (seyed,
	// sadat, haj, سید): they say something of a person, descent from the
	// Prophet or a pilgrimage, but writers add and drop them freely.
	Honorifics []string
	// SurnameFirst reports that the input was "SURNAME, Given".
	SurnameFirst bool
}

// honorifics are the folded spellings of titles that precede or follow a
// given name. Mir is not one: in Mir-Hossein it is part of the name.
var honorifics = map[string]bool{
	"seyed": true, "seyyed": true, "sayyid": true, "sayyed": true,
	"sayed": true, "seyyid": true, "sayid": true, "seyedeh": true,
	"seyyedeh": true, "sayyida": true, "sadat": true, "sadaat": true,
	"haj": true, "hajj": true, "haji": true, "hajji": true, "hadj": true,
	"hadji": true, "hajieh": true, "hajiyeh": true,
	"سید": true, "سیده": true, "سادات": true, "حاج": true, "حاجی": true,
	"حاجیه": true,
}

// Tokens returns Parse(full).Tokens.
func Tokens(full string) []string { return Parse(full).Tokens }

// Parse splits a full name into tokens. A comma means "SURNAME, Given"
// (HOSSEINI, Mohammad-Reza), and the given name is put first; hyphens
// and spaces separate words, a ZWNJ joins the parts of one word and stays
// in its token (see words); honorifics are moved to Honorifics,
// also when written joined to a name element (سیدمحمد, Seyedali); and a
// compound given name becomes one token however it was written.
func Parse(full string) Name {
	var n Name
	s := persian.Normalize(full)
	if i := strings.IndexAny(s, ",،"); i >= 0 {
		surname, given := s[:i], strings.TrimLeft(s[i:], ",،")
		if strings.TrimSpace(surname) != "" && strings.TrimSpace(given) != "" {
			s = given + " " + surname
			n.SurnameFirst = true
		}
	}
	var kept []string
	for _, w := range words(s) {
		if first, rest, ok := strings.Cut(w, "\u200c"); ok && honorifics[first] {
			n.Honorifics = append(n.Honorifics, first)
			w = rest
		}
		if honorifics[w] {
			n.Honorifics = append(n.Honorifics, w)
			continue
		}
		if h, rest, ok := joinedHonorific(w); ok {
			n.Honorifics = append(n.Honorifics, h)
			w = rest
		}
		kept = append(kept, w)
	}
	for i := 0; i < len(kept); i++ {
		if i+1 < len(kept) && !strings.Contains(kept[i]+kept[i+1], "\u200c") && joins(kept[i], kept[i+1]) {
			n.Tokens = append(n.Tokens, kept[i]+kept[i+1])
			i++
			continue
		}
		n.Tokens = append(n.Tokens, kept[i])
	}
	return n
}

// words folds a normalised name into words. Spaces, hyphens and
// punctuation separate words; a ZWNJ joins the parts of one word and is
// kept between them (احمد‌زاده is one surname, خامنه‌ای keeps the boundary
// that makes its ه silent for Key).
func words(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		parts := strings.Split(w, "\u200c")
		folded := parts[:0]
		for _, p := range parts {
			if f := persian.Fold(p); f != "" {
				folded = append(folded, f)
			}
		}
		out = append(out, strings.Fields(strings.Join(folded, "\u200c"))...)
	}
	return out
}

// joinedHonorific splits a title written joined to a name element, as in
// سیدمحمد or Seyedali; only a known element counts as the rest, so that
// Seyyedi, a surname, stays whole.
func joinedHonorific(w string) (title, rest string, ok bool) {
	for i := range w {
		if i == 0 || !honorifics[w[:i]] {
			continue
		}
		k, ek := plainKey(w[i:]), elements
		if ek.freeFirst[k] || ek.boundFirst[k] || ek.second[k] {
			return w[:i], w[i:], true
		}
		if _, _, ok := splitCompound(w[i:]); ok {
			return w[:i], w[i:], true
		}
	}
	return "", "", false
}
