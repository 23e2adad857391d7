package names

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"peyvand/persian"
)

// maxKeys bounds Keys: a name with many ambiguous letters would otherwise
// have exponentially many readings.
const maxKeys = 8

// ruleIndex holds rules by the first rune they match, longest first; it is
// built once and never changed.
var ruleIndex = buildRuleIndex(rules)

func buildRuleIndex(rs []rule) map[rune][]rule {
	idx := make(map[rune][]rule)
	for _, r := range rs {
		first, _ := utf8.DecodeRuneInString(r.from)
		idx[first] = append(idx[first], r)
	}
	for _, list := range idx {
		sort.SliceStable(list, func(i, j int) bool {
			if len(list[i].from) != len(list[j].from) {
				return len(list[i].from) > len(list[j].from)
			}
			return list[i].at != anywhere && list[j].at == anywhere
		})
	}
	return idx
}

// Key returns the phonetic key of a name or a full name: the consonant
// classes of its letters, in the same alphabet for Persian and Latin
// script, so that محمدرضا, Mohammad Reza, Mohamadreza and Mohammad-Reza
// all have the key MHMDRZ. The words are keyed in the order given (use
// Tokens to put the given name first) and joined without a separator, so
// joined and spaced compounds agree; a vowel that begins any word but the
// first is left out for the same reason. Where a Latin spelling is
// ambiguous, Key takes the English reading (ch as in Chamran); Keys
// returns the others too.
func Key(s string) string {
	ks := expand(segments(s, true), 1)
	if len(ks) == 0 {
		return ""
	}
	return ks[0]
}

// Keys returns Key(s) first and then the keys of the other readings of
// ambiguous Latin spellings (ch as kh in German, as sh in French), at most
// eight. Two spellings of a name match if they share a key.
func Keys(s string) []string {
	ks := expand(segments(s, true), maxKeys)
	if len(ks) > 0 {
		for _, c := range aliasKeys()[ks[0]] {
			if !slices.Contains(ks, c) {
				ks = append(ks, c)
			}
		}
	}
	return ks
}

// aliases are names written in a form no spelling rule reaches: the
// French and old European names of cities (Ispahan, Tauris) and the
// everyday forms of given names (Mamad for Mohammad), each with the name
// it stands for, in both scripts where their keys differ. Keys adds the
// keys of those names.
var aliases = [][2]string{
	{"Ispahan", "Isfahan"}, {"Ispahan", "اصفهان"}, {"Tauris", "Tabriz"},
	{"Mamad", "Mohammad"}, {"ممد", "محمد"}, {"Mamali", "Mohammadali"}, {"ممدعلی", "محمدعلی"},
}

// aliasKeys maps the key of each alias to the keys of its names; it is
// built on first use, since keying needs the tables that init sets.
var aliasKeys = sync.OnceValue(func() map[string][]string {
	m := make(map[string][]string, len(aliases))
	for _, a := range aliases {
		k := Key(a[0])
		m[k] = append(m[k], Key(a[1]))
	}
	return m
})

// KeysMatch reports whether a and b share a key.
func KeysMatch(a, b string) bool {
	kb := Keys(b)
	for _, x := range Keys(a) {
		for _, y := range kb {
			if x == y {
				return true
			}
		}
	}
	return false
}

// segments returns the readings of s piece by piece: each element lists
// the classes one matched rule writes, primary reading first. With split,
// a joined compound given name is keyed as two words, so that
// Fatemehzahra keys as Fatemeh Zahra (the silent h of Fatemeh dropped).
func segments(s string, split bool) [][]string {
	// A ZWNJ ends a word (خامنه‌ای), so that the silent final ه before it
	// is dropped as at the end of a word.
	words := withoutHonorifics(strings.Fields(persian.Fold(strings.ReplaceAll(s, "\u200c", " "))))
	if split {
		words = splitWords(words)
	}
	var segs [][]string
	for n, w := range words {
		for i := 0; i < len(w); {
			r, size := utf8.DecodeRuneInString(w[i:])
			rl, ok := match(w, i, r)
			if !ok {
				if r >= '0' && r <= '9' {
					i += size
					continue
				}
				// A letter of another script stays itself: it never
				// equals a class, and keys of such names still differ.
				segs = append(segs, []string{w[i : i+size]})
				i += size
				continue
			}
			to := rl.to
			if rl.at == wordStart && n > 0 {
				// Amir Ali and Amirali, امیر علی and امیرعلی agree.
				to = strings.TrimPrefix(to, "A")
			}
			segs = append(segs, append([]string{to}, rl.alt...))
			i += len(rl.from)
		}
	}
	return segs
}

// match returns the rule that applies at w[i:], whose first rune is r.
func match(w string, i int, r rune) (rule, bool) {
	for _, rl := range ruleIndex[r] {
		if !strings.HasPrefix(w[i:], rl.from) {
			continue
		}
		switch {
		case rl.at == wordStart && i != 0:
			continue
		case rl.at == wordEnd && i+len(rl.from) != len(w):
			continue
		}
		return rl, true
	}
	return rule{}, false
}

// expand returns up to limit keys built from segs, the primary reading
// first, each with repeated classes collapsed (Hosseini, Mohammad) and
// without duplicates.
func expand(segs [][]string, limit int) []string {
	keys := []string{""}
	for _, seg := range segs {
		if len(seg) == 1 || limit == 1 {
			for i := range keys {
				keys[i] += seg[0]
			}
			continue
		}
		next := make([]string, 0, len(keys)*len(seg))
		for _, alt := range seg {
			for _, k := range keys {
				if len(next) < limit {
					next = append(next, k+alt)
				}
			}
		}
		keys = next
	}
	out := keys[:0]
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		k = collapse(k)
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// collapse removes repeated classes: doubled letters (Hosseini, Abbasi)
// are not written in Persian script, and a dropped vowel between two equal
// consonants (ناناز, Nanaz) is invisible in it too.
func collapse(k string) string {
	var b strings.Builder
	b.Grow(len(k))
	var last rune = -1
	for _, r := range k {
		if r != last {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

// plainKey is Key without splitting compounds, for the compound tables
// themselves.
func plainKey(s string) string {
	return expand(segments(s, false), 1)[0]
}

func splitWords(words []string) []string {
	out := words[:0:0]
	for _, w := range words {
		if first, rest, ok := splitCompound(w); ok {
			out = append(out, first, rest)
		} else {
			out = append(out, w)
		}
	}
	return out
}

// CoarseKey merges the classes of a key that romanisations confuse, for
// blocking: ch, sh and kh (C X H: چ ش خ are all written ch by someone), j
// and y (J Y: German writes یوسف Jussuf and پویا Puja), z and s (Z S:
// German writes زاهدان Sahedan), a name-initial i (AY: ابراهیم is
// Ebrahim and Ibrahim), and the final Y of a key of four or more classes
// (see below). Two spellings of one name share a coarse key far more
// often than a key; different names share one more often too, so it
// chooses pairs to compare and is not evidence itself.
func CoarseKey(key string) string {
	if strings.HasPrefix(key, "AY") {
		key = "A" + key[2:]
	}
	if len(key) >= 4 && key[len(key)-1] == 'Y' {
		// A final ی is i in most names but a in those from Arabic
		// (مصطفی Mostafa, مرتضی Morteza, مجتبی Mojtaba): the coarse key
		// drops it, so both readings meet.
		key = key[:len(key)-1]
	}
	b := make([]byte, 0, len(key))
	var last byte
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch c {
		case 'C', 'X':
			c = 'H'
		case 'J':
			c = 'Y'
		case 'Z':
			c = 'S'
		}
		if c != last {
			b = append(b, c)
		}
		last = c
	}
	return string(b)
}

// withoutHonorifics drops the titles (Seyed, سید, Haj, Sadat) from a name's
// folded words, as Parse does, unless nothing else is left: writers add
// and drop them freely, so سید یوسف is keyed as Yousef, and سید کاوه must
// not key close to Saeed, whose consonants سید shares.
func withoutHonorifics(words []string) []string {
	n := 0
	for _, w := range words {
		if !honorifics[w] {
			n++
		}
	}
	if n == 0 || n == len(words) {
		return words
	}
	kept := make([]string, 0, n)
	for _, w := range words {
		if !honorifics[w] {
			kept = append(kept, w)
		}
	}
	return kept
}
