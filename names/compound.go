package names

import (
	"strings"
	"unicode/utf8"

	"peyvand/persian"
)

// Compound given names (محمدرضا, Amirhossein, Abolfazl) are written
// joined, spaced or hyphenated. The tables hold spellings; the sets of
// their keys are what the code consults, so every romanisation that keys
// like a listed one counts.
var (
	// boundFirst are first elements that are almost never a name alone,
	// so whatever follows them is the second half of the compound.
	boundFirst = []string{"abol", "abdol", "gholam", "ابوال", "عبدال", "غلام"}
	// freeFirst are first elements that are also names alone (Mohammad
	// Hosseini), so they join only a known second element.
	freeFirst = []string{
		"mohammad", "ali", "amir", "hossein", "fatemeh", "mir",
		"محمد", "علی", "امیر", "حسین", "فاطمه", "میر",
	}
	second = []string{
		"reza", "ali", "hossein", "hassan", "mehdi", "javad", "sadegh",
		"taghi", "bagher", "kazem", "ebrahim", "esmaeil", "amin", "hadi",
		"jafar", "karim", "rahim", "akbar", "asghar", "mohammad", "abbas",
		"zahra", "hamid", "saeed", "majid", "masoud", "naser", "yousef",
		"hamed", "mostafa", "morteza", "mojtaba", "sajjad", "ahmad",
		"mohsen", "ghasem", "kian", "pasha", "arsalan", "parsa", "sadra",
		"hesam", "mahdi", "saleh", "sadat", "masoumeh", "zeinab", "maryam",
		"رضا", "علی", "حسین", "حسن", "مهدی", "جواد", "صادق", "تقی", "باقر",
		"کاظم", "ابراهیم", "اسماعیل", "امین", "هادی", "جعفر", "کریم", "اکبر",
		"اصغر", "محمد", "عباس", "زهرا", "حمید", "سعید", "مسعود", "مصطفی",
		"مرتضی", "مجتبی", "سجاد", "احمد", "محسن", "قاسم", "کیان", "معصومه",
	}
)

// elements holds the key sets of the tables above. It is set once, by
// init, because building it keys names and keying names consults it (a
// cycle the compiler refuses in a variable's initialiser).
var elements compoundKeys

func init() {
	elements = compoundKeys{keySet(boundFirst), keySet(freeFirst), keySet(second)}
}

type compoundKeys struct {
	boundFirst, freeFirst, second map[string]bool
}

func keySet(spellings []string) map[string]bool {
	set := make(map[string]bool, len(spellings))
	for _, s := range spellings {
		set[plainKey(s)] = true
	}
	return set
}

// joins reports whether the folded words first and next form one
// compound given name.
func joins(first, next string) bool {
	ek := elements
	kf := plainKey(first)
	if ek.boundFirst[kf] {
		return len(plainKey(next)) >= 2
	}
	return ek.freeFirst[kf] && ek.second[plainKey(next)]
}

// splitCompound splits a joined compound such as mohammadreza or
// غلامحسین at the end of its first element.
func splitCompound(w string) (first, rest string, ok bool) {
	for i := range w {
		if i == 0 {
			continue
		}
		if utf8.RuneCountInString(w[:i]) < 2 {
			continue
		}
		if joins(w[:i], w[i:]) {
			return w[:i], w[i:], true
		}
	}
	return "", "", false
}

// CompoundKeys returns the keys by which a given name can be found: for a
// compound (Mohammad Reza, Mohammadreza, محمد‌رضا) the key of the whole
// and then the keys of its two parts, because lists often give only one
// part (Reza Hosseini for Mohammadreza Hosseini); for any other name just
// its Key.
func CompoundKeys(given string) []string {
	words := withoutHonorifics(strings.Fields(persian.Fold(strings.ReplaceAll(given, "\u200c", " "))))
	var first, rest string
	switch {
	case len(words) == 2 && joins(words[0], words[1]):
		first, rest = words[0], words[1]
	case len(words) == 1:
		var ok bool
		if first, rest, ok = splitCompound(words[0]); !ok {
			return []string{Key(given)}
		}
	default:
		return []string{Key(given)}
	}
	// Keyed as two words, so that Fatemehzahra keys as Fatemeh Zahra.
	return []string{Key(first + " " + rest), Key(first), Key(rest)}
}
