package estimate

import (
	"fmt"
	"strconv"
	"strings"

	"peyvand/persian"
)

// stratumKey is what makes two stratum values the same stratum: the text
// persian.Normalize gives (Persian letters for Arabic ones, ASCII digits,
// single spaces), in lower case.
func stratumKey(v string) string {
	return strings.ToLower(persian.Normalize(v))
}

// unknownStratum holds the rows whose stratum cell is blank.
const unknownStratum = "unknown"

// stratumNames names strata by the first spelling seen of each key, and
// remembers what it merged for the warnings.
type stratumNames struct {
	names      map[string]string   // key → name
	spellings  map[string][]string // key → distinct spellings, trimmed
	order      []string            // keys in the order first seen
	blankLines []int
}

func newStratumNames() *stratumNames {
	return &stratumNames{names: map[string]string{}, spellings: map[string][]string{}}
}

// name returns the stratum of value v on line; a blank value is "unknown".
func (n *stratumNames) name(v string, line int) string {
	v = strings.TrimSpace(v)
	if v == "" {
		n.blankLines = append(n.blankLines, line)
		v = unknownStratum
	}
	k := stratumKey(v)
	if _, ok := n.names[k]; !ok {
		n.names[k] = persian.Normalize(v)
		n.order = append(n.order, k)
	}
	sp := n.spellings[k]
	found := false
	for _, s := range sp {
		found = found || s == v
	}
	if !found {
		n.spellings[k] = append(sp, v)
	}
	return n.names[k]
}

// warnings say which spellings were read as one stratum, and which lines
// had none.
func (n *stratumNames) warnings() []Warning {
	var w []Warning
	if len(n.blankLines) > 0 {
		w = append(w, Warning{Message: fmt.Sprintf("the stratum is blank on line%s %s: those rows are put in a stratum named %q",
			plural(len(n.blankLines)), joinLinesMax(n.blankLines, 10), unknownStratum)})
	}
	for _, k := range n.order {
		if sp := n.spellings[k]; len(sp) > 1 {
			q := make([]string, len(sp))
			for i, s := range sp {
				q[i] = strconv.Quote(s)
			}
			w = append(w, Warning{Message: fmt.Sprintf("stratum %s: the spellings %s are read as one stratum", strconv.Quote(n.names[k]), andList(q))})
		}
	}
	return w
}
