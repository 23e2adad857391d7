package estimate

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"

	"peyvand"
)

// DGAOptions configures DGA. The zero value takes the defaults of the R
// package dga (Johnson, Lum & Ball).
type DGAOptions struct {
	// NMax is the largest N on the posterior grid. Zero means 5×Observed,
	// doubled (up to 1000×Observed) until the posterior mass beyond the grid
	// is below 1e-6.
	NMax int
	// Delta is the hyper-Dirichlet prior parameter of each cell of the full
	// 2^k table; default 1, as in dga.
	Delta float64
	// UniformPrior replaces the default prior p(N) ∝ 1/N (the "rho" prior of
	// Madigan & York 1997, §3) by a flat prior on the grid.
	UniformPrior bool
	// LogPrior, if set, replaces both: the log prior of N, up to a
	// constant. Madigan & York (1997, §5) use a negative binomial.
	LogPrior func(n int) float64
}

// DGAResult is the posterior of the population size N averaged over all
// decomposable graphical models of the lists.
type DGAResult struct {
	Observed  int
	Step      int       // spacing of the grid of N: 1 up to 50,000 observed, then coarser
	Posterior []float64 // Posterior[i] = p(N = Observed+i·Step | data), averaged over models
	Median    float64
	CI95      Interval   // 2.5% and 97.5% posterior quantiles
	Models    []DGAModel // every decomposable graph, by posterior probability descending
	Warnings  []Warning
}

// DGAModel is one decomposable graph over the lists, given by its maximal
// cliques, with its posterior probability.
type DGAModel struct {
	Cliques     [][]int // list indices, each clique ascending
	Probability float64
	Formula     string // the generating class, e.g. "A*B + C"
}

const (
	dgaDefaultFactor = 5    // default NMax, in multiples of Observed
	dgaMaxFactor     = 1000 // automatic extension stops here
	dgaTailMass      = 1e-6 // posterior mass tolerated beyond the grid

	// dgaGridPoints bounds the grid of N. Every N is a point up to 50,000
	// people observed (the default grid spans 4 × Observed); above, the
	// grid's spacing grows so that memory and time do not grow with N (39
	// million observed once took 24 GB). A posterior spread over millions
	// loses nothing that its quantiles show when read every few dozen.
	dgaGridPoints = 200_000
)

// DGA estimates the population size by Bayesian model averaging over the
// decomposable graphical models of the k lists (Madigan & York 1997,
// "Bayesian methods for estimation of the size of a closed population",
// Biometrika 84(1):19–31), as the R package dga's bma.cr does. Each graph G
// has a hyper-Dirichlet prior (Dawid & Lauritzen 1993) and a uniform prior
// weight; the joint posterior over (G, N), computed exactly on a grid of N,
// is normalised once, so that summing over graphs gives p(N | data) and
// summing over N gives p(G | data). It needs 3 to 5 lists: with two there
// is only one non-saturated graph, past five there are too many graphs.
func DGA(ctx context.Context, t Table, opt DGAOptions) (DGAResult, error) {
	if err := t.Validate(); err != nil {
		return DGAResult{}, err
	}
	if k := t.K(); k < 3 || k > 5 {
		return DGAResult{}, peyvand.Errorf(peyvand.EINVALID, "DGA needs 3 to 5 lists, got %d; use log-linear models or LCMCR instead", k)
	}
	return dgaFit(ctx, t, decomposableGraphs(t.K()), opt)
}

// dgaFit computes the joint posterior over the given graphs and N.
func dgaFit(ctx context.Context, t Table, graphs []dgaGraph, opt DGAOptions) (DGAResult, error) {
	obs := t.Observed()
	if opt.Delta == 0 {
		opt.Delta = 1
	}
	if !(opt.Delta > 0) || math.IsInf(opt.Delta, 1) {
		return DGAResult{}, peyvand.Errorf(peyvand.EINVALID, "DGA prior parameter Delta = %v: must be positive", opt.Delta)
	}
	if opt.NMax != 0 && opt.NMax < obs {
		return DGAResult{}, peyvand.Errorf(peyvand.EINVALID, "DGA NMax = %d is below the %d people observed", opt.NMax, obs)
	}
	nmax := opt.NMax
	if nmax == 0 {
		nmax = dgaDefaultFactor * obs
	}
	p := newDGAPosterior(t, graphs, opt, gridStep(obs, nmax))
	if err := p.extend(ctx, nmax); err != nil {
		return DGAResult{}, err
	}
	var warnings []Warning
	for tail := p.tailMass(); tail >= dgaTailMass; tail = p.tailMass() {
		if opt.NMax != 0 || nmax >= dgaMaxFactor*obs {
			warnings = append(warnings, Warning{Message: fmt.Sprintf(
				"about %.2g of the posterior mass of N lies beyond the grid's end at %d; the upper quantiles are too low, raise NMax", tail, nmax)})
			break
		}
		nmax = min(2*nmax, dgaMaxFactor*obs)
		// A grid grown past four times its bound starts again, coarser.
		if step := gridStep(obs, nmax); step >= 4*p.step {
			p = newDGAPosterior(t, graphs, opt, step)
		}
		if err := p.extend(ctx, nmax); err != nil {
			return DGAResult{}, err
		}
	}
	res := p.result()
	for i := range res.Models {
		res.Models[i].Formula = dgaFormula(res.Models[i], t.Lists)
	}
	res.Warnings = warnings
	return res, nil
}

// dgaMargin holds what the marginal likelihood of one marginal table n_A
// needs beyond N: the cell that contains the unobserved people changes with
// N, the others do not.
type dgaMargin struct {
	alpha float64 // prior of each cell of n_A, δ·2^(k−|A|)
	zero  float64 // observed people on no list of A (they share the cell of the unobserved)
	rest  float64 // Σ over the other cells c of lgamma(α+n_c) − lgamma(α)
}

// gridStep is the spacing of a grid from obs to nmax with at most about
// dgaGridPoints points.
func gridStep(obs, nmax int) int {
	return max(1, (nmax-obs+dgaGridPoints-1)/dgaGridPoints)
}

// dgaPosterior accumulates the unnormalised log posterior of (G, N) over a
// growing grid N = obs, obs+step, obs+2·step, …
type dgaPosterior struct {
	k, obs   int
	step     int
	delta    float64
	uniform  bool
	logPrior func(int) float64
	graphs   []dgaGraph
	margins  []dgaMargin // by subset of lists, as a bit mask
	logByN   []float64   // log Σ_G p(G, N | data), unnormalised, N = obs+i·step
	graphMax []float64   // per graph, online log-sum-exp over N: running maximum
	graphSum []float64   // and Σ exp(log p(G, N) − graphMax)
}

func newDGAPosterior(t Table, graphs []dgaGraph, opt DGAOptions, step int) *dgaPosterior {
	k := t.K()
	p := &dgaPosterior{k: k, obs: t.Observed(), step: step, delta: opt.Delta, uniform: opt.UniformPrior, logPrior: opt.LogPrior, graphs: graphs,
		margins: make([]dgaMargin, 1<<k), graphMax: make([]float64, len(graphs)), graphSum: make([]float64, len(graphs))}
	for g := range graphs {
		p.graphMax[g] = math.Inf(-1)
	}
	for a := uint32(1); a < 1<<k; a++ {
		cells := map[uint32]float64{}
		for h, c := range t.Counts {
			cells[h&a] += float64(c)
		}
		m := dgaMargin{alpha: opt.Delta * float64(uint(1)<<(k-bits.OnesCount32(a))), zero: cells[0]}
		for c, n := range cells {
			if c != 0 {
				m.rest += lgamma(m.alpha+n) - lgamma(m.alpha)
			}
		}
		p.margins[a] = m
	}
	return p
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// extend evaluates the grid up to N = nmax. For each N, with n0 = N − obs
// unobserved, the marginal likelihood of a decomposable graph is
// p(n | G) = Π_C f(n_C) / Π_S f(n_S) over cliques C and separators S
// (Madigan & York 1997, eq. 3; Dawid & Lauritzen 1993), where
// f(n_A) = Γ(α_A)/Γ(α_A+N) · Π_c Γ(α_c+n_c)/Γ(α_c), α_c = δ·2^(k−|A|) and
// α_A = δ·2^k, so that all marginals of the prior agree. The posterior
// multiplies by p(N) and the multinomial coefficient N!/(n0! Π_h n_h!),
// dropping Π_h n_h!, which does not depend on N or G. A cancelled ctx
// stops it with ctx's error.
func (p *dgaPosterior) extend(ctx context.Context, nmax int) error {
	total := p.delta * float64(uint(1)<<p.k)
	logf := make([]float64, len(p.margins))
	logPost := make([]float64, len(p.graphs))
	for n := p.obs + len(p.logByN)*p.step; n <= nmax; n += p.step {
		if len(p.logByN)%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		N, n0 := float64(n), float64(n-p.obs)
		norm := lgamma(total) - lgamma(total+N)
		for a := 1; a < len(p.margins); a++ {
			m := p.margins[a]
			logf[a] = norm + m.rest + lgamma(m.alpha+m.zero+n0) - lgamma(m.alpha)
		}
		base := lgamma(N+1) - lgamma(n0+1)
		switch {
		case p.logPrior != nil:
			base += p.logPrior(n)
		case !p.uniform:
			base -= math.Log(N)
		}
		for g, gr := range p.graphs {
			v := base
			for _, c := range gr.cliques {
				v += logf[c]
			}
			for _, s := range gr.separators {
				v -= logf[s]
			}
			logPost[g] = v
			if v > p.graphMax[g] {
				p.graphSum[g] = p.graphSum[g]*math.Exp(p.graphMax[g]-v) + 1
				p.graphMax[g] = v
			} else {
				p.graphSum[g] += math.Exp(v - p.graphMax[g])
			}
		}
		p.logByN = append(p.logByN, logSumExp(logPost))
	}
	return nil
}

// tailMass estimates the share of the posterior of N beyond the grid by
// fitting a power law p(N) ∝ N^−a through its last two points; the tail is
// then p(M)·M/(a−1). Heavy tails come from graphs whose cliques cover the
// unobserved cell, where p(N | G) decays like a power of N, and a power law
// overstates any faster, geometric decay, so the estimate errs long.
func (p *dgaPosterior) tailMass() float64 {
	last := len(p.logByN) - 1
	if last < 1 {
		return 1
	}
	m, step := float64(p.obs+last*p.step), float64(p.step)
	a := (p.logByN[last-1] - p.logByN[last]) / math.Log(m/(m-step))
	if a <= 1 {
		return 1
	}
	// The grid's sum stands for 1/step of the sum over every N.
	return math.Min(1, math.Exp(p.logByN[last]-logSumExp(p.logByN))*m/(a-1)/step)
}

// result normalises the posterior jointly over graphs and N.
func (p *dgaPosterior) result() DGAResult {
	res := DGAResult{Observed: p.obs, Step: p.step, Posterior: make([]float64, len(p.logByN))}
	z := logSumExp(p.logByN)
	for i, l := range p.logByN {
		res.Posterior[i] = math.Exp(l - z)
	}
	if p.step == 1 {
		q := discreteQuantiles(res.Posterior, 0.025, 0.5, 0.975)
		res.CI95 = Interval{Lo: float64(p.obs + q[0]), Hi: float64(p.obs + q[2])}
		res.Median = float64(p.obs + q[1])
	} else {
		res.CI95 = Interval{Lo: p.gridQuantile(res.Posterior, 0.025), Hi: p.gridQuantile(res.Posterior, 0.975)}
		res.Median = p.gridQuantile(res.Posterior, 0.5)
	}
	for g, gr := range p.graphs {
		res.Models = append(res.Models, gr.model(math.Exp(p.graphMax[g]+math.Log(p.graphSum[g])-z), p.k))
	}
	slices.SortStableFunc(res.Models, func(a, b DGAModel) int { return cmp.Compare(b.Probability, a.Probability) })
	return res
}

// gridQuantile is the q-quantile of N on a grid coarser than one person:
// each point's mass spread evenly over the step around it (the first
// point's over the half step above obs), so that quantiles fall between
// points rather than on them (the median of 8·10^9 people once sat on the
// interval's upper end).
func (p *dgaPosterior) gridQuantile(pmf []float64, q float64) float64 {
	cum, step := 0.0, float64(p.step)
	for i, m := range pmf {
		if cum+m >= q && m > 0 {
			lo, width := float64(p.obs)+float64(i)*step-step/2, step
			if i == 0 {
				lo, width = float64(p.obs), step/2
			}
			return lo + width*(q-cum)/m
		}
		cum += m
	}
	return float64(p.obs + (len(pmf)-1)*p.step)
}

// discreteQuantiles returns, for each probability q, the smallest index
// whose cumulative probability reaches q.
func discreteQuantiles(pmf []float64, probs ...float64) []int {
	out := make([]int, len(probs))
	for j, q := range probs {
		cum, i := 0.0, 0
		for ; i < len(pmf)-1; i++ {
			if cum += pmf[i]; cum >= q {
				break
			}
		}
		out[j] = i
	}
	return out
}

func logSumExp(x []float64) float64 {
	mx := math.Inf(-1)
	for _, v := range x {
		mx = math.Max(mx, v)
	}
	if math.IsInf(mx, 0) {
		return mx
	}
	s := 0.0
	for _, v := range x {
		s += math.Exp(v - mx)
	}
	return mx + math.Log(s)
}

// dgaGraph is a decomposable graph by the bit masks of its maximal cliques
// and of the separators of a junction tree over them; empty separators
// (between connected components) are omitted, as f(n_∅) = 1.
type dgaGraph struct {
	cliques, separators []uint32
}

// model renders g with probability prob.
func (g dgaGraph) model(prob float64, k int) DGAModel {
	m := DGAModel{Probability: prob}
	for _, c := range g.cliques {
		var members []int
		for i := range k {
			if c>>i&1 == 1 {
				members = append(members, i)
			}
		}
		m.Cliques = append(m.Cliques, members)
	}
	slices.SortFunc(m.Cliques, slices.Compare)
	return m
}

// dgaFormula renders the cliques of m with list names, e.g. "A*B + C".
func dgaFormula(m DGAModel, lists []string) string {
	terms := make([]string, len(m.Cliques))
	for i, c := range m.Cliques {
		names := make([]string, len(c))
		for j, v := range c {
			names[j] = lists[v]
		}
		terms[i] = strings.Join(names, "*")
	}
	return strings.Join(terms, " + ")
}

// decomposableGraphs enumerates the decomposable (chordal) graphs on k
// labelled vertices by testing each of the 2^(k(k−1)/2) graphs: 8 for k=3,
// 61 for k=4, 822 for k=5. The first is the empty graph (independence).
func decomposableGraphs(k int) []dgaGraph {
	var pairs [][2]int
	for i := range k {
		for j := i + 1; j < k; j++ {
			pairs = append(pairs, [2]int{i, j})
		}
	}
	var out []dgaGraph
	for mask := 0; mask < 1<<len(pairs); mask++ {
		adj := make([]uint32, k)
		for e, pr := range pairs {
			if mask>>e&1 == 1 {
				adj[pr[0]] |= 1 << pr[1]
				adj[pr[1]] |= 1 << pr[0]
			}
		}
		if g, ok := chordalGraph(adj); ok {
			out = append(out, g)
		}
	}
	return out
}

// chordalGraph finds a perfect elimination ordering of the graph with
// adjacency masks adj by removing simplicial vertices (whose remaining
// neighbours form a clique) one at a time; the graph is chordal exactly when
// this empties it (Fulkerson & Gross 1965). Each removed vertex with its
// remaining neighbours is a clique, and every maximal clique is among them.
func chordalGraph(adj []uint32) (dgaGraph, bool) {
	k := len(adj)
	remaining := uint32(1)<<k - 1
	var cands []uint32
	for remaining != 0 {
		v := -1
		for u := range k {
			if remaining>>u&1 == 1 && isClique(adj, adj[u]&remaining) {
				v = u
				break
			}
		}
		if v < 0 {
			return dgaGraph{}, false
		}
		cands = append(cands, 1<<v|adj[v]&remaining)
		remaining &^= 1 << v
	}
	var g dgaGraph
	for i, c := range cands {
		maximal := true
		for j, d := range cands {
			if i != j && c&d == c && (c != d || j < i) {
				maximal = false
			}
		}
		if maximal {
			g.cliques = append(g.cliques, c)
		}
	}
	g.separators = junctionSeparators(g.cliques)
	return g, true
}

// isClique reports whether the vertices in set are pairwise adjacent.
func isClique(adj []uint32, set uint32) bool {
	for u := range len(adj) {
		if set>>u&1 == 1 && set&^(1<<u)&^adj[u] != 0 {
			return false
		}
	}
	return true
}

// junctionSeparators builds a junction tree as a maximum-weight spanning
// tree of the cliques, weighted by the size of their intersections (Prim's
// algorithm), which for a chordal graph has the running intersection
// property (Jensen & Jensen 1994); its edges are the separators.
func junctionSeparators(cliques []uint32) []uint32 {
	in := make([]bool, len(cliques))
	in[0] = true
	var seps []uint32
	for range len(cliques) - 1 {
		best, next, sep := -1, -1, uint32(0)
		for i, c := range cliques {
			for j, d := range cliques {
				if !in[i] && in[j] && bits.OnesCount32(c&d) > best {
					best, next, sep = bits.OnesCount32(c&d), i, c&d
				}
			}
		}
		in[next] = true
		if sep != 0 {
			seps = append(seps, sep)
		}
	}
	return seps
}
