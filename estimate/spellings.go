package estimate

// spellings tallies, for each key, the ways a name was written, how often
// and on which lines. A key's name is its most common spelling, the first
// seen on a tie. The readers use it for sources that differ only in case
// and for strata written in two scripts, which both name a group by the
// spelling most of the file uses.
type spellings struct {
	keys  []string                    // in the order first seen
	order map[string][]string         // key → distinct spellings, in the order seen
	uses  map[string]map[string]int   // key → spelling → uses
	lines map[string]map[string][]int // key → spelling → lines (0: none)
}

func newSpellings() *spellings {
	return &spellings{order: map[string][]string{}, uses: map[string]map[string]int{}, lines: map[string]map[string][]int{}}
}

// add counts one use of spelling s for key k, on line (0 if none).
func (sp *spellings) add(k, s string, line int) {
	if sp.uses[k] == nil {
		sp.uses[k], sp.lines[k] = map[string]int{}, map[string][]int{}
		sp.keys = append(sp.keys, k)
	}
	if sp.uses[k][s] == 0 {
		sp.order[k] = append(sp.order[k], s)
	}
	sp.uses[k][s]++
	if line > 0 {
		sp.lines[k][s] = append(sp.lines[k][s], line)
	}
}

// name is k's most common spelling, the first seen on a tie.
func (sp *spellings) name(k string) string {
	best := ""
	for _, s := range sp.order[k] {
		if best == "" || sp.uses[k][s] > sp.uses[k][best] {
			best = s
		}
	}
	return best
}
