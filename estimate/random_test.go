package estimate

import (
	"math"
	"math/rand/v2"
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
		draw   func(*rand.Rand) int
		pmf    func(int) float64
		lo, hi int
	}
	binom := func(n int, p float64) tc {
		return tc{
			name: "binomial", draw: func(r *rand.Rand) int { return binomialRand(r, n, p) },
			pmf: func(k int) float64 {
				return math.Exp(logChoose(n, k) + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
			},
			lo: 0, hi: n,
		}
	}
	pois := func(l float64, hi int) tc {
		return tc{
			name: "poisson", draw: func(r *rand.Rand) int { return poissonRand(r, l) },
			pmf: func(k int) float64 {
				lg, _ := math.Lgamma(float64(k + 1))
				return math.Exp(float64(k)*math.Log(l) - l - lg)
			},
			lo: 0, hi: hi,
		}
	}
	tests := []tc{binom(20, 0.3), binom(15, 0.9), binom(1000, 0.3), binom(1000, 0.8), binom(100000, 0.02), binom(60, 0.5),
		pois(3.5, 40), pois(50, 200), pois(2000, 3000)}
	r := rand.New(rand.NewPCG(1, 2))
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
	tests := []struct {
		name     string
		draw     func(*rand.Rand) float64
		mean, vr float64
	}{
		{"gamma(0.25)", func(r *rand.Rand) float64 { return gammaRand(r, 0.25) }, 0.25, 0.25},
		{"gamma(3)", func(r *rand.Rand) float64 { return gammaRand(r, 3) }, 3, 3},
		{"gamma(400)", func(r *rand.Rand) float64 { return gammaRand(r, 400) }, 400, 400},
		{"beta(1,7)", func(r *rand.Rand) float64 { return betaRand(r, 1, 7) }, 1.0 / 8, 7.0 / (64 * 9)},
		{"beta(30,12)", func(r *rand.Rand) float64 { return betaRand(r, 30, 12) }, 30.0 / 42, 360.0 / (42 * 42 * 43)},
		{"negbin(800,0.8)", func(r *rand.Rand) float64 { return float64(negBinomialRand(r, 800, 0.8)) }, 200, 250},
	}
	r := rand.New(rand.NewPCG(3, 4))
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
