package estimate

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ar1Chains returns m chains of n draws of x_t = phi x_{t-1} + e_t, plus
// shift*chain index, whose effective sample size per chain is about
// n (1-phi)/(1+phi).
func ar1Chains(m, n int, phi, shift float64) [][]float64 {
	r := rand.New(rand.NewPCG(5, 6))
	out := make([][]float64, m)
	for c := range out {
		x := r.NormFloat64() / math.Sqrt(1-phi*phi)
		for range n {
			x = phi*x + r.NormFloat64()
			out[c] = append(out[c], x+shift*float64(c))
		}
	}
	return out
}

func TestDiagnostics(t *testing.T) {
	const m, n = 4, 20000
	tests := []struct {
		name           string
		phi, shift     float64
		essLo, essHi   float64
		rhatLo, rhatHi float64
	}{
		{"independent", 0, 0, 0.9 * m * n, 1.1 * m * n, 0.99, 1.01},
		{"AR(1) 0.9", 0.9, 0, 0.8 * m * n / 19, 1.2 * m * n / 19, 0.99, 1.02},
		{"chains disagree", 0, 1, 0, m * n, 1.1, math.Inf(1)},
	}
	for _, tc := range tests {
		chains := ar1Chains(m, n, tc.phi, tc.shift)
		ess, rhat := effectiveSampleSize(chains), splitRHat(chains)
		if ess < tc.essLo || ess > tc.essHi || rhat < tc.rhatLo || rhat > tc.rhatHi {
			t.Errorf("%s: ESS %.0f (want %.0f–%.0f), R-hat %.3f (want %.2f–%.2f)", tc.name, ess, tc.essLo, tc.essHi, rhat, tc.rhatLo, tc.rhatHi)
		}
	}
}

func TestQuantiles(t *testing.T) {
	got := quantiles([]float64{4, 1, 3, 2, 5}, 0, 0.25, 0.5, 0.9, 1)
	want := []float64{1, 2, 3, 4.6, 5}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("quantiles %v, want %v", got, want)
		}
	}
}
