package linkage

import (
	"fmt"
	"math"
	"strings"
)

// SetModel makes m the model by which ix scores pairs.
func (ix *Index) SetModel(m *Model) error {
	if len(m.M) != len(ix.cfg.Fields) || len(m.U) != len(ix.cfg.Fields) {
		return fmt.Errorf("set linkage model: %d/%d fields for %d", len(m.M), len(m.U), len(ix.cfg.Fields))
	}
	for f, fd := range ix.cfg.Fields {
		if n := fd.Compare.levels(); len(m.M[f]) != n || len(m.U[f]) != n {
			return fmt.Errorf("set linkage model: field %s needs %d levels", fd.Name, n)
		}
	}
	if m.Lambda <= 0 || m.Lambda >= 1 {
		return fmt.Errorf("set linkage model: lambda %g outside (0,1)", m.Lambda)
	}
	ix.model = m
	ix.weights = make([][]float64, len(m.M))
	ix.hasTF = false
	for f := range m.M {
		ix.weights[f] = make([]float64, len(m.M[f]))
		for l := range m.M[f] {
			ix.weights[f][l] = math.Log2(m.M[f][l] / m.U[f][l])
		}
		ix.hasTF = ix.hasTF || ix.tf[f] != nil
	}
	return nil
}

// Model returns the model set by SetModel, or nil.
func (ix *Index) Model() *Model { return ix.model }

// Contribution is what one field adds to a pair's match weight.
type Contribution struct {
	Field  string
	A, B   string // the raw values
	Level  int    // γ, or -1 for missing
	Label  string // what the level means
	M, U   float64
	Weight float64 // log2(M/U); 0 when missing
	// TermFrequency is set when U is the frequency of the agreed value.
	TermFrequency bool
}

// Explanation is a pair's score as a reviewer reads it: the prior weight plus
// one contribution per field gives Weight.
type Explanation struct {
	Pair        Pair
	Prior       float64 // log2(λ/(1-λ))
	Fields      []Contribution
	Weight      float64
	Probability float64
	// Decided is set when a reviewer's decision overrides the model;
	// Probability is then 1 (same) or 0 (not the same).
	Decided bool
}

// matchWeight is the log-likelihood ratio of field f at level l,
// log2(m_f(l)/u_f(l)) (Fellegi & Sunter 1969), with u adjusted by the
// agreed value's frequency on a TermFrequency field (Winkler 1989; Splink):
// a match on Hosseini is worth less than a match on a rarer surname. A
// missing value weighs 0.
func (ix *Index) matchWeight(f, l int, v *value) (w, m, u float64, tf bool) {
	if l == missing {
		return 0, 0, 0, false
	}
	m, u = ix.model.M[f][l], ix.model.U[f][l]
	if ix.tf[f] != nil && l >= ix.tfFrom[f] {
		u, tf = math.Min(u*ix.tfRatio(f, v), 1), true
	}
	return math.Log2(m / u), m, u, tf
}

// tfRatio says how much more often than the average agreement a random
// record agrees with v on field f: the frequency of v's name (its phonetic
// key, so علی and Ali are one) over the mean frequency Σp², the chance
// that two random records agree at all; u·ratio is then the u of this
// value. Common values weigh less, rare ones more, but by one bit at most
// (the ratio is held within [1/2, 16]): how often a value occurs in the
// lists is a poor measure of how rare it is among everyone it could name,
// a value seen twice may be two records of one family, and at 100,000 demo
// persons a bound of 1/8 merged namesakes (pairwise precision 0.76,
// against 0.79 at 1/2 and 0.82 with no boost at all, which cost the
// 2,000-person seeds 2 points of recall).
//
// A value that lists several (Comparison.AnyOf) is weighed by the most
// common of them: which of them agreed is not kept, and erring towards
// the common one errs towards keeping two persons apart.
func (ix *Index) tfRatio(f int, v *value) float64 {
	if ix.tfSquares[f] == 0 {
		return 1
	}
	c := 1
	v.each(func(x *value) { c = max(c, ix.tf[f][tfKey(x)]) })
	return min(max(float64(c)*float64(ix.tfTotal[f])/ix.tfSquares[f], 0.5), 16)
}

// tfKey is what a term frequency counts: a name's first phonetic key, the
// compared form of other values.
func tfKey(v *value) string {
	if len(v.keys) > 0 {
		return v.keys[0]
	}
	return v.s
}

// priorWeight is log2(λ/(1-λ)), the weight of the prior odds of a match.
func (m *Model) priorWeight() float64 { return math.Log2(m.Lambda / (1 - m.Lambda)) }

// probability converts a total match weight W (prior included) to
// P(match | γ) = 2^W / (1 + 2^W).
func probability(w float64) float64 { return 1 / (1 + math.Exp2(-w)) }

// score returns the total weight and match probability of two indexed
// records by their value ids, g being scratch space for the comparison
// vector.
func (ix *Index) score(ra, rb []int32, g []int) (w, p float64) {
	ix.gamma(ra, rb, g)
	return ix.weigh(ra, g)
}

// weigh returns the total weight and probability of comparison vector g,
// ra being the value ids of the pair's first record (for term frequencies).
func (ix *Index) weigh(ra []int32, g []int) (w, p float64) {
	w = ix.model.priorWeight()
	for f, l := range g {
		switch {
		case l == missing:
		case ix.tf[f] != nil && l >= ix.tfFrom[f]:
			fw, _, _, _ := ix.matchWeight(f, l, &ix.dict[f][ra[f]])
			w += fw
		default:
			w += ix.weights[f][l]
		}
	}
	return w, probability(w)
}

// scoreNew scores a record that is not indexed against indexed record y.
func (ix *Index) scoreNew(nr newRecord, y int, g []int) (w, p float64) {
	ix.gammaNew(nr, y, g)
	w = ix.model.priorWeight()
	for f, l := range g {
		fw, _, _, _ := ix.matchWeight(f, l, nr.vals[f])
		w += fw
	}
	return w, probability(w)
}

// Score returns the match weight and probability of records a and b, a
// reviewer's decision overriding the model.
func (ix *Index) Score(a, b int) (weight, prob float64) {
	return ix.scoreInto(a, b, make([]int, len(ix.cfg.Fields)))
}

// scoreInto is Score with g as scratch space for the comparison vector.
func (ix *Index) scoreInto(a, b int, g []int) (weight, prob float64) {
	if same, ok := ix.decisions[makePair(a, b).key()]; ok {
		if same {
			return math.Inf(1), 1
		}
		return math.Inf(-1), 0
	}
	return ix.score(ix.row(a), ix.row(b), g)
}

// shown is record i's value of field f as a reviewer reads it: the values
// of an AnyOf field separated by " / ".
func (ix *Index) shown(f, i int) string {
	v := ix.records[i].Values[f]
	if ix.cfg.Fields[f].Compare.AnyOf {
		v = strings.ReplaceAll(v, AnyOfSeparator, " / ")
	}
	return v
}

// Explain returns the per-field contributions to the score of p.
func (ix *Index) Explain(p Pair) Explanation {
	g := ix.Gamma(p.A, p.B)
	e := Explanation{Pair: p, Prior: ix.model.priorWeight()}
	e.Weight = e.Prior
	for f, l := range g {
		w, m, u, tf := ix.matchWeight(f, l, ix.value(p.A, f))
		c := Contribution{
			Field: ix.cfg.Fields[f].Name, A: ix.shown(f, p.A), B: ix.shown(f, p.B),
			Level: l, Label: "missing", M: m, U: u, Weight: w, TermFrequency: tf,
		}
		if l != missing {
			c.Label = ix.labels[f][l]
		}
		e.Fields = append(e.Fields, c)
		e.Weight += w
	}
	e.Probability = probability(e.Weight)
	if same, ok := ix.decisions[p.key()]; ok {
		e.Decided, e.Probability = true, 0
		if same {
			e.Probability = 1
		}
	}
	return e
}
