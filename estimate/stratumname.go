package estimate

import (
	"fmt"
	"strconv"
	"strings"

	"peyvand/persian"
)

// stratumKey is what makes two stratum values the same stratum. A value
// that names one of Iran's provinces, in either script or any of its usual
// romanisations ("Tehran", "تهران", "Tehran Province"; "Kurdistan",
// "Kordestan", "كردستان"), is keyed by the province, so that lists written
// abroad and in Iran meet. Any other value is keyed by the text
// persian.Normalize gives (Persian letters for Arabic ones, ASCII digits,
// single spaces), in lower case.
func stratumKey(v string) string {
	if p, ok := persian.Province(v); ok {
		return provinceKeyPrefix + p
	}
	return strings.ToLower(persian.Normalize(v))
}

// provinceKeyPrefix starts the key of a province; no normalised text
// starts with a NUL, so it keeps provinces apart from other values.
const provinceKeyPrefix = "\x00province:"

// unknownStratum holds the rows whose stratum cell is blank.
const unknownStratum = "unknown"

// stratumNames groups stratum values by stratumKey and names each stratum
// by its most common spelling (as written, trimmed: "دی ۱۴۰۴" keeps its
// Persian digits), the first seen on a tie; it remembers what it merged
// for the warnings. Names are final only once every row is seen, so the
// readers key their tables by stratumKey and name them at the end.
type stratumNames struct {
	*spellings // spellings trimmed, by stratumKey
	blankLines []int
}

func newStratumNames() *stratumNames { return &stratumNames{spellings: newSpellings()} }

// key returns the key of the stratum of value v on line; a blank value is
// the stratum "unknown".
func (n *stratumNames) key(v string, line int) string {
	v = strings.TrimSpace(v)
	if v == "" {
		n.blankLines = append(n.blankLines, line)
		v = unknownStratum
	}
	k := stratumKey(v)
	n.spell(k, v)
	return k
}

// spell counts one more use of spelling v (trimmed) for the stratum with
// key k.
func (n *stratumNames) spell(k, v string) { n.add(k, strings.TrimSpace(v), 0) }

// maxSpellingWarnings is how many strata with merged spellings get a
// warning each; past it, one warning lists them all, so that a file of
// thirty provinces each written in two scripts is not thirty warnings.
const maxSpellingWarnings = 3

// warnings say which spellings were read as one stratum, and which lines
// had none.
func (n *stratumNames) warnings() []Warning {
	var w []Warning
	if len(n.blankLines) > 0 {
		w = append(w, Warning{Message: fmt.Sprintf("the stratum is blank on line%s %s: those rows are put in a stratum named %q",
			plural(len(n.blankLines)), joinLinesMax(n.blankLines, 10), unknownStratum)})
	}
	var merged []string
	province := false
	for _, k := range n.keys {
		sp := n.order[k]
		if len(sp) < 2 {
			continue
		}
		q := make([]string, len(sp))
		for i, s := range sp {
			q[i] = strconv.Quote(s)
		}
		m := fmt.Sprintf("stratum %s: the spellings %s", strconv.Quote(n.name(k)), andList(q))
		if namesProvince(k, sp) {
			m += " (names of one province)"
			province = true
		}
		merged = append(merged, m)
	}
	how := "differ only in letter forms, digits, spacing or case"
	if province {
		how += ", or name one province"
	}
	if len(merged) <= maxSpellingWarnings {
		for _, m := range merged {
			w = append(w, Warning{Message: m + " are read as one stratum"})
		}
		return w
	}
	return append(w, Warning{Message: fmt.Sprintf("%d strata are written in more than one way, and each one's spellings (which %s) are read as one stratum, named by its most common spelling: %s",
		len(merged), how, strings.Join(merged, "; "))})
}

// namesProvince reports whether the spellings of the stratum with key k
// were merged as names of one province, not just as one text.
func namesProvince(k string, spellings []string) bool {
	if !strings.HasPrefix(k, provinceKeyPrefix) {
		return false
	}
	for _, s := range spellings[1:] {
		if strings.ToLower(persian.Normalize(s)) != strings.ToLower(persian.Normalize(spellings[0])) {
			return true
		}
	}
	return false
}
