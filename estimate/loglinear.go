package estimate

import (
	"fmt"
	"math"
	"strings"

	"peyvand"
)

// Pair is a two-way interaction between lists Pair[0] < Pair[1].
type Pair [2]int

// Model is a hierarchical log-linear model for the 2^k capture-history
// table: an intercept, a main effect per list, and the listed two-way
// interactions (Fienberg 1972). With no pairs it is the independence model.
type Model struct {
	Pairs []Pair
}

// Formula renders m with list names, e.g. "A + B + C + A:B".
func (m Model) Formula(lists []string) string {
	terms := append([]string(nil), lists...)
	for _, p := range m.Pairs {
		terms = append(terms, lists[p[0]]+":"+lists[p[1]])
	}
	return strings.Join(terms, " + ")
}

// Has reports whether m includes the interaction between lists i and j.
func (m Model) Has(i, j int) bool {
	for _, p := range m.Pairs {
		if (p[0] == i && p[1] == j) || (p[0] == j && p[1] == i) {
			return true
		}
	}
	return false
}

// numParams is the number of coefficients of m over k lists.
func (m Model) numParams(k int) int { return 1 + k + len(m.Pairs) }

func (m Model) validate(k int) error {
	seen := map[Pair]bool{}
	for _, p := range m.Pairs {
		if p[0] < 0 || p[1] >= k || p[0] >= p[1] {
			return peyvand.Errorf(peyvand.EINVALID, "interaction %v is not a pair i<j of %d lists", p, k)
		}
		if seen[p] {
			return peyvand.Errorf(peyvand.EINVALID, "interaction %v appears twice", p)
		}
		seen[p] = true
	}
	return nil
}

// designMatrix returns the row-major log-linear design for the histories
// from..2^k-1: columns are the intercept, the k main-effect indicators and
// one product indicator per pair. History 0 has only the intercept, so the
// intercept is the log of the expected count of the unobserved cell.
func designMatrix(k int, m Model, from uint32) ([]float64, int) {
	p := m.numParams(k)
	cells := uint32(1) << k
	x := make([]float64, 0, int(cells-from)*p)
	for h := from; h < cells; h++ {
		x = append(x, 1)
		for i := 0; i < k; i++ {
			x = append(x, float64(h>>i&1))
		}
		for _, pr := range m.Pairs {
			x = append(x, float64(h>>pr[0]&1&(h>>pr[1]&1)))
		}
	}
	return x, p
}

// LoglinearFit is a Poisson log-linear model fitted to the observed cells.
type LoglinearFit struct {
	Model     Model
	Coef      []float64 // intercept, main effects, pairs in Model order
	Observed  int       // people on at least one list
	Missing   float64   // fitted count of the unobserved cell, exp(intercept)
	Estimate  float64   // N̂ = Observed + Missing
	LogLik    float64   // Poisson log-likelihood of the observed cells
	Deviance  float64   // against the saturated model of the observed cells
	DF        int       // residual degrees of freedom: 2^k-1 cells minus parameters
	AIC, BIC  float64   // -2 LogLik + 2p, -2 LogLik + p log(Observed)
	Converged bool      // false when IRLS did not settle: Estimate is unreliable
	Warnings  []Warning
}

// FitLoglinear fits m to the 2^k-1 observed cells of t as a Poisson GLM by
// iteratively reweighted least squares and projects it onto the unobserved
// cell (Fienberg 1972; Bishop, Fienberg & Holland 1975, ch. 6; Cormack 1989).
// The BIC penalty uses log(Observed), as in Rcapture. A model with more
// parameters than cells or with unidentified parameters is an error; one
// whose maximum-likelihood estimate does not exist (a coefficient running to
// infinity, typically because a margin it fits is zero) returns
// Converged=false with a warning.
func FitLoglinear(t Table, m Model) (LoglinearFit, error) {
	return fitLoglinear(t, m, nil)
}

// fitLoglinear is FitLoglinear with IRLS started from the coefficients
// start (nil: from the counts). A start that does not lead to convergence
// is dropped and the fit redone from the counts, since Newton's method can
// overshoot from a start far from the answer, and a model whose MLE does
// not exist must be found so from the counts too.
func fitLoglinear(t Table, m Model, start []float64) (LoglinearFit, error) {
	if err := t.Validate(); err != nil {
		return LoglinearFit{}, err
	}
	k := t.K()
	if err := m.validate(k); err != nil {
		return LoglinearFit{}, err
	}
	cells := 1<<k - 1
	p := m.numParams(k)
	if p > cells {
		return LoglinearFit{}, peyvand.Errorf(peyvand.EINVALID, "model %s has %d parameters for %d observed cells", m.Formula(t.Lists), p, cells)
	}
	x, _ := designMatrix(k, m, 1)
	y := t.dense()[1:]
	var g glmFit
	var err error
	if len(start) == p {
		g, err = poissonIRLS(x, y, p, start)
	}
	if len(start) != p || err != nil || !g.converged {
		g, err = poissonIRLS(x, y, p, nil)
	}
	if err != nil {
		return LoglinearFit{}, peyvand.Errorf(peyvand.EINVALID, "model %s: %v", m.Formula(t.Lists), err)
	}
	f := LoglinearFit{Model: m, Coef: g.beta, Observed: t.Observed(), Converged: g.converged, DF: cells - p}
	f.Missing = math.Exp(g.beta[0])
	f.Estimate = float64(f.Observed) + f.Missing
	f.LogLik = poissonLogLik(y, g.mu)
	f.Deviance = poissonDeviance(y, g.mu)
	f.AIC = -2*f.LogLik + 2*float64(p)
	f.BIC = -2*f.LogLik + float64(p)*math.Log(float64(f.Observed))
	if !g.converged {
		f.Warnings = append(f.Warnings, Warning{Message: fmt.Sprintf(
			"model %s: maximum-likelihood estimate does not exist (IRLS did not converge; a fitted margin is zero); estimate %.4g is unreliable",
			m.Formula(t.Lists), f.Estimate)})
	}
	return f, nil
}

// glmFit is the result of poissonIRLS.
type glmFit struct {
	beta, mu  []float64
	converged bool
}

// IRLS limits: coefficients beyond maxCoef mean a fitted cell is running to
// zero or infinity, i.e. the MLE is on the boundary and does not exist.
const (
	irlsMaxIter = 100
	irlsTol     = 1e-10
	maxCoef     = 30
)

// poissonIRLS fits log E[y] = X beta by iteratively reweighted least squares
// (McCullagh & Nelder 1989, §2.5): with the canonical log link the working
// weights are mu and the working response is eta + (y-mu)/mu. Convergence
// requires both the deviance and the coefficients to settle, because when the
// MLE does not exist the deviance converges while a coefficient drifts off.
func poissonIRLS(x, y []float64, p int, start []float64) (glmFit, error) {
	n := len(y)
	eta := make([]float64, n)
	mu := make([]float64, n)
	if start != nil {
		linearPredictor(x, start, p, eta)
		for i := range mu {
			mu[i] = math.Exp(eta[i])
		}
	} else {
		for i := range y {
			mu[i] = y[i] + 0.1 // R's glm mustart for the Poisson family
			eta[i] = math.Log(mu[i])
		}
	}
	beta := start
	dev := poissonDeviance(y, mu)
	// The deviance is a sum of terms as large as the counts, so it cannot
	// settle closer than rounding allows: with a million in one cell its
	// change between two iterations at the optimum is about 1e-9 of that
	// total, not zero. Below this floor a change is noise.
	total := 0.0
	for _, v := range y {
		total += v
	}
	floor := 1e-12 * total
	xtwx := make([]float64, p*p)
	xtwz := make([]float64, p)
	for iter := 0; iter < irlsMaxIter; iter++ {
		clear(xtwx)
		clear(xtwz)
		for i := 0; i < n; i++ {
			w := mu[i]
			z := eta[i] + (y[i]-mu[i])/mu[i]
			row := x[i*p : (i+1)*p]
			for a := 0; a < p; a++ {
				if row[a] == 0 {
					continue
				}
				wa := w * row[a]
				xtwz[a] += wa * z
				for b := 0; b <= a; b++ {
					xtwx[a*p+b] += wa * row[b]
				}
			}
		}
		for a := 0; a < p; a++ {
			for b := a + 1; b < p; b++ {
				xtwx[a*p+b] = xtwx[b*p+a]
			}
		}
		next, err := solveSPD(xtwx, xtwz, p)
		if err != nil && iter > 0 {
			// A weight collapsed to zero as a fitted cell ran to zero: the
			// coefficients are diverging, so the MLE does not exist.
			return glmFit{beta: beta, mu: mu, converged: false}, nil
		}
		if err != nil {
			return glmFit{}, err
		}
		linearPredictor(x, next, p, eta)
		for i := range mu {
			eta[i] = math.Min(eta[i], 700)
			mu[i] = math.Max(math.Exp(eta[i]), 1e-300)
		}
		newDev := poissonDeviance(y, mu)
		step := 0.0
		for a := range next {
			if beta != nil {
				step = math.Max(step, math.Abs(next[a]-beta[a])/(1+math.Abs(next[a])))
			} else {
				step = math.Inf(1)
			}
		}
		beta = next
		if math.Abs(newDev-dev) < irlsTol*(math.Abs(newDev)+0.1)+floor && step < 1e-8 {
			return glmFit{beta: beta, mu: mu, converged: maxAbs(beta) < maxCoef}, nil
		}
		dev = newDev
	}
	return glmFit{beta: beta, mu: mu, converged: false}, nil
}

func linearPredictor(x, beta []float64, p int, eta []float64) {
	for i := range eta {
		s := 0.0
		for a, v := range x[i*p : (i+1)*p] {
			s += v * beta[a]
		}
		eta[i] = s
	}
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// poissonLogLik is sum y log mu - mu - log y!.
func poissonLogLik(y, mu []float64) float64 {
	s := 0.0
	for i := range y {
		lg, _ := math.Lgamma(y[i] + 1)
		s += xlogy(y[i], mu[i]) - mu[i] - lg
	}
	return s
}

// poissonDeviance is 2 sum y log(y/mu) - (y - mu).
func poissonDeviance(y, mu []float64) float64 {
	s := 0.0
	for i := range y {
		s += xlogy(y[i], y[i]/mu[i]) - (y[i] - mu[i])
	}
	return 2 * s
}

// xlogy is x log y with 0 log 0 = 0.
func xlogy(x, y float64) float64 {
	if x == 0 {
		return 0
	}
	return x * math.Log(y)
}
