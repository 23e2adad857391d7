package estimate

import (
	"math"
	"testing"
)

// chiSquare compares counts of draws with the pmf, pooling cells whose
// expected count is below 5, and returns the statistic and its degrees of
// freedom.
func chiSquare(draws map[int]int, total int, pmf func(int) float64, lo, hi int) (float64, int) {
	stat, df := 0.0, -1
	var obs, exp float64
	for k := lo; k <= hi; k++ {
		obs += float64(draws[k])
		exp += float64(total) * pmf(k)
		if exp >= 5 || k == hi {
			stat += (obs - exp) * (obs - exp) / exp
			df++
			obs, exp = 0, 0
		}
	}
	return stat, df
}

func logChoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// TestDiscreteSamplers checks each branch of the binomial and Poisson
// samplers against the exact pmf by a chi-square test with a 5-sigma
// threshold (fixed seed, so deterministic).
func TestDiscreteSamplers(t *testing.T) {
	type tc struct {
		name   string
		draw   func(*rng) int
		pmf    func(int) float64
		lo, hi int
	}
	binom := func(n int, p float64) tc {
		return tc{
			name: "binomial", draw: func(r *rng) int { return binomialRand(r, n, p) },
			pmf: func(k int) float64 {
				return math.Exp(logChoose(n, k) + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
			},
			lo: 0, hi: n,
		}
	}
	pois := func(l float64, hi int) tc {
		return tc{
			name: "poisson", draw: func(r *rng) int { return poissonRand(r, l) },
			pmf: func(k int) float64 {
				lg, _ := math.Lgamma(float64(k + 1))
				return math.Exp(float64(k)*math.Log(l) - l - lg)
			},
			lo: 0, hi: hi,
		}
	}
	// bernoulliLanes counts successes among n ≤ 128 lanes: binomial too.
	lanes := func(n int, p float64) tc {
		c := binom(n, p)
		c.name, c.draw = "bernoulliLanes", func(r *rng) int { return r.bernoulliLanes(n, p) }
		return c
	}
	tests := []tc{lanes(64, 0.37), lanes(9, 0.8125), lanes(1, 0.5), lanes(33, 0.999), lanes(50, 0.01), lanes(64, 3e-5), lanes(20, 1.0/3), lanes(128, 0.4), lanes(100, 0.93), lanes(65, 2e-4),
		binom(20, 0.3), binom(15, 0.9), binom(1000, 0.3), binom(1000, 0.8), binom(100000, 0.02), binom(60, 0.5),
		pois(3.5, 40), pois(50, 200), pois(2000, 3000)}
	r := newRNG(1, 2)
	const draws = 200000
	for _, c := range tests {
		got := map[int]int{}
		for range draws {
			k := c.draw(r)
			if k < c.lo || k > c.hi {
				t.Fatalf("%s: draw %d outside [%d, %d]", c.name, k, c.lo, c.hi)
			}
			got[k]++
		}
		stat, df := chiSquare(got, draws, c.pmf, c.lo, c.hi)
		if limit := float64(df) + 5*math.Sqrt(2*float64(df)); stat > limit {
			t.Errorf("%s: chi-square %.1f on %d df exceeds %.1f", c.name, stat, df, limit)
		}
	}
}

// TestContinuousSamplers checks sample means and variances against the
// gamma, beta and negative-binomial moments, within 5 standard errors.
func TestContinuousSamplers(t *testing.T) {
	betaTable := newGammaTable(100)
	tests := []struct {
		name     string
		draw     func(*rng) float64
		mean, vr float64
	}{
		{"gamma(0.25)", func(r *rng) float64 { return gammaRand(r, 0.25) }, 0.25, 0.25},
		{"gamma(3)", func(r *rng) float64 { return gammaRand(r, 3) }, 3, 3},
		{"gamma(400)", func(r *rng) float64 { return gammaRand(r, 400) }, 400, 400},
		{"beta(1,7)", func(r *rng) float64 { return betaRand(r, 1, 7) }, 1.0 / 8, 7.0 / (64 * 9)},
		{"beta(30,12)", func(r *rng) float64 { return betaRand(r, 30, 12) }, 30.0 / 42, 360.0 / (42 * 42 * 43)},
		{"table beta(1,7)", func(r *rng) float64 { return betaTable.beta(r, 1, 7) }, 1.0 / 8, 7.0 / (64 * 9)},
		{"table beta(5,1)", func(r *rng) float64 { return betaTable.beta(r, 5, 1) }, 5.0 / 6, 5.0 / (36 * 7)},
		{"table beta(1,40)", func(r *rng) float64 { return betaTable.beta(r, 1, 40) }, 1.0 / 41, 40.0 / (41 * 41 * 42)},
		{"table beta(30,12)", func(r *rng) float64 { return betaTable.beta(r, 30, 12) }, 30.0 / 42, 360.0 / (42 * 42 * 43)},
		{"negbin(800,0.8)", func(r *rng) float64 { return float64(negBinomialRand(r, 800, 0.8)) }, 200, 250},
	}
	r := newRNG(3, 4)
	const n = 200000
	for _, tc := range tests {
		var s, s2 float64
		for range n {
			x := tc.draw(r)
			s += x
			s2 += x * x
		}
		mean := s / n
		vr := s2/n - mean*mean
		if se := math.Sqrt(tc.vr / n); math.Abs(mean-tc.mean) > 5*se {
			t.Errorf("%s: mean %.5g, want %.5g ± %.2g", tc.name, mean, tc.mean, 5*se)
		}
		if math.Abs(vr/tc.vr-1) > 0.03 {
			t.Errorf("%s: variance %.5g, want %.5g", tc.name, vr, tc.vr)
		}
	}
}

// TestXoshiro checks rng against the first outputs of the reference
// xoshiro256++ from state {1, 2, 3, 4}.
func TestXoshiro(t *testing.T) {
	g := &rng{s0: 1, s1: 2, s2: 3, s3: 4}
	for i, want := range []uint64{41943041, 58720359, 3588806011781223} {
		if got := g.Uint64(); got != want {
			t.Fatalf("draw %d: %d, want %d", i, got, want)
		}
	}
}

// TestNormal checks the ziggurat normal: moments to the fourth, and the
// share of draws in 40 bins of equal probability plus both tails beyond the
// ziggurat's base layer (3.4426), by a chi-square test with a 5-sigma
// threshold.
func TestNormal(t *testing.T) {
	r := newRNG(7, 8)
	const n = 300000
	edges := []float64{math.Inf(-1), -zigR}
	for i := 1; i < 40; i++ {
		edges = append(edges, math.Sqrt2*math.Erfinv(2*float64(i)/40-1))
	}
	edges = append(edges, zigR, math.Inf(1))
	cdf := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	counts := make([]int, len(edges)-1)
	var m1, m2, m4 float64
	for range n {
		x := r.NormFloat64()
		m1 += x
		m2 += x * x
		m4 += x * x * x * x
		i := 0
		for x >= edges[i+1] {
			i++
		}
		counts[i]++
	}
	m1, m2, m4 = m1/n, m2/n, m4/n
	if math.Abs(m1) > 5/math.Sqrt(n) || math.Abs(m2-1) > 5*math.Sqrt(2.0/n) || math.Abs(m4-3) > 5*math.Sqrt(96.0/n) {
		t.Errorf("moments %.4f, %.4f, %.4f; want 0, 1, 3", m1, m2, m4)
	}
	stat := 0.0
	for i, c := range counts {
		e := n * (cdf(edges[i+1]) - cdf(edges[i]))
		stat += (float64(c) - e) * (float64(c) - e) / e
	}
	df := float64(len(counts) - 1)
	if stat > df+5*math.Sqrt(2*df) {
		t.Errorf("chi-square %.1f on %.0f df; tails %d and %d (expected %.0f each)", stat, df, counts[0], counts[len(counts)-1], n*cdf(-zigR))
	}
}

// TestGammaDistribution checks gammaTable.gamma for integer shapes against
// the closed-form CDF, 1 - e^-x sum_{k<a} x^k/k!, by a chi-square test over
// 40 bins from 0.5% to 99.5% of the mass plus both tails, with a 5-sigma
// threshold: a check of the whole distribution, squeezes included.
func TestGammaDistribution(t *testing.T) {
	tab := newGammaTable(100)
	r := newRNG(11, 12)
	const n = 400000
	for _, a := range []int{2, 5, 50} {
		cdf := func(x float64) float64 {
			s, term := 0.0, 1.0
			for k := range a {
				if k > 0 {
					term *= x / float64(k)
				}
				s += term
			}
			return 1 - math.Exp(-x)*s
		}
		mean, sd := float64(a), math.Sqrt(float64(a))
		edges := []float64{0}
		for i := range 41 {
			edges = append(edges, max(1e-9, mean+sd*(-3+6*float64(i)/40)))
		}
		edges = append(edges, math.Inf(1))
		counts := make([]int, len(edges)-1)
		for range n {
			x := tab.gamma(r, a)
			i := 0
			for x >= edges[i+1] {
				i++
			}
			counts[i]++
		}
		stat, df := 0.0, -1.0
		for i, c := range counts {
			e := n * (cdf(edges[i+1]) - cdf(edges[i]))
			if edges[i+1] == math.Inf(1) {
				e = n * (1 - cdf(edges[i]))
			}
			if e < 5 {
				continue
			}
			stat += (float64(c) - e) * (float64(c) - e) / e
			df++
		}
		if stat > df+5*math.Sqrt(2*df) {
			t.Errorf("gamma(%d): chi-square %.1f on %.0f df", a, stat, df)
		}
		t.Logf("gamma(%d): chi-square %.1f on %.0f df", a, stat, df)
	}
}
