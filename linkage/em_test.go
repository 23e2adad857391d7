package linkage

import (
	"math"
	"testing"
)

// TestEMRecoversKnownModel feeds EM the exact expected pattern counts of a
// known three-field model, n(γ) = N·(λ·Πm + (1-λ)·Πu), and checks that it
// recovers λ, m and u (the model is identifiable with three fields).
func TestEMRecoversKnownModel(t *testing.T) {
	tests := []struct {
		name   string
		lambda float64
		m, u   [][]float64
	}{
		{"binary", 0.1,
			[][]float64{{0.1, 0.9}, {0.2, 0.8}, {0.05, 0.95}},
			[][]float64{{0.9, 0.1}, {0.7, 0.3}, {0.99, 0.01}}},
		{"graded", 0.3,
			[][]float64{{0.05, 0.15, 0.8}, {0.2, 0.8}, {0.1, 0.9}},
			[][]float64{{0.8, 0.15, 0.05}, {0.9, 0.1}, {0.6, 0.4}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			levels := []int{len(tc.m[0]), len(tc.m[1]), len(tc.m[2])}
			var pats []pattern
			for a := 0; a < levels[0]; a++ {
				for b := 0; b < levels[1]; b++ {
					for c := 0; c < levels[2]; c++ {
						pm := tc.lambda * tc.m[0][a] * tc.m[1][b] * tc.m[2][c]
						pu := (1 - tc.lambda) * tc.u[0][a] * tc.u[1][b] * tc.u[2][c]
						pats = append(pats, pattern{g: []int{a, b, c}, n: 1e6 * (pm + pu)})
					}
				}
			}
			init := &Model{Lambda: 0.5, M: zeros(levels), U: zeros(levels)}
			for f, n := range levels {
				for l := 0; l < n; l++ {
					init.M[f][l] = float64(l+1) / float64(n*(n+1)/2)
					init.U[f][l] = float64(n-l) / float64(n*(n+1)/2)
				}
			}
			got := emFellegiSunter(pats, levels, init, false, 5000, 1e-12)
			near := func(what string, x, want float64) {
				if math.Abs(x-want) > 2e-3 {
					t.Errorf("%s = %.4f, want %.4f", what, x, want)
				}
			}
			near("lambda", got.Lambda, tc.lambda)
			for f := range levels {
				for l := 0; l < levels[f]; l++ {
					near("m", got.M[f][l], tc.m[f][l])
					near("u", got.U[f][l], tc.u[f][l])
				}
			}
			t.Logf("%d iterations, converged %v", got.Iterations, got.Converged)
		})
	}
}

func TestMissingIsIgnoredByEM(t *testing.T) {
	pats := []pattern{
		{g: []int{1, 1, missing}, n: 100},
		{g: []int{0, 0, 0}, n: 900},
		{g: []int{1, 1, 1}, n: 50},
	}
	init := &Model{Lambda: 0.5, M: [][]float64{{0.2, 0.8}, {0.2, 0.8}, {0.2, 0.8}}, U: [][]float64{{0.8, 0.2}, {0.8, 0.2}, {0.8, 0.2}}}
	got := emFellegiSunter(pats, []int{2, 2, 2}, init, false, 1000, 1e-10)
	// Field 2 is seen for the 50 matches only: m(agree) stays ~1.
	if got.M[2][1] < 0.99 {
		t.Errorf("m of field with missing values = %v, want agreement ~1", got.M[2])
	}
	if math.Abs(got.Lambda-150.0/1050) > 1e-3 {
		t.Errorf("lambda = %.4f, want %.4f", got.Lambda, 150.0/1050)
	}
}
