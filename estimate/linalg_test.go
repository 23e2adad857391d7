package estimate

import (
	"math"
	"testing"
)

func TestSolveSPD(t *testing.T) {
	tests := []struct {
		name     string
		a, b     []float64
		want     []float64
		singular bool
	}{
		// A = [[4,2,0],[2,5,1],[0,1,9]], x = (1,-1,2): pivoting reorders rows.
		{"3x3", []float64{4, 2, 0, 2, 5, 1, 0, 1, 9}, []float64{2, -1, 17}, []float64{1, -1, 2}, false},
		{"diagonal", []float64{1e-3, 0, 0, 1e3}, []float64{1, 1}, []float64{1e3, 1e-3}, false},
		{"rank one", []float64{1, 2, 2, 4}, []float64{1, 2}, nil, true},
	}
	for _, tc := range tests {
		p := len(tc.b)
		x, err := solveSPD(append([]float64(nil), tc.a...), tc.b, p)
		if tc.singular {
			if err == nil {
				t.Errorf("%s: no singularity reported", tc.name)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for i := range x {
			if math.Abs(x[i]-tc.want[i]) > 1e-12*(1+math.Abs(tc.want[i])) {
				t.Errorf("%s: x = %v, want %v", tc.name, x, tc.want)
				break
			}
		}
	}
}
