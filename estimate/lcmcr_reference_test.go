package estimate

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// referenceLCMCR is the textbook Gibbs sampler of Manrique-Vallier (2016,
// §3), written for clarity rather than speed and sharing no code with the
// fast sampler: every person, observed or augmented, draws a class by
// inversion of its categorical distribution; the variates come from
// math/rand/v2 (PCG, its own normal and exponential) and the simplest exact
// methods. It returns one chain's kept draws of N.
func referenceLCMCR(tab Table, opt LCMCROptions, chain uint64) []float64 {
	opt = opt.withDefaults()
	r := rand.New(rand.NewPCG(opt.Seed+1000, chain))
	J, K := tab.K(), opt.K
	var people []uint32 // observed histories, one per person, in a fixed order
	for _, h := range slices.Sorted(mapKeys(tab.Counts)) {
		for range tab.Counts[h] {
			people = append(people, h)
		}
	}
	n := len(people)
	lambda, pi, v := make([]float64, K*J), make([]float64, K), make([]float64, K)
	size, hits, w := make([]int, K), make([]int, K*J), make([]float64, K)
	for i := range lambda {
		lambda[i] = r.Float64()
	}
	alpha := 1.0
	sticks := func() {
		rest := 0
		for _, s := range size {
			rest += s
		}
		left, sumLog := 1.0, 0.0
		for k := range K - 1 {
			rest -= size[k]
			v[k] = min(refBeta(r, 1+float64(size[k]), alpha+float64(rest)), 1-1e-12)
			pi[k] = left * v[k]
			left *= 1 - v[k]
			sumLog += math.Log(1 - v[k])
		}
		pi[K-1] = left
		if K > 1 {
			alpha = max(refGamma(r, opt.AlphaShape+float64(K-1))/(opt.AlphaRate-sumLog), 1e-10)
		}
	}
	missing := func() int {
		p0 := 0.0
		for k := range K {
			m := pi[k]
			for l := range J {
				m *= 1 - lambda[k*J+l]
			}
			p0 += m
		}
		p0 = min(p0, 1-1e-10)
		// NegBin(n, 1-p0) = Poisson(Gamma(n) p0/(1-p0)); the Poisson
		// counts unit-rate arrivals before its mean.
		mean := refGamma(r, float64(n)) * p0 / (1 - p0)
		k := 0
		for t := r.ExpFloat64(); t < mean; t += r.ExpFloat64() {
			k++
		}
		return k
	}
	sticks()
	n0 := missing()
	var draws []float64
	total := opt.Burnin + opt.Samples*opt.Thin
	for it := 1; it <= total; it++ {
		clear(size)
		clear(hits)
		for i := range n + n0 {
			h := uint32(0)
			if i < n {
				h = people[i]
			}
			s := 0.0
			for k := range K {
				p := pi[k]
				for l := range J {
					if h>>l&1 == 1 {
						p *= lambda[k*J+l]
					} else {
						p *= 1 - lambda[k*J+l]
					}
				}
				w[k] = p
				s += p
			}
			u, k := r.Float64()*s, 0
			for ; k < K-1 && u >= w[k]; k++ {
				u -= w[k]
			}
			size[k]++
			for l := range J {
				if h>>l&1 == 1 {
					hits[k*J+l]++
				}
			}
		}
		for i := range lambda {
			lambda[i] = refBeta(r, 1+float64(hits[i]), 1+float64(size[i/J]-hits[i]))
		}
		sticks()
		n0 = missing()
		if it > opt.Burnin && (it-opt.Burnin)%opt.Thin == 0 {
			draws = append(draws, float64(n+n0))
		}
	}
	return draws
}

func mapKeys(m map[uint32]int) func(func(uint32) bool) {
	return func(yield func(uint32) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// refGamma is Marsaglia & Tsang's (2000) method on math/rand/v2's normal.
func refGamma(r *rand.Rand, a float64) float64 {
	if a < 1 {
		return refGamma(r, a+1) * math.Pow(r.Float64(), 1/a)
	}
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		if math.Log(r.Float64()) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

func refBeta(r *rand.Rand, a, b float64) float64 {
	x := refGamma(r, a)
	return x / (x + refGamma(r, b))
}

// posteriorSummary is the median and 95% interval of pooled chains, with
// Monte Carlo standard errors: the larger of the normal approximation from
// the effective sample size, sqrt(p(1-p)/ESS)/φ(z_p) posterior sds, and the
// spread of the chains' own quantiles over sqrt(chains). The first alone
// is too small for the tail of a skewed posterior, where one chain's rare
// excursion moves the 97.5% quantile.
type posteriorSummary struct {
	q, se [3]float64 // 2.5%, 50%, 97.5%
	ess   float64
}

func summarise(chains [][]float64) posteriorSummary {
	var pooled []float64
	for _, c := range chains {
		pooled = append(pooled, c...)
	}
	_, variance := meanVar(pooled)
	s := posteriorSummary{ess: effectiveSampleSize(chains)}
	copy(s.q[:], quantiles(pooled, 0.025, 0.5, 0.975))
	sd := math.Sqrt(variance)
	for i, p := range []float64{0.025, 0.5, 0.975} {
		z := math.Sqrt2 * math.Erfinv(2*p-1)
		density := math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
		s.se[i] = math.Sqrt(p*(1-p)/s.ess) / density * sd
		if m := len(chains); m > 1 {
			per := make([]float64, m)
			for c, draws := range chains {
				per[c] = quantiles(draws, p)[0]
			}
			_, v := meanVar(per)
			s.se[i] = math.Max(s.se[i], math.Sqrt(v/float64(m)))
		}
	}
	return s
}

// TestLCMCRSamePosterior checks that the fast sampler (counts per cell,
// multinomials by binomials, xoshiro) has the posterior of the textbook
// person-by-person sampler: the median and both ends of the 95% interval
// agree within 4 Monte Carlo standard errors. PEYVAND_ESTIMATE_LONG=1 adds
// larger tables and longer runs.
func TestLCMCRSamePosterior(t *testing.T) {
	type tc struct {
		name string
		tab  Table
		opt  LCMCROptions
	}
	small := simulateTable(t, 11, 500, 4, latentClasses([]float64{0.6, 0.4},
		[][]float64{{0.25, 0.3, 0.2, 0.35}, {0.7, 0.6, 0.75, 0.5}}))
	tests := []tc{{"two classes, N=500", small, LCMCROptions{Burnin: 1000, Samples: 2000, Thin: 2, Chains: 2, Seed: 5}}}
	if longTests() {
		long := LCMCROptions{Burnin: 5000, Samples: 5000, Thin: 5, Chains: 4, Seed: 5}
		tests = append(tests,
			tc{"two classes, N=2000", heterogeneousTable(t, 1), long},
			tc{"Korea", readPublished(t, "korea.csv"), long},
			tc{"spina bifida", readPublished(t, "spina_bifida.csv"), long})
	}
	for _, c := range tests {
		res, err := LCMCR(context.Background(), c.tab, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		ref := make([][]float64, c.opt.Chains)
		for i := range ref {
			ref[i] = referenceLCMCR(c.tab, c.opt, uint64(i))
		}
		fast, slow := summarise(res.Draws), summarise(ref)
		t.Logf("%s: fast %.0f [%.0f, %.0f] (ESS %.0f); reference %.0f [%.0f, %.0f] (ESS %.0f)", c.name,
			fast.q[1], fast.q[0], fast.q[2], fast.ess, slow.q[1], slow.q[0], slow.q[2], slow.ess)
		for i, what := range []string{"2.5% quantile", "median", "97.5% quantile"} {
			if d, tol := math.Abs(fast.q[i]-slow.q[i]), 4*math.Hypot(fast.se[i], slow.se[i]); d > tol {
				t.Errorf("%s: %s differs by %.1f, more than 4 Monte Carlo SEs (%.1f)", c.name, what, d, tol)
			}
		}
	}
}
