package estimate

import (
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sync"

	"peyvand"
)

// LCMCROptions configures the LCMCR Gibbs sampler. Zero fields take the
// defaults of the R package LCMCR where it has them.
type LCMCROptions struct {
	K       int    // latent classes in the truncated stick-breaking prior; default 10
	Burnin  int    // iterations discarded per chain; default 10000
	Samples int    // posterior draws kept per chain; default 1000
	Thin    int    // iterations per kept draw; default 10
	Chains  int    // independent chains, run concurrently; default 4
	Seed    uint64 // chain c is seeded with PCG(Seed, c): runs are reproducible

	// AlphaShape and AlphaRate parametrise the Gamma prior on the Dirichlet
	// process concentration alpha; default 0.25 and 0.25.
	AlphaShape, AlphaRate float64
}

func (o LCMCROptions) withDefaults() LCMCROptions {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.K, 10)
	def(&o.Burnin, 10000)
	def(&o.Samples, 1000)
	def(&o.Thin, 10)
	def(&o.Chains, 4)
	if o.AlphaShape == 0 {
		o.AlphaShape = 0.25
	}
	if o.AlphaRate == 0 {
		o.AlphaRate = 0.25
	}
	return o
}

// LCMCRResult summarises the posterior of the population size N.
type LCMCRResult struct {
	Observed int
	Draws    [][]float64 // per chain, the kept draws of N
	Median   float64
	CI95     Interval // 2.5% and 97.5% posterior quantiles
	ESS      float64  // effective sample size of N over all chains
	RHat     float64  // split R-hat of N; near 1 when chains agree
}

// LCMCR estimates the population size with the latent-class model of
// Manrique-Vallier (2016), "Bayesian population size estimation using
// Dirichlet process mixtures", Biometrics 72(4): within each of K latent
// classes, lists capture independently with probabilities lambda[k][j] ~
// Beta(1,1); class weights follow a stick-breaking Dirichlet process prior
// truncated at K with concentration alpha ~ Gamma(AlphaShape, AlphaRate); and
// p(N) ∝ 1/N. Heterogeneity is absorbed by the classes, so the model copes
// with lists that reach different kinds of victims. Chains run concurrently
// and stop early with ctx's error when ctx is cancelled.
func LCMCR(ctx context.Context, t Table, opt LCMCROptions) (LCMCRResult, error) {
	if err := t.Validate(); err != nil {
		return LCMCRResult{}, err
	}
	opt = opt.withDefaults()
	if opt.K < 1 || opt.Burnin < 0 || opt.Samples < 2 || opt.Thin < 1 || opt.Chains < 1 || opt.AlphaShape < 0 || opt.AlphaRate < 0 {
		return LCMCRResult{}, peyvand.Errorf(peyvand.EINVALID, "LCMCR options %+v: need K ≥ 1, Samples ≥ 2, Thin ≥ 1, Chains ≥ 1 and no negative values", opt)
	}
	res := LCMCRResult{Observed: t.Observed(), Draws: make([][]float64, opt.Chains)}
	errs := make([]error, opt.Chains)
	var wg sync.WaitGroup
	for c := range opt.Chains {
		wg.Go(func() {
			ch := newLCMCRChain(t, opt, uint64(c))
			res.Draws[c], errs[c] = ch.run(ctx, opt)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return LCMCRResult{}, err
		}
	}
	var pooled []float64
	for _, d := range res.Draws {
		pooled = append(pooled, d...)
	}
	q := quantiles(pooled, 0.025, 0.5, 0.975)
	res.CI95, res.Median = Interval{Lo: q[0], Hi: q[2]}, q[1]
	res.ESS = effectiveSampleSize(res.Draws)
	res.RHat = splitRHat(res.Draws)
	return res, nil
}

// lcmcrChain is one Gibbs chain. Individuals are handled as counts per
// cell: z[c*K+k] is how many of observed cell c's people are in class k.
type lcmcrChain struct {
	r      *rand.Rand
	j, k   int
	cells  []uint32 // observed histories with positive counts
	counts []int
	n      int // people observed

	lambda []float64 // lambda[k*j+l]: capture probability of list l in class k
	pi     []float64 // class weights from the sticks
	alpha  float64   // Dirichlet process concentration
	n0     int       // augmented unobserved people

	z, z0     []int     // class counts per observed cell, and of the n0
	size      []int     // people per class
	order     []int     // classes by decreasing size at the last sweep
	hits      []int     // hits[k*j+l]: people in class k on list l
	w, suffix []float64 // scratch for class weights

	aShape, aRate float64
}

func newLCMCRChain(t Table, opt LCMCROptions, stream uint64) *lcmcrChain {
	ch := &lcmcrChain{
		r: rand.New(rand.NewPCG(opt.Seed, stream)),
		j: t.K(), k: opt.K, n: t.Observed(),
		aShape: opt.AlphaShape, aRate: opt.AlphaRate,
	}
	for h := uint32(1); h < 1<<ch.j; h++ {
		if c := t.Counts[h]; c > 0 {
			ch.cells = append(ch.cells, h)
			ch.counts = append(ch.counts, c)
		}
	}
	K, J := ch.k, ch.j
	ch.lambda = make([]float64, K*J)
	ch.pi = make([]float64, K)
	ch.z = make([]int, len(ch.cells)*K)
	ch.z0 = make([]int, K)
	ch.size = make([]int, K)
	ch.hits = make([]int, K*J)
	ch.w = make([]float64, K)
	ch.suffix = make([]float64, K)
	ch.order = make([]int, K)
	for k := range ch.order {
		ch.order[k] = k
	}
	// Start from the prior, then draw n0 given it.
	for i := range ch.lambda {
		ch.lambda[i] = ch.r.Float64()
	}
	ch.alpha = 1
	ch.sampleSticks()
	ch.sampleN0()
	return ch
}

func (ch *lcmcrChain) run(ctx context.Context, opt LCMCROptions) ([]float64, error) {
	draws := make([]float64, 0, opt.Samples)
	total := opt.Burnin + opt.Samples*opt.Thin
	for it := 1; it <= total; it++ {
		if it%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ch.step()
		if it > opt.Burnin && (it-opt.Burnin)%opt.Thin == 0 {
			draws = append(draws, float64(ch.n+ch.n0))
		}
	}
	return draws, nil
}

// step is one Gibbs sweep through the full conditionals of Manrique-Vallier
// (2016, §3): class memberships of observed and augmented people, capture
// probabilities, sticks, alpha, and the number unobserved.
func (ch *lcmcrChain) step() {
	K, J := ch.k, ch.j
	// Splitting people over the largest classes first lets most
	// multinomial draws stop after a few binomials.
	slices.SortStableFunc(ch.order, func(a, b int) int { return ch.size[b] - ch.size[a] })
	clear(ch.size)
	clear(ch.hits)
	for c, h := range ch.cells {
		// P(class k | history h) ∝ pi_k prod_l lambda_kl^x_l (1-lambda_kl)^(1-x_l).
		for k := 0; k < K; k++ {
			p := ch.pi[k]
			lam := ch.lambda[k*J : (k+1)*J]
			for l, x := range lam {
				if h>>l&1 == 1 {
					p *= x
				} else {
					p *= 1 - x
				}
			}
			ch.w[k] = p
		}
		zc := ch.z[c*K : (c+1)*K]
		ch.multinomial(ch.counts[c], zc)
		for k, nk := range zc {
			if nk == 0 {
				continue
			}
			ch.size[k] += nk
			for b := h; b != 0; b &= b - 1 {
				ch.hits[k*J+bits.TrailingZeros32(b)] += nk
			}
		}
	}
	for k := 0; k < K; k++ {
		ch.w[k] = ch.pi[k] * ch.missProb(k)
	}
	ch.multinomial(ch.n0, ch.z0)
	for k, nk := range ch.z0 {
		ch.size[k] += nk
	}
	// lambda_kl | z ~ Beta(1 + on list, 1 + off list).
	for i := range ch.lambda {
		on := ch.hits[i]
		ch.lambda[i] = betaRand(ch.r, 1+float64(on), 1+float64(ch.size[i/J]-on))
	}
	ch.sampleSticks()
	ch.sampleN0()
}

// missProb is the probability that a member of class k is on no list.
func (ch *lcmcrChain) missProb(k int) float64 {
	p := 1.0
	for _, x := range ch.lambda[k*ch.j : (k+1)*ch.j] {
		p *= 1 - x
	}
	return p
}

// sampleSticks draws V_k ~ Beta(1 + n_k, alpha + sum_{l>k} n_l), sets
// pi_k = V_k prod_{l<k}(1 - V_l), then alpha ~ Gamma(a + K - 1,
// b - sum_{k<K} log(1 - V_k)) (Ishwaran & James 2001, truncated stick breaking).
func (ch *lcmcrChain) sampleSticks() {
	rest := 0
	for _, s := range ch.size {
		rest += s
	}
	remaining, sumLog := 1.0, 0.0
	for k := 0; k < ch.k-1; k++ {
		rest -= ch.size[k]
		v := betaRand(ch.r, 1+float64(ch.size[k]), ch.alpha+float64(rest))
		v = math.Min(v, 1-1e-12) // keeps log(1-V) and later sticks finite
		ch.pi[k] = remaining * v
		remaining *= 1 - v
		sumLog += math.Log1p(-v)
	}
	ch.pi[ch.k-1] = remaining
	if ch.k > 1 {
		ch.alpha = math.Max(gammaRand(ch.r, ch.aShape+float64(ch.k-1))/(ch.aRate-sumLog), 1e-10)
	}
}

// sampleN0 draws the number unobserved from its full conditional under
// p(N) ∝ 1/N: n0 ~ NegBin(n, 1 - p0), with p0 = sum_k pi_k prod_l (1 -
// lambda_kl) the probability of being on no list.
func (ch *lcmcrChain) sampleN0() {
	p0 := 0.0
	for k := 0; k < ch.k; k++ {
		p0 += ch.pi[k] * ch.missProb(k)
	}
	p0 = math.Min(p0, 1-1e-10)
	ch.n0 = negBinomialRand(ch.r, ch.n, 1-p0)
}

// multinomial splits n people among classes with weights ch.w into out, by
// sequential conditional binomials taken in ch.order: class order[i]
// receives Binomial(n left, w / weight of classes order[i:]).
func (ch *lcmcrChain) multinomial(n int, out []int) {
	s := 0.0
	for i := len(ch.order) - 1; i >= 0; i-- {
		s += ch.w[ch.order[i]]
		ch.suffix[i] = s
	}
	clear(out)
	last := len(ch.order) - 1
	for i := 0; i < last && n > 0; i++ {
		if ch.suffix[i] <= 0 {
			break
		}
		k := ch.order[i]
		x := binomialRand(ch.r, n, ch.w[k]/ch.suffix[i])
		out[k] = x
		n -= x
	}
	out[ch.order[last]] += n
}
