package estimate

import (
	"context"
	"fmt"
	"math"

	"peyvand"
)

// Interval is a confidence or credible interval for the population size.
type Interval struct {
	Lo, Hi float64
}

// ProfileInterval returns the profile-likelihood confidence interval at the
// given level (e.g. 0.95) for the population size N under model m (Cormack
// 1992, "Interval estimation for mark-recapture studies of closed
// populations", Biometrics 48; as in Rcapture's closedpCI). For a trial N the
// unobserved cell is set to N - n, the model is refitted to the complete
// 2^k table, and the multinomial log-likelihood
//
//	l(N) = log N! - log (N-n)! + sum_h n_h log(mu_h / N)
//
// is compared with its maximum: the interval is {N : 2(lmax - l(N)) ≤
// chi2_1(level)}. An upper bound that cannot be found below 10^4 times the
// number observed is reported as +Inf with a warning.
//
// Each trial N is a refit; a cancelled ctx ends the search with ctx's error.
func ProfileInterval(ctx context.Context, t Table, m Model, level float64) (Interval, []Warning, error) {
	if !(level > 0 && level < 1) {
		return Interval{}, nil, peyvand.Errorf(peyvand.EINVALID, "confidence level %v is not in (0, 1)", level)
	}
	fit, err := FitLoglinear(t, m)
	if err != nil {
		return Interval{}, nil, err
	}
	if !fit.Converged {
		return Interval{}, fit.Warnings, peyvand.Errorf(peyvand.EINVALID, "model %s has no finite estimate to build an interval around", m.Formula(t.Lists))
	}
	pl := newProfile(ctx, t, m, fit.Coef)
	z := math.Sqrt2 * math.Erfinv(level)
	drop := z * z / 2

	// The multinomial maximum lies near the Poisson one; refine it by golden
	// section over the unobserved count.
	top := fit.Missing
	span := 3*math.Sqrt(top+1) + 0.5*top + 10
	top = goldenMax(pl.logLik, math.Max(0, top-span), top+span)
	lmax := pl.logLik(top)
	below := func(n0 float64) bool { return pl.logLik(n0) < lmax-drop } // NaN: inside

	var warnings []Warning
	iv := Interval{Lo: float64(pl.n), Hi: math.Inf(1)}
	if below(0) {
		iv.Lo = float64(pl.n) + bisect(below, 0, top)
	}
	if err := ctx.Err(); err != nil {
		return Interval{}, nil, err
	}
	limit := 1e4 * float64(pl.n+1)
	// Double the trial until it is outside, and try the limit itself last.
	for hi := top + span; ; hi = 2*hi + 1 {
		hi = math.Min(hi, limit)
		if below(hi) {
			iv.Hi = float64(pl.n) + bisect(below, hi, top)
			return iv, warnings, ctx.Err()
		}
		if hi == limit {
			break
		}
	}
	warnings = append(warnings, Warning{Message: fmt.Sprintf("profile likelihood upper bound exceeds %.3g: the data cannot bound the population from above", limit)})
	return iv, warnings, ctx.Err()
}

// profile evaluates Cormack's profile log-likelihood for the unobserved count.
type profile struct {
	ctx  context.Context
	x    []float64 // design of the complete table, history 0 first
	p, n int
	y    []float64
	beta []float64 // warm start for the next refit
}

func newProfile(ctx context.Context, t Table, m Model, coef []float64) *profile {
	x, p := designMatrix(t.K(), m, 0)
	return &profile{ctx: ctx, x: x, p: p, n: t.Observed(), y: t.dense(), beta: append([]float64(nil), coef...)}
}

// logLik refits the model with n0 people in the unobserved cell. The last
// fit's coefficients start the next one, which saves most iterations between
// neighbouring trial values; but Newton's method on a log link overshoots
// from a start far from the answer (a golden-section or bisection step can
// jump from 10^5 to 0), so a start that does not lead to convergence is
// dropped and the fit redone from the counts themselves. A fit that fails
// both ways has no likelihood to offer: NaN, which the interval search
// counts as inside (a wider interval rather than a false precision) and
// which leaves the warm start where it was.
func (pl *profile) logLik(n0 float64) float64 {
	if pl.ctx.Err() != nil {
		return math.NaN() // the caller returns ctx's error
	}
	pl.y[0] = n0
	g, err := poissonIRLS(pl.x, pl.y, pl.p, pl.beta)
	if err != nil || !g.converged {
		g, err = poissonIRLS(pl.x, pl.y, pl.p, nil)
		if err != nil || !g.converged {
			return math.NaN()
		}
	}
	pl.beta = g.beta
	N := float64(pl.n) + n0
	a, _ := math.Lgamma(N + 1)
	b, _ := math.Lgamma(n0 + 1)
	s := a - b
	for h, y := range pl.y {
		s += xlogy(y, g.mu[h]/N)
	}
	return s
}

// goldenMax maximises a unimodal f on [a, b] by golden-section search.
func goldenMax(f func(float64) float64, a, b float64) float64 {
	const invPhi = 0.6180339887498949
	c, d := b-invPhi*(b-a), a+invPhi*(b-a)
	fc, fd := f(c), f(d)
	for b-a > 1e-6*(1+math.Abs(a)) {
		if fc > fd {
			b, d, fd = d, c, fc
			c = b - invPhi*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + invPhi*(b-a)
			fd = f(d)
		}
	}
	return (a + b) / 2
}

// bisect returns the boundary between out (where below is true) and in
// (where it is false), to a relative precision of 1e-7.
func bisect(below func(float64) bool, out, in float64) float64 {
	for math.Abs(out-in) > 1e-7*(1+math.Abs(in)) {
		mid := (out + in) / 2
		if below(mid) {
			out = mid
		} else {
			in = mid
		}
	}
	return (out + in) / 2
}
