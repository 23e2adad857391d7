package estimate

import (
	"math"
	"math/rand/v2"
)

// Random variate generators for the Gibbs sampler. math/rand/v2 offers only
// uniform, normal and exponential draws, and the sampler needs exact gamma,
// beta, binomial and negative-binomial draws that stay O(1) as counts grow.

// gammaRand draws from Gamma(shape a, rate 1) by Marsaglia & Tsang (2000), "A
// simple method for generating gamma variables", ACM TOMS 26(3); shapes below
// one are boosted: Gamma(a) = Gamma(a+1) U^(1/a).
func gammaRand(r *rand.Rand, a float64) float64 {
	if a < 1 {
		return gammaRand(r, a+1) * math.Pow(r.Float64(), 1/a)
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
		u := r.Float64()
		x2 := x * x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// betaRand draws from Beta(a, b) as a ratio of gammas; Beta(1, b) is drawn by
// inversion, 1 - U^(1/b), which is common in the sampler (empty classes).
func betaRand(r *rand.Rand, a, b float64) float64 {
	if a == 1 {
		if b == 1 {
			return r.Float64()
		}
		return 1 - math.Pow(r.Float64(), 1/b)
	}
	x := gammaRand(r, a)
	return x / (x + gammaRand(r, b))
}

// binomialRand draws from Binomial(n, p): by sequential inversion when
// n min(p, 1-p) < 10, else by Hörmann's BTRD transformed rejection (Hörmann
// 1993, "The generation of binomial random variates", J. Stat. Comput.
// Simul. 46), whose expected cost does not grow with n.
func binomialRand(r *rand.Rand, n int, p float64) int {
	switch {
	case n <= 0 || p <= 0:
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - binomialRand(r, n, 1-p)
	case float64(n)*p < 10:
		return binomialInversion(r, n, p)
	}
	return binomialBTRD(r, n, p)
}

// binomialInversion walks the pmf from 0 using f(x)/f(x-1) = (n+1-x)/x · p/q.
// Since P(X > 0) = 1 - q^n ≤ np, a uniform above np means X = 0 without
// computing q^n: the common case for the sampler's many unlikely classes.
func binomialInversion(r *rand.Rand, n int, p float64) int {
	v := r.Float64()
	if v > float64(n)*p {
		return 0
	}
	q := 1 - p
	s := p / q
	a := float64(n+1) * s
	f0 := math.Exp(float64(n) * math.Log(q)) // Log(q) is exact enough here and much faster than Log1p
	for first := true; ; first = false {
		u, f := 1-v, f0
		if !first {
			u = r.Float64()
		}
		for x := 0; x <= n; x++ {
			if u < f {
				return x
			}
			u -= f
			f *= a/float64(x+1) - s
		}
		// Rounding left u beyond the total mass: draw again.
	}
}

// binomialBTRD is Hörmann's algorithm BTRD for p ≤ 1/2 and np ≥ 10.
func binomialBTRD(r *rand.Rand, n int, p float64) int {
	q := 1 - p
	nf := float64(n)
	m := math.Floor((nf + 1) * p)
	rr := p / q
	nr := (nf + 1) * rr
	npq := nf * p * q
	spq := math.Sqrt(npq)
	b := 1.15 + 2.53*spq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	alpha := (2.83 + 5.1/b) * spq
	vr := 0.92 - 4.2/b
	urvr := 0.86 * vr
	for {
		v := r.Float64()
		var u float64
		if v <= urvr {
			u = v/vr - 0.43
			return int(math.Floor((2*a/(0.5-math.Abs(u))+b)*u + c))
		}
		if v >= vr {
			u = r.Float64() - 0.5
		} else {
			u = v/vr - 0.93
			u = math.Copysign(0.5, u) - u
			v = r.Float64() * vr
		}
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + c)
		if k < 0 || k > nf {
			continue
		}
		v = v * alpha / (a/(us*us) + b)
		km := math.Abs(k - m)
		if km <= 15 {
			// Ratio f(k)/f(m) by the pmf recursion.
			f := 1.0
			if m < k {
				for i := m + 1; i <= k; i++ {
					f *= nr/i - rr
				}
			} else {
				for i := k + 1; i <= m; i++ {
					v *= nr/i - rr
				}
			}
			if v <= f {
				return int(k)
			}
			continue
		}
		// Squeeze on log f(k)/f(m), then the exact value.
		v = math.Log(v)
		rho := (km / npq) * (((km/3+0.625)*km+1.0/6)/npq + 0.5)
		t := -km * km / (2 * npq)
		if v < t-rho {
			return int(k)
		}
		if v > t+rho {
			continue
		}
		if v <= logBinomialRatio(nf, p, k, m) {
			return int(k)
		}
	}
}

// logBinomialRatio is log f(k)/f(m) for the Binomial(n, p) pmf f.
func logBinomialRatio(n, p, k, m float64) float64 {
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	return lg(m+1) + lg(n-m+1) - lg(k+1) - lg(n-k+1) + (k-m)*math.Log(p/(1-p))
}

// poissonRand draws from Poisson(lambda): by multiplication of uniforms for
// small lambda, else by Hörmann's PTRS transformed rejection with squeeze
// (Hörmann 1993, "The transformed rejection method for generating Poisson
// random variables", Insurance: Mathematics and Economics 12).
func poissonRand(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda < 10 {
		limit, prod := math.Exp(-lambda), r.Float64()
		k := 0
		for prod > limit {
			prod *= r.Float64()
			k++
		}
		return k
	}
	slam, loglam := math.Sqrt(lambda), math.Log(lambda)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invAlpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lambda + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invAlpha)-math.Log(a/(us*us)+b) <= -lambda+k*loglam-lg {
			return int(k)
		}
	}
}

// negBinomialRand draws the number of failures before the size-th success
// with success probability p, as a gamma mixture of Poissons:
// NB(size, p) = Poisson(Gamma(size, rate p/(1-p))).
func negBinomialRand(r *rand.Rand, size int, p float64) int {
	return poissonRand(r, gammaRand(r, float64(size))*(1-p)/p)
}
