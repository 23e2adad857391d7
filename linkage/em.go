package linkage

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
)

// Model is a Fellegi–Sunter model (Fellegi & Sunter 1969) under conditional
// independence of the fields given the match status.
type Model struct {
	// Lambda is the prior probability that a candidate pair is a match.
	Lambda float64
	// M[f][l] is the mProbability P(γ_f = l | match).
	M [][]float64
	// U[f][l] is the uProbability P(γ_f = l | non-match).
	U [][]float64
	// Iterations is the number of EM iterations run; Converged says
	// whether the parameters settled before the limit.
	Iterations int
	Converged  bool
}

// EstimateOptions tune Estimate.
type EstimateOptions struct {
	// MaxIter bounds the EM iterations; 0 means 200.
	MaxIter int
	// Tol stops EM when no parameter moves more; 0 means 1e-7.
	Tol float64
	// RandomPairs, when positive, estimates the uProbabilities from that
	// many random pairs (almost all non-matches) and keeps them fixed
	// while EM learns Lambda and the mProbabilities, as Splink does.
	RandomPairs int
	// Seed makes the random pairs reproducible.
	Seed uint64
}

// pattern is a distinct comparison vector with the number of pairs showing it;
// EM needs only these counts, which are far fewer than the pairs.
type pattern struct {
	g []int
	n float64
}

// probFloor keeps every probability positive, so no level has an infinite
// weight because it was never seen in the training pairs.
const probFloor = 1e-6

// Estimate learns a Model from the comparison vectors of pairs, usually
// ix.CandidatePairs(), by expectation–maximisation (Winkler 1988; Jaro 1989).
func Estimate(ix *Index, pairs []Pair, opt EstimateOptions) (*Model, error) {
	return EstimateCandidates(ix, ix.candidatesOf(pairs), opt)
}

// EstimateCandidates is Estimate on candidate pairs whose comparison
// vectors are already computed (Index.Candidates).
func EstimateCandidates(ix *Index, c *Candidates, opt EstimateOptions) (*Model, error) {
	if c.Len() == 0 {
		return nil, fmt.Errorf("estimate linkage model: no candidate pairs")
	}
	if opt.MaxIter == 0 {
		opt.MaxIter = 200
	}
	if opt.Tol == 0 {
		opt.Tol = 1e-7
	}
	levels := ix.levels()
	pats := ix.patterns(c)
	init := &Model{Lambda: 0.1}
	var fixU bool
	if opt.RandomPairs > 0 {
		u, err := ix.randomU(opt.RandomPairs, opt.Seed)
		if err != nil {
			return nil, err
		}
		init.U, fixU = u, true
	} else {
		init.U = levelFrequencies(pats, levels)
	}
	for _, n := range levels {
		m := make([]float64, n)
		var sum float64
		for l := range m {
			m[l] = math.Pow(4, float64(l))
			sum += m[l]
		}
		for l := range m {
			m[l] /= sum
		}
		init.M = append(init.M, m)
	}
	return emFellegiSunter(pats, levels, init, fixU, opt.MaxIter, opt.Tol), nil
}

// patterns returns the distinct comparison vectors of c with their counts,
// in the order of their packed form, so that EM sums in the same order on
// every run.
func (ix *Index) patterns(c *Candidates) []pattern {
	keys := slices.Sorted(maps.Keys(c.counts))
	pats := make([]pattern, len(keys))
	for i, x := range keys {
		g := make([]int, ix.nf)
		ix.unpack(x, g)
		pats[i] = pattern{g: g, n: c.counts[x]}
	}
	return pats
}

// levelFrequencies returns, per field, the share of each level among the
// non-missing comparisons of the patterns.
func levelFrequencies(pats []pattern, levels []int) [][]float64 {
	out := make([][]float64, len(levels))
	for f, n := range levels {
		out[f] = make([]float64, n)
	}
	for _, p := range pats {
		for f, l := range p.g {
			if l != missing {
				out[f][l] += p.n
			}
		}
	}
	for f := range out {
		normalise(out[f])
	}
	return out
}

// normalise scales p to sum 1, after flooring each entry at probFloor.
func normalise(p []float64) {
	var sum float64
	for _, x := range p {
		sum += x
	}
	for l := range p {
		if sum > 0 {
			p[l] /= sum
		} else {
			p[l] = 1 / float64(len(p))
		}
		p[l] = math.Max(p[l], probFloor)
	}
	sum = 0
	for _, x := range p {
		sum += x
	}
	for l := range p {
		p[l] /= sum
	}
}

// randomU estimates uProbabilities from n random pairs of records: among
// random pairs matches are so rare that the level frequencies are those of
// non-matches.
func (ix *Index) randomU(n int, seed uint64) ([][]float64, error) {
	pats, err := ix.randomPatterns(n, seed)
	if err != nil {
		return nil, err
	}
	return levelFrequencies(pats, ix.levels()), nil
}

// randomPatterns compares n random pairs of records (of different sources
// when LinkOnly) and returns their patterns.
func (ix *Index) randomPatterns(n int, seed uint64) ([]pattern, error) {
	N := len(ix.records)
	if N < 2 {
		return nil, fmt.Errorf("estimate u: fewer than two records")
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	var pairs []Pair
	if N*(N-1)/2 <= n {
		// A small file has fewer pairs than asked for: take each once.
		// Drawn with replacement, its few pairs would be counted
		// thousands of times and outweigh any prior set beside them
		// (EstimatePeyvand's u of a large list).
		for a := range N {
			for b := a + 1; b < N; b++ {
				if !(ix.cfg.LinkOnly && ix.records[a].Source == ix.records[b].Source) {
					pairs = append(pairs, Pair{a, b})
				}
			}
		}
		n = 0
	}
	for tries := 0; len(pairs) < n && tries < 20*n; tries++ {
		a, b := rng.IntN(N), rng.IntN(N)
		if a == b || ix.cfg.LinkOnly && ix.records[a].Source == ix.records[b].Source {
			continue
		}
		pairs = append(pairs, Pair{a, b})
	}
	pats := ix.patterns(ix.candidatesOf(pairs))
	if len(pats) == 0 {
		return nil, fmt.Errorf("estimate u: no pair of records from different sources")
	}
	return pats, nil
}

// levels returns the number of levels of each field.
func (ix *Index) levels() []int {
	levels := make([]int, len(ix.cfg.Fields))
	for f, fd := range ix.cfg.Fields {
		levels[f] = fd.Compare.levels()
	}
	return levels
}

// emFellegiSunter runs EM for the two-class latent model. E-step, for a
// pattern γ:
//
//	w(γ) = λ·Πf m_f(γ_f) / (λ·Πf m_f(γ_f) + (1-λ)·Πf u_f(γ_f))
//
// over the fields with γ_f present; M-step: λ = Σ n_γ w(γ) / Σ n_γ,
// m_f(l) = Σ n_γ w(γ)[γ_f=l] / Σ n_γ w(γ)[γ_f present], and u_f likewise with
// 1-w(γ) unless fixU. It is free of I/O so it can be tested on known models.
func emFellegiSunter(pats []pattern, levels []int, init *Model, fixU bool, maxIter int, tol float64) *Model {
	m := &Model{Lambda: init.Lambda, M: clone2(init.M), U: clone2(init.U)}
	mAcc, uAcc := zeros(levels), zeros(levels)
	for m.Iterations < maxIter {
		m.Iterations++
		var total, matches float64
		for _, p := range pats {
			lm, lu := math.Log(m.Lambda), math.Log(1-m.Lambda)
			for f, l := range p.g {
				if l != missing {
					lm += math.Log(m.M[f][l])
					lu += math.Log(m.U[f][l])
				}
			}
			w := 1 / (1 + math.Exp(lu-lm))
			total += p.n
			matches += p.n * w
			for f, l := range p.g {
				if l != missing {
					mAcc[f][l] += p.n * w
					uAcc[f][l] += p.n * (1 - w)
				}
			}
		}
		lambda := math.Min(math.Max(matches/total, probFloor), 1-probFloor)
		delta := math.Abs(lambda - m.Lambda)
		m.Lambda = lambda
		delta = math.Max(delta, update(m.M, mAcc))
		if !fixU {
			delta = math.Max(delta, update(m.U, uAcc))
		} else {
			clear2(uAcc)
		}
		if delta < tol {
			m.Converged = true
			break
		}
	}
	return m
}

// update replaces p by the normalised accumulators, clears them, and returns
// the largest change.
func update(p, acc [][]float64) float64 {
	var delta float64
	for f := range p {
		normalise(acc[f])
		for l := range p[f] {
			delta = math.Max(delta, math.Abs(acc[f][l]-p[f][l]))
			p[f][l] = acc[f][l]
			acc[f][l] = 0
		}
	}
	return delta
}

func zeros(levels []int) [][]float64 {
	out := make([][]float64, len(levels))
	for f, n := range levels {
		out[f] = make([]float64, n)
	}
	return out
}

func clear2(p [][]float64) {
	for _, row := range p {
		clear(row)
	}
}

func clone2(p [][]float64) [][]float64 {
	out := make([][]float64, len(p))
	for i := range p {
		out[i] = append([]float64(nil), p[i]...)
	}
	return out
}
