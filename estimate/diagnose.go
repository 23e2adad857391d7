package estimate

import (
	"fmt"
	"math"
	"math/bits"
	"sort"
	"strings"
)

// Diagnose looks at a table before any model does and warns about what
// makes every estimate from it fragile: lists that share nobody, a list
// contained in another, pairs of lists that are strongly dependent, and
// more empty histories than filled ones. The warnings are the same for
// every method, because the weakness is in the data: a model can only move
// it somewhere else (into a prior, or into an interaction term).
//
// Dependence between two lists is measured among the people a third list
// saw: for them the whole two-by-two table of "on A" and "on B" is
// observed, including those on neither, so its odds ratio is an estimate of
// A's and B's dependence that needs no model (it assumes only that the
// third list's reach is not itself tied to both). A pair is reported when
// that odds ratio is beyond 5 or below 1/5 and more than two standard errors
// from 1 on the log scale, so that a handful of people cannot raise it.
func Diagnose(t Table) []Warning {
	k := t.K()
	var warns []Warning
	var onList [MaxLists]int
	shared := 0 // people on more than one list
	for h, c := range t.Counts {
		if bits.OnesCount32(h) > 1 {
			shared += c
		}
		for b := h; b != 0; b &= b - 1 {
			onList[bits.TrailingZeros32(b)] += c
		}
	}
	if shared == 0 {
		return []Warning{{Message: noOverlap}}
	}
	// Lists that share nobody with the others, and lists inside others.
	reported := map[[2]int]bool{}
	var empty []string // lists with no one, as in a stratum a list did not cover
	for i := range k {
		alone, within := true, make([]bool, k)
		for j := range k {
			within[j] = j != i
		}
		for h, c := range t.Counts {
			if c == 0 || h&(1<<i) == 0 {
				continue
			}
			if h != 1<<i {
				alone = false
			}
			for j := range k {
				within[j] = within[j] && h&(1<<j) != 0
			}
		}
		if onList[i] == 0 {
			empty = append(empty, fmt.Sprintf("%q", t.Lists[i]))
			continue
		}
		if alone && k > 2 && onList[i] >= 10 {
			warns = append(warns, Warning{Message: fmt.Sprintf("list %q shares no one with the other lists: its %d people count as seen, but it tells nothing about those no list saw (if it covers another place or time, estimate it in its own stratum)", t.Lists[i], onList[i])})
			continue
		}
		for j := range k {
			if within[j] {
				reported[[2]int{min(i, j), max(i, j)}] = true
			}
			if within[j] && onList[i] == onList[j] && i < j && onList[i] >= 10 {
				warns = append(warns, Warning{Message: fmt.Sprintf("lists %q and %q hold the same %d people: they are one list entered twice, or copies of each other; as two lists they look perfectly dependent, so merge them", t.Lists[i], t.Lists[j], onList[i])})
			}
			if within[j] && onList[i] >= 10 && onList[i] < onList[j] {
				warns = append(warns, Warning{Message: fmt.Sprintf("all %d people on list %q are also on list %q: either %q reached nearly everyone %q could (then the estimate is close to the count observed), or %q was drawn from %q (then the lists are not independent, and the estimate is too low)",
					onList[i], t.Lists[i], t.Lists[j], t.Lists[j], t.Lists[i], t.Lists[i], t.Lists[j])})
			}
		}
	}
	if len(empty) > 0 {
		warns = append(warns, Warning{Message: fmt.Sprintf("no one here is on %s: it adds nothing to this estimate", strings.Join(empty, ", "))})
	}
	if k >= 3 {
		warns = append(warns, dependence(t, reported)...)
	}
	histories := 0
	for h := uint32(1); h < 1<<k; h++ {
		if t.Counts[h] == 0 {
			histories++
		}
	}
	// Below 50 people the table is too small whatever its shape, and the
	// caller says so.
	if k >= 4 && 2*histories > 1<<k-1 && t.Observed() >= 50 {
		warns = append(warns, Warning{Message: fmt.Sprintf("%d of the %d possible capture histories are empty: for %d lists there are too few people to tell their dependences apart, and models with interactions become unstable; fewer lists (merging those of the same kind of source) give a steadier estimate", histories, 1<<k-1, k)})
	}
	return warns
}

const noOverlap = "no person is on more than one list: the lists' overlap, from which every method estimates, is empty, so the data cannot bound the population; any estimate comes from the method's assumptions or prior, not from the lists"

// dependence reports the strongly dependent pairs of lists (see Diagnose)
// in one warning, strongest first, leaving out the pairs in skip (already
// reported as identical or nested).
func dependence(t Table, skip map[[2]int]bool) []Warning {
	k := t.K()
	type pair struct {
		a, b   int
		logOR  float64
		people int
	}
	var strong []pair
	for a := range k {
		for b := a + 1; b < k; b++ {
			if skip[[2]int{a, b}] {
				continue
			}
			var n [2][2]float64 // n[on a][on b], among people on some other list
			total := 0
			for h, c := range t.Counts {
				if h&^(1<<a|1<<b) == 0 {
					continue
				}
				n[h>>a&1][h>>b&1] += float64(c)
				total += c
			}
			// Each list must have people on it and off it in the
			// reference set, or there is no two-by-two table to speak of.
			if total < 20 || min(n[1][0]+n[1][1], n[0][0]+n[0][1], n[0][1]+n[1][1], n[0][0]+n[1][0]) < 5 {
				continue
			}
			// Haldane's correction keeps an empty cell finite, but with
			// one huge cell it can turn "nobody on both" into a large
			// odds ratio; the uncorrected cross products must agree.
			logOR := math.Log((n[1][1] + 0.5) * (n[0][0] + 0.5) / ((n[1][0] + 0.5) * (n[0][1] + 0.5)))
			se := math.Sqrt(1/(n[1][1]+0.5) + 1/(n[0][0]+0.5) + 1/(n[1][0]+0.5) + 1/(n[0][1]+0.5))
			both, apart := n[1][1]*n[0][0], n[1][0]*n[0][1]
			if math.Abs(logOR) < math.Log(5) || math.Abs(logOR) < 2*se ||
				logOR > 0 && !(both >= 5*apart && both > 0) || logOR < 0 && !(apart >= 5*both && apart > 0) {
				continue
			}
			strong = append(strong, pair{a, b, logOR, total})
		}
	}
	if len(strong) == 0 {
		return nil
	}
	sort.Slice(strong, func(i, j int) bool { return math.Abs(strong[i].logOR) > math.Abs(strong[j].logOR) })
	var named []string
	for _, p := range strong {
		or := fmt.Sprintf("%.2g", math.Exp(p.logOR))
		if p.logOR > math.Log(10) {
			or = fmt.Sprintf("%.0f", math.Exp(p.logOR))
		}
		named = append(named, fmt.Sprintf("%q and %q %s (%d people)", t.Lists[p.a], t.Lists[p.b], or, p.people))
	}
	return []Warning{{Message: fmt.Sprintf("strongly dependent lists (odds ratio of being on both, among the people on the other lists): %s. Treating such lists as independent gives too low an estimate where the odds ratio is above 1, too high where below; methods that model dependence (lcmcr, dga, log-linear interactions) allow for it, but dependence among the people no list saw cannot be measured at all",
		strings.Join(named, "; "))}}
}
