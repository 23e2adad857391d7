package estimate

import (
	"errors"
	"math"
)

// errSingular reports a normal-equations matrix that is not positive
// definite: some model parameters are not identified by the data.
var errSingular = errors.New("singular information matrix: model parameters not identified")

// solveSPD solves A x = b for a symmetric positive definite p×p matrix A
// (row-major, overwritten) by Cholesky factorisation with diagonal pivoting
// (Golub & Van Loan, Matrix Computations, §4.2.8). Pivoting lets a
// rank-deficient A be detected reliably: factorisation stops with
// errSingular when the largest remaining pivot falls below a relative
// tolerance, instead of dividing by rounding noise.
func solveSPD(a []float64, b []float64, p int) ([]float64, error) {
	perm := make([]int, p)
	for i := range perm {
		perm[i] = i
	}
	maxDiag := 0.0
	for i := 0; i < p; i++ {
		maxDiag = math.Max(maxDiag, a[i*p+i])
	}
	tol := 1e-11 * maxDiag * float64(p)
	for j := 0; j < p; j++ {
		piv := j
		for i := j + 1; i < p; i++ {
			if a[i*p+i] > a[piv*p+piv] {
				piv = i
			}
		}
		if !(a[piv*p+piv] > tol) {
			return nil, errSingular
		}
		if piv != j {
			swapSym(a, p, j, piv)
			perm[j], perm[piv] = perm[piv], perm[j]
		}
		d := math.Sqrt(a[j*p+j])
		a[j*p+j] = d
		for i := j + 1; i < p; i++ {
			a[i*p+j] /= d
		}
		for i := j + 1; i < p; i++ {
			lij := a[i*p+j]
			for c := j + 1; c <= i; c++ {
				a[i*p+c] -= lij * a[c*p+j]
			}
		}
		for i := j + 1; i < p; i++ {
			for c := i + 1; c < p; c++ {
				a[i*p+c] = a[c*p+i]
			}
		}
	}
	// Solve L L' y = P b, then x = P' y.
	y := make([]float64, p)
	for i := 0; i < p; i++ {
		s := b[perm[i]]
		for c := 0; c < i; c++ {
			s -= a[i*p+c] * y[c]
		}
		y[i] = s / a[i*p+i]
	}
	for i := p - 1; i >= 0; i-- {
		s := y[i]
		for r := i + 1; r < p; r++ {
			s -= a[r*p+i] * y[r]
		}
		y[i] = s / a[i*p+i]
	}
	x := make([]float64, p)
	for i := 0; i < p; i++ {
		x[perm[i]] = y[i]
	}
	return x, nil
}

// swapSym swaps rows and columns i and j of the symmetric matrix a whose
// lower triangle and diagonal hold current values.
func swapSym(a []float64, p, i, j int) {
	for c := 0; c < p; c++ {
		a[i*p+c], a[j*p+c] = a[j*p+c], a[i*p+c]
	}
	for r := 0; r < p; r++ {
		a[r*p+i], a[r*p+j] = a[r*p+j], a[r*p+i]
	}
}
