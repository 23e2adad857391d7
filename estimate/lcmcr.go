package estimate

import (
	"context"
	"math"
	"math/bits"
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
	Seed    uint64 // chain c draws from xoshiro256++ seeded by PCG(Seed, c): runs are reproducible

	// MaxThin, when above Thin, lets the chains run longer until they
	// have mixed: while the effective sample size is below MinESS or
	// R-hat above 1.1, every chain keeps every second draw and runs on
	// at twice the thinning to refill Samples (the same draws a chain run
	// at that thinning from the start would keep), up to MaxThin. Each
	// doubling doubles the sweeps; runs stay reproducible. MinESS
	// defaults to 400.
	MaxThin, MinESS int

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
	def(&o.MinESS, 400)
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
	Thin     int      // sweeps per kept draw in the end (see MaxThin)
	Sweeps   int      // sweeps per chain, burn-in included
}

// Mixed reports whether the diagnostics meet the targets: R-hat at most
// 1.1 and at least minESS effective draws.
func (r LCMCRResult) Mixed(minESS int) bool {
	return r.RHat <= 1.1 && r.ESS >= float64(minESS)
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
	res := LCMCRResult{Observed: t.Observed(), Draws: make([][]float64, opt.Chains), Thin: opt.Thin}
	chains := make([]*lcmcrChain, opt.Chains)
	for c := range chains {
		chains[c] = newLCMCRChain(t, opt, uint64(c))
	}
	// The first round burns in and fills the samples; each later round
	// halves what each chain kept and refills it at twice the spacing.
	sweeps, thin := opt.Burnin+opt.Samples*opt.Thin, opt.Thin
	for {
		errs := make([]error, opt.Chains)
		var wg sync.WaitGroup
		for c, ch := range chains {
			wg.Go(func() {
				res.Draws[c], errs[c] = ch.run(ctx, res.Draws[c], sweeps, thin, opt.Samples)
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return LCMCRResult{}, err
			}
		}
		res.Sweeps += sweeps
		res.Thin = thin
		res.ESS = effectiveSampleSize(res.Draws)
		res.RHat = splitRHat(res.Draws)
		if res.Mixed(opt.MinESS) || 2*thin > opt.MaxThin {
			break
		}
		thin *= 2
		for c, d := range res.Draws {
			res.Draws[c] = everySecond(d)
		}
		sweeps = (opt.Samples - len(res.Draws[0])) * thin
	}
	var pooled []float64
	for _, d := range res.Draws {
		pooled = append(pooled, d...)
	}
	q := quantiles(pooled, 0.025, 0.5, 0.975)
	res.CI95, res.Median = Interval{Lo: q[0], Hi: q[2]}, q[1]
	return res, nil
}

// everySecond keeps draws 2, 4, 6, … (counting from 1) in place: the draws
// a chain thinned twice as much would have kept, since draw i was taken
// i·thin sweeps after burn-in. (With an odd number of samples the next
// draw then comes one old spacing late: the spacing only has to be fixed
// in advance, not equal, for the draws to come from the chain.)
func everySecond(d []float64) []float64 {
	n := 0
	for i := 1; i < len(d); i += 2 {
		d[n] = d[i]
		n++
	}
	return d[:n]
}

// lcmcrChain is one Gibbs chain. People are handled as counts per capture
// history rather than one by one: everyone with the same history has the
// same full conditional over classes, so a sweep draws one multinomial per
// observed cell, and one for the unobserved, instead of one categorical per
// person. Row c of the K-wide matrices below is observed cell c; the last
// row, c = len(cells), is the unobserved cell (history 0).
type lcmcrChain struct {
	r      *rng
	j, k   int
	cells  []uint32 // observed histories with positive counts, then 0
	counts []int    // people per cell; the last is n0
	n      int      // people observed

	lambda []float64 // lambda[l*K+k]: capture probability of list l in class k
	pi     []float64 // class weights from the sticks
	alpha  float64   // Dirichlet process concentration

	w      []float64 // w[row[c]+k] ∝ P(class k | history of cell c)
	row    []int     // where cell c's K weights start in w
	order  []int     // order[c*K:]: cell c's classes, roughly by decreasing w
	z      []int     // z[c*K+k]: people of cell c in class k
	size   []int     // people per class
	hits   []int     // hits[l*K+k]: people in class k on list l
	suffix []float64 // scratch for multinomial
	gammas gammaTable

	// allHistories: w holds a row for every history, not only the cells.
	allHistories bool

	aShape, aRate float64
	parity        int // 0 on the sweeps that reorder the classes
}

// lanesMax is the number of people at or below which a multinomial is split
// bit-parallel (a random word per binary digit for each 64 people) rather
// than by binomial draws, and categoricalMax the number at or below which
// the last people are placed one by one instead. Measured on 64 fixed
// posterior states of each table (simulated / Kosovo, µs a sweep): lanes
// up to 128 rather than 64 4.10 → 3.92 / 4.93 → 4.75, up to 192 no better;
// one by one from 4 people 4.22 / 5.10, from 0, 2, 8 or 16 people
// 4.74 / 5.47, 4.62 / 5.44, 4.43 / 5.07 and 4.51 / 5.19.
const (
	lanesMax       = 128
	categoricalMax = 4
)

func newLCMCRChain(t Table, opt LCMCROptions, stream uint64) *lcmcrChain {
	ch := &lcmcrChain{
		r: newRNG(opt.Seed, stream),
		j: t.K(), k: opt.K, n: t.Observed(),
		aShape: opt.AlphaShape, aRate: opt.AlphaRate,
	}
	for h := uint32(1); h < 1<<ch.j; h++ {
		if c := t.Counts[h]; c > 0 {
			ch.cells = append(ch.cells, h)
			ch.counts = append(ch.counts, c)
		}
	}
	ch.cells = append(ch.cells, 0)
	ch.counts = append(ch.counts, 0)
	K, J, C := ch.k, ch.j, len(ch.cells)
	ch.lambda = make([]float64, K*J)
	ch.pi = make([]float64, K)
	ch.z = make([]int, C*K)
	ch.order = make([]int, C*K)
	for i := range ch.order {
		ch.order[i] = i % K
	}
	ch.size = make([]int, K)
	ch.hits = make([]int, K*J)
	ch.suffix = make([]float64, K)
	ch.gammas = newGammaTable(min(2*ch.n+2, 1<<16))
	// Filling the weights of all 2^J histories costs 2^J per class,
	// against J per cell and class for the observed cells alone; w is then
	// indexed by history.
	ch.row = make([]int, C)
	ch.allHistories = 1<<J <= 2*J*C
	if ch.allHistories {
		ch.w = make([]float64, (1<<J)*K)
		for c, h := range ch.cells {
			ch.row[c] = int(h) * K
		}
	} else {
		ch.w = make([]float64, C*K)
		for c := range ch.cells {
			ch.row[c] = c * K
		}
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

// run makes sweeps more sweeps and appends a draw of N after each thin-th
// of the last ones, until draws holds samples: the sweeps before are
// burn-in (or, after the first call, the way to the next draw).
func (ch *lcmcrChain) run(ctx context.Context, draws []float64, sweeps, thin, samples int) ([]float64, error) {
	if draws == nil {
		draws = make([]float64, 0, samples)
	}
	burn := sweeps - (samples-len(draws))*thin
	for it := 1; it <= sweeps; it++ {
		if it%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ch.step()
		if it > burn && (it-burn)%thin == 0 {
			draws = append(draws, float64(ch.n+ch.n0()))
		}
	}
	return draws, nil
}

// n0 is the current number of people on no list.
func (ch *lcmcrChain) n0() int { return ch.counts[len(ch.counts)-1] }

// step is one Gibbs sweep through the full conditionals of Manrique-Vallier
// (2016, §3): class memberships of observed and augmented people, capture
// probabilities, sticks, alpha, and the number unobserved.
func (ch *lcmcrChain) step() {
	K, J := ch.k, ch.j
	ch.classWeights()
	clear(ch.size)
	clear(ch.hits)
	for c, h := range ch.cells {
		wc, oc, zc := ch.w[ch.row[c]:ch.row[c]+K], ch.order[c*K:(c+1)*K], ch.z[c*K:(c+1)*K]
		// The order only decides how soon the multinomial runs out of
		// people, not what it draws: a pass every other sweep keeps it
		// nearly as good for half the cost.
		if ch.parity == 0 {
			sortByWeight(oc, wc)
		}
		ch.multinomial(ch.counts[c], wc, oc, zc)
		// Whole rows, without testing for empty classes: the test costs
		// more in mispredicted jumps than the additions it saves.
		addTo(ch.size, zc)
		for b := h; b != 0; b &= b - 1 {
			l := bits.TrailingZeros32(b)
			addTo(ch.hits[l*K:(l+1)*K], zc)
		}
	}
	// lambda_kl | z ~ Beta(1 + on list, 1 + off list).
	for k := range K {
		for l := range J {
			on := ch.hits[l*K+k]
			ch.lambda[l*K+k] = ch.gammas.beta(ch.r, 1+on, 1+ch.size[k]-on)
		}
	}
	ch.sampleSticks()
	ch.sampleN0()
	ch.parity ^= 1
}

// addTo adds x to dst element-wise.
func addTo(dst, x []int) {
	for i, v := range x[:len(dst)] {
		dst[i] += v
	}
}

// classWeights sets w[row[c]+k] = pi_k prod_l lambda_kl^x_l (1-lambda_kl)^(1-x_l)
// for each cell's history x, proportional to P(class k | x). With few lists
// it fills the rows of all histories at once, doubling the table list by
// list over all classes together (2^J multiplications per class, in
// independent streams the processor overlaps).
func (ch *lcmcrChain) classWeights() {
	K, J := ch.k, ch.j
	if ch.allHistories {
		w := ch.w
		copy(w[:K], ch.pi)
		for l := range J {
			lam := ch.lambda[l*K : (l+1)*K]
			half := 1 << l
			for h := range half {
				lo, hi := w[h*K:(h+1)*K], w[(h|half)*K:((h|half)+1)*K]
				for k, x := range lam {
					v := lo[k]
					hi[k] = v * x
					lo[k] = v * (1 - x)
				}
			}
		}
		return
	}
	for c, h := range ch.cells {
		wc := ch.w[c*K : (c+1)*K]
		copy(wc, ch.pi)
		for l := range J {
			lam := ch.lambda[l*K : (l+1)*K]
			if h>>l&1 == 1 {
				for k, x := range lam {
					wc[k] *= x
				}
			} else {
				for k, x := range lam {
					wc[k] *= 1 - x
				}
			}
		}
	}
}

// sortByWeight moves the classes o towards decreasing w by one pass of
// adjacent swaps. The order only decides how soon a multinomial runs out of
// people, not what it draws, and it changes little between sweeps: a full
// sort costs more in mispredicted jumps (small classes trade places at
// random) than it saves.
func sortByWeight(o []int, w []float64) {
	a := o[0]
	for i := 1; i < len(o); i++ {
		// A swap without a jump: d is b - a when w[a] < w[b], else 0.
		b := o[i]
		d := b2i(w[a] < w[b]) * (b - a)
		o[i-1] = a + d
		a = b - d
	}
	o[len(o)-1] = a
}

// missProb is the probability that a member of class k is on no list.
func (ch *lcmcrChain) missProb(k int) float64 {
	p := 1.0
	for l := range ch.j {
		p *= 1 - ch.lambda[l*ch.k+k]
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
	// sum_k log(1 - V_k) is the log of what the sticks leave, taken once;
	// the product is folded into sumLog before it could underflow.
	remaining, left, sumLog := 1.0, 1.0, 0.0
	for k := 0; k < ch.k-1; k++ {
		rest -= ch.size[k]
		v := ch.stick(ch.size[k], ch.alpha+float64(rest))
		v = math.Min(v, 1-1e-12) // keeps log(1-V) and later sticks finite
		ch.pi[k] = remaining * v
		remaining *= 1 - v
		if left *= 1 - v; left < 1e-200 {
			sumLog += math.Log(left)
			left = 1
		}
	}
	sumLog += math.Log(left)
	ch.pi[ch.k-1] = remaining
	if ch.k > 1 {
		ch.alpha = math.Max(gammaRand(ch.r, ch.aShape+float64(ch.k-1))/(ch.aRate-sumLog), 1e-10)
	}
}

// stick draws from Beta(1 + n, b) as betaRand, with the gamma of integer
// shape 1 + n from the table.
func (ch *lcmcrChain) stick(n int, b float64) float64 {
	if n == 0 {
		return betaRand(ch.r, 1, b)
	}
	x := ch.gammas.gamma(ch.r, 1+n)
	return x / (x + gammaRand(ch.r, b))
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
	ch.counts[len(ch.counts)-1] = negBinomialRand(ch.r, ch.n, 1-p0)
}

// multinomial splits n people among the classes with weights w into out.
// Classes are taken in the order o, likeliest first: class o[i] receives
// Binomial(n left, w / weight of classes o[i:]). While more than lanesMax
// people are left, each such binomial is one draw (BTRD or inversion); then
// each left person, one lane of a 64-bit word, is in class o[i] or not by
// an exact Bernoulli draw, 64 lanes at once (bernoulliLanes); the last few
// are placed one by one. People of a cell are exchangeable, so only how
// many lanes are left matters, not which.
func (ch *lcmcrChain) multinomial(n int, w []float64, o []int, out []int) {
	clear(out)
	last := len(o) - 1
	suf := ch.suffix // suf[i]: weight of classes o[i:]
	s := 0.0
	for i := last; i >= 0; i-- {
		s += w[o[i]]
		suf[i] = s
	}
	i := 0
	for ; n > 0 && i < last && suf[i] > 0; i++ {
		if n <= categoricalMax {
			ch.categorical(n, suf, o, i, out)
			return
		}
		p := w[o[i]] / suf[i]
		if p >= 1 {
			break
		}
		var x int
		if n <= lanesMax && p > 0x1p-1022 { // normal, as the lanes need
			x = ch.r.bernoulliLanes(n, p)
		} else {
			x = binomialRand(ch.r, n, p)
		}
		out[o[i]] = x
		n -= x
	}
	out[o[i]] += n
}

// categorical places n people one by one among classes o[from:]: a uniform
// on [0, suf[from]) falls in class o[j]'s interval [suf[j+1], suf[j]), so j
// is from plus the number of later suffixes above it. Counting them without
// branches costs a comparison per class but no mispredicted jump, which on
// a random class costs more than the whole count.
func (ch *lcmcrChain) categorical(n int, suf []float64, o []int, from int, out []int) {
	rest := suf[from+1:]
	for range n {
		v := ch.r.Float64() * suf[from]
		j := from
		for _, s := range rest {
			j += b2i(v < s)
		}
		out[o[j]]++
	}
}

// b2i is 1 for true and 0 for false; the compiler makes it a SETcc.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
