package demo

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// habit is the spelling habit of whoever romanised a name: the same Persian
// name comes out differently from a London, a Berlin or a Paris office.
type habit int

const (
	english habit = iota
	german
	french
)

// compound says how a record writes a compound name.
type compound int

const (
	joined compound = iota // محمدرضا, Mohammadreza
	spaced                 // محمد رضا, Mohammad Reza
	hyphen                 // Mohammad-Reza; in Persian a zero-width non-joiner
)

const zwnj = "\u200c"

// latinName spells n in Latin script with the writer's habit.
func latinName(rng *rand.Rand, n name, h habit, c compound) string {
	s := n.latin[0]
	if len(n.latin) > 1 && rng.IntN(3) == 0 {
		s = n.latin[1+rng.IntN(len(n.latin)-1)]
	}
	switch {
	case h == german && n.de != "" && rng.IntN(5) < 3:
		s = n.de
	case h == french && n.fr != "" && rng.IntN(5) < 3:
		s = n.fr
	case h == german:
		s = germanise(s)
	case h == french:
		s = francise(s)
	}
	return joinParts(s, c)
}

// joinParts writes the parts of a compound split at "|".
func joinParts(s string, c compound) string {
	first, rest, ok := strings.Cut(s, "|")
	if !ok {
		return s
	}
	switch c {
	case spaced:
		return first + " " + capitalise(rest)
	case hyphen:
		return first + "-" + capitalise(rest)
	}
	return first + strings.ToLower(rest)
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// germanise applies German transliteration habits: sh→sch, kh→ch,
// j→dsch, v→w, y before a vowel→j, ou→u.
func germanise(s string) string {
	return applyRules(s, []rule{
		{"sh", "sch"}, {"kh", "ch"}, {"ou", "u"}, {"j", "dsch"}, {"v", "w"},
		{"ya", "ja"}, {"yo", "jo"}, {"yu", "ju"}, {"ye", "je"},
	})
}

// francise applies French habits: sh→ch, j→dj, u→ou.
func francise(s string) string {
	return applyRules(s, []rule{{"sh", "ch"}, {"ou", "ou"}, {"j", "dj"}, {"u", "ou"}})
}

type rule struct{ from, to string }

// applyRules rewrites s left to right, trying the rules in order at each
// position and keeping the case of the first letter replaced, so that
// "Shirin" becomes "Schirin" and "Mashhad" "Maschhad".
func applyRules(s string, rules []rule) string {
	var b strings.Builder
	lower := strings.ToLower(s)
	for i := 0; i < len(s); {
		matched := false
		for _, r := range rules {
			if strings.HasPrefix(lower[i:], r.from) {
				to := r.to
				if s[i] >= 'A' && s[i] <= 'Z' {
					to = strings.ToUpper(to[:1]) + to[1:]
				}
				b.WriteString(to)
				i += len(r.from)
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// persianName writes n in Persian script. arabic says the writer used an
// Arabic keyboard layout (ي for ی, ك for ک), as many spreadsheets show.
func persianName(n name, c compound, arabic bool) string {
	first, rest, ok := strings.Cut(n.fa, "|")
	s := n.fa
	if ok {
		// joined is the usual form of the name; hyphen stands for the
		// other one (a non-joiner where letters usually join, and the
		// non-joiner dropped where it is usual).
		switch {
		case c == spaced:
			s = first + " " + rest
		case (c == joined) == n.zwnj:
			s = first + zwnj + rest
		default:
			s = first + rest
		}
	}
	if arabic {
		s = arabicForms(s)
	}
	return s
}

// arabicForms replaces the Persian yeh and keheh with their Arabic forms.
func arabicForms(s string) string {
	return strings.NewReplacer("ی", "ي", "ک", "ك").Replace(s)
}

// typo makes one slip of the hand in s: a letter dropped, doubled or two
// letters swapped. Short names are left alone: a two-letter name with a
// typo is another name.
func typo(rng *rand.Rand, s string) string {
	r := []rune(s)
	if len(r) < 4 {
		return s
	}
	i := 1 + rng.IntN(len(r)-2)
	if r[i] == ' ' || r[i+1] == ' ' || r[i] == '-' || string(r[i]) == zwnj {
		return s
	}
	switch rng.IntN(3) {
	case 0:
		r = append(r[:i:i], r[i+1:]...)
	case 1:
		r = append(r[:i+1:i+1], r[i:]...)
	default:
		r[i], r[i+1] = r[i+1], r[i]
	}
	return string(r)
}

// pickCompound chooses how a record writes compounds; each source has its
// usual way and does not always keep to it.
func pickCompound(rng *rand.Rand, usual compound) compound {
	if rng.IntN(4) == 0 {
		return compound(rng.IntN(3))
	}
	return usual
}
