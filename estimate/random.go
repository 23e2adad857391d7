package estimate

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// Random variate generators for the Gibbs sampler. math/rand/v2 offers only
// uniform, normal and exponential draws, and the sampler needs exact gamma,
// beta, binomial and negative-binomial draws that stay O(1) as counts grow.
// They take the concrete *rng so that the uniform draws of the inner loops
// inline instead of going through rand.Source's interface.

// rng is xoshiro256++ (Blackman & Vigna 2021, "Scrambled linear
// pseudorandom number generators", ACM TOMS 47(4)): four words of state, a
// few shifts and adds per draw, small enough to inline. Its state is filled
// from PCG(seed, stream), so that distinct streams are independent and runs
// reproducible. norm wraps the same state for math/rand/v2's ziggurat
// normal and exponential draws, which are rarer.
type rng struct {
	s0, s1, s2, s3 uint64
	norm           *rand.Rand
}

func newRNG(seed, stream uint64) *rng {
	g := &rng{}
	p := rand.NewPCG(seed, stream)
	for g.s0|g.s1|g.s2|g.s3 == 0 { // the all-zero state is xoshiro's one fixed point
		g.s0, g.s1, g.s2, g.s3 = p.Uint64(), p.Uint64(), p.Uint64(), p.Uint64()
	}
	g.norm = rand.New(g)
	return g
}

// Uint64 advances the generator; it makes *rng a rand.Source.
func (g *rng) Uint64() uint64 {
	s0, s1, s2, s3 := g.s0, g.s1, g.s2^g.s0, g.s3^g.s1
	g.s0, g.s1, g.s2, g.s3 = s0^s3, s1^s2, s2^s1<<17, bits.RotateLeft64(s3, 45)
	return bits.RotateLeft64(s0+(s3^s1), 23) + s0
}

// Float64 is uniform on [0, 1) with 53 random bits.
func (g *rng) Float64() float64 { return float64(g.Uint64()>>11) * 0x1p-53 }

// NormFloat64 is a standard normal draw by the ziggurat method of Marsaglia
// & Tsang (2000), "The ziggurat method for generating random variables", J.
// Stat. Softw. 5(8), with 128 layers: one draw and a table lookup in about
// 98.8% of cases.
func (g *rng) NormFloat64() float64 {
	x, _ := g.normSpare()
	return x
}

// normSpare is NormFloat64 that also returns 25 random bits independent of
// the normal: in the ziggurat's common case they are the draw's bits 39–63,
// which it does not read (its layer and abscissa take bits 0–38); otherwise
// they come from a fresh draw.
func (g *rng) normSpare() (float64, uint64) {
	for {
		u := g.Uint64()
		j := int32(u)
		i := u >> 32 & 127
		x := float64(j) * zigNormal.w[i]
		if uint32(max(j, -j)) < zigNormal.k[i] {
			return x, u >> 39
		}
		if i == 0 {
			// The base layer's tail beyond r, by Marsaglia's (1964) method.
			const r = zigR
			for {
				t := -math.Log(1-g.Float64()) / r
				y := -math.Log(1 - g.Float64())
				if y+y >= t*t {
					return math.Copysign(r+t, x), g.Uint64() >> 39
				}
			}
		}
		// The wedge between the layer's rectangle and the curve.
		if zigNormal.f[i]+g.Float64()*(zigNormal.f[i-1]-zigNormal.f[i]) < math.Exp(-0.5*x*x) {
			return x, g.Uint64() >> 39
		}
	}
}

// ExpFloat64 is a standard exponential draw.
func (g *rng) ExpFloat64() float64 { return g.norm.ExpFloat64() }

// zigNormal holds the ziggurat's layer tables for the normal (Marsaglia &
// Tsang 2000, §2): k[i] is the fraction of layer i, scaled to 2^31, inside
// the layer below; w[i] scales a 32-bit integer to the layer's width; f[i]
// is the density at the layer's edge. It is computed once and never written
// again.
var zigNormal = func() (z struct {
	k [128]uint32
	w [128]float64
	f [128]float64
}) {
	const m = 1 << 31
	dn, vn := zigR, 9.91256303526217e-3
	tn := dn
	q := vn / math.Exp(-0.5*dn*dn)
	z.k[0] = uint32(dn / q * m)
	z.k[1] = 0
	z.w[0] = q / m
	z.w[127] = dn / m
	z.f[0] = 1
	z.f[127] = math.Exp(-0.5 * dn * dn)
	for i := 126; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(vn/dn+math.Exp(-0.5*dn*dn)))
		z.k[i+1] = uint32(dn / tn * m)
		tn = dn
		z.f[i] = math.Exp(-0.5 * dn * dn)
		z.w[i] = dn / m
	}
	return z
}()

// zigR is where the normal ziggurat's base layer meets its tail.
const zigR = 3.442619855899

// gammaRand draws from Gamma(shape a, rate 1) by Marsaglia & Tsang (2000), "A
// simple method for generating gamma variables", ACM TOMS 26(3), whose
// squeeze accepts about 98% of draws without a logarithm; shapes below one
// are boosted: Gamma(a) = Gamma(a+1) U^(1/a), with U^(1/a) = exp(-E/a) for
// E exponential.
func gammaRand(r *rng, a float64) float64 {
	if a < 1 {
		return gammaRand(r, a+1) * math.Exp(-r.ExpFloat64()/a)
	}
	d := a - 1.0/3
	return marsagliaTsang(r, d, 1/math.Sqrt(9*d))
}

// marsagliaTsang is the rejection loop of gammaRand for shape d + 1/3 ≥ 1,
// with c = 1/sqrt(9d). Its uniform u has 53 random bits like Float64's:
// the top 25 are the normal's spare bits, which alone settle the squeeze
// u < 1 - 0.0331 x^4 whenever the whole interval they leave for u lies
// below the bound (nearly always: the squeeze accepts about 98%), so the
// other 28 are drawn only when the bound falls in that interval or the
// squeeze fails. Same distribution, one draw fewer.
func marsagliaTsang(r *rng, d, c float64) float64 {
	for {
		x, hi := r.normSpare()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		x2 := x * x
		t := 1 - 0.0331*x2*x2
		if float64(hi+1)*0x1p-25 <= t {
			return d * v
		}
		u := float64(hi<<28|r.Uint64()>>36) * 0x1p-53
		if u < t || math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// gammaTable caches Marsaglia & Tsang's c = 1/sqrt(9(a - 1/3)) for the
// integer shapes a < len(t): the capture probabilities' beta draws have
// integer parameters (one plus a count), and the square root and division
// cost as much as the rest of a draw.
type gammaTable []float64

func newGammaTable(n int) gammaTable {
	t := make(gammaTable, n)
	for a := 1; a < n; a++ {
		t[a] = 1 / math.Sqrt(9*(float64(a)-1.0/3))
	}
	return t
}

// gamma draws from Gamma(a, 1) for an integer a ≥ 1.
func (t gammaTable) gamma(r *rng, a int) float64 {
	if a < len(t) {
		return marsagliaTsang(r, float64(a)-1.0/3, t[a])
	}
	return gammaRand(r, float64(a))
}

// orderMax is the most uniforms gammaTable.beta draws for Beta(1, b) or
// Beta(a, 1) as an order statistic; 4, 8 and 16 cost about the same.
const orderMax = 16

// beta draws from Beta(a, b) for integers a, b ≥ 1, as betaRand.
func (t gammaTable) beta(r *rng, a, b int) float64 {
	if a == 1 || b == 1 {
		// Beta(1, b) is the least of b uniforms and Beta(a, 1) the
		// greatest of a: for few, cheaper than a logarithm.
		if m := a + b - 1; m <= orderMax {
			lo, hi := 1.0, 0.0
			for range m {
				u := r.Float64()
				lo, hi = min(lo, u), max(hi, u)
			}
			if a == 1 {
				return lo
			}
			return hi
		}
		return betaRand(r, float64(a), float64(b))
	}
	x := t.gamma(r, a)
	return x / (x + t.gamma(r, b))
}

// betaRand draws from Beta(a, b) as a ratio of gammas. Beta(1, b) and
// Beta(a, 1), common in the sampler (empty classes, lists that missed a
// class), are drawn by inversion: 1 - U^(1/b) = -expm1(-E/b) for E
// exponential, and U^(1/a) = exp(-E/a).
func betaRand(r *rng, a, b float64) float64 {
	switch {
	case a == 1 && b == 1:
		return r.Float64()
	case a == 1:
		return -math.Expm1(-r.ExpFloat64() / b)
	case b == 1:
		return math.Exp(-r.ExpFloat64() / a)
	}
	x := gammaRand(r, a)
	return x / (x + gammaRand(r, b))
}

// binomialRand draws from Binomial(n, p): by sequential inversion when
// n min(p, 1-p) < 10, else by Hörmann's BTRD transformed rejection (Hörmann
// 1993, "The generation of binomial random variates", J. Stat. Comput.
// Simul. 46), whose expected cost does not grow with n.
func binomialRand(r *rng, n int, p float64) int {
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
// q^n is taken by repeated squaring, which for n p < 10 and p ≤ 1/2 neither
// underflows nor loses more than about log2(n) ulps, and costs a few
// multiplications where exp(n log q) costs two calls.
func binomialInversion(r *rng, n int, p float64) int {
	v := r.Float64()
	if v > float64(n)*p {
		return 0
	}
	q := 1 - p
	s := p / q
	a := float64(n+1) * s
	f0 := powInt(q, n)
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

// powInt is x^n for n ≥ 0 by binary exponentiation.
func powInt(x float64, n int) float64 {
	y := 1.0
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			y *= x
		}
		x *= x
	}
	return y
}

// binomialBTRD is Hörmann's algorithm BTRD for p ≤ 1/2 and np ≥ 10.
func binomialBTRD(r *rng, n int, p float64) int {
	q := 1 - p
	nf := float64(n)
	npq := nf * p * q
	spq := math.Sqrt(npq)
	b := 1.15 + 2.53*spq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	ib := 1 / b
	vr := 0.92 - 4.2*ib
	urvr := 0.86 * vr
	ivr := 1 / vr
	// The constants of the slow path wait until it is taken (about half
	// the calls for n p near 10, a fifth for large n p): divisions dominate
	// the cost of the fast one.
	var m, rr, nr, alpha float64
	slow := false
	for {
		v := r.Float64()
		var u float64
		if v <= urvr {
			// v / vr - 0.43 is uniform on [-0.43, 0.43].
			u = v*ivr - 0.43
			return int(math.Floor((2*a/(0.5-math.Abs(u))+b)*u + c))
		}
		if !slow {
			slow = true
			m = math.Floor((nf + 1) * p)
			rr = p / q
			nr = (nf + 1) * rr
			alpha = (2.83 + 5.1*ib) * spq
		}
		if v >= vr {
			u = r.Float64() - 0.5
		} else {
			u = v*ivr - 0.93
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
func poissonRand(r *rng, lambda float64) int {
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
func negBinomialRand(r *rng, size int, p float64) int {
	return poissonRand(r, gammaRand(r, float64(size))*(1-p)/p)
}

// bernoulliLanes is the number of successes among n ≤ 128 independent
// Bernoulli(p) trials, for 0 < p < 1 a normal float64: Binomial(n, p)
// exactly, by bernoulliLanes64 or bernoulliLanes128.
func (g *rng) bernoulliLanes(n int, p float64) int {
	if n <= 64 {
		return g.bernoulliLanes64(n, p)
	}
	return g.bernoulliLanes128(n, p)
}

// bernoulliLanes64 gives each of the first n ≤ 64 lanes of a word an
// independent Bernoulli(p) draw, for 0 < p < 1 a normal float64, and
// returns how many succeed. Each lane compares the binary digits of its own
// uniform, one random bit per lane and digit, with those of p, and is
// decided at the first digit where they differ: below p's digit is a
// success, above a failure. That is exact, with no rounding at all (p is a
// finite binary fraction: once its digits run out, a lane still tied is at
// or above p), and costs one random word per digit; all lanes are decided
// after about log2(n) + 1.3 digits on average, within the first block of 8
// for all but a fraction of about n/256 of the calls.
func (g *rng) bernoulliLanes64(n int, p float64) int {
	b := math.Float64bits(p)
	// p = 1.mantissa × 2^(e-1023): its first 1022-e digits are 0, then
	// come the implicit 1 and the 52 stored bits.
	e := int(b >> 52)
	P := b<<11 | 1<<63
	left := ^uint64(0) >> (64 - n)
	// The generator's state stays in registers through the loops: as
	// fields, each draw would wait on the previous one's stores.
	s0, s1, s2, s3 := g.s0, g.s1, g.s2, g.s3
	next := func() uint64 {
		r := bits.RotateLeft64(s0+s3, 23) + s0
		t := s1 << 17
		s2 ^= s0
		s3 ^= s1
		s1 ^= s2
		s0 ^= s3
		s2 ^= t
		s3 = bits.RotateLeft64(s3, 45)
		return r
	}
	lz := 1022 - e
	s := uint64(0)
	// Digits 1–64 of p, in blocks of 8 without a jump between digits: a
	// loop that stops when the last lane is decided mispredicts its exit
	// every time, which costs more than the draws it saves.
	Q := uint64(0)
	if lz < 64 {
		Q = P >> lz
	}
	for range 8 {
		for range 8 {
			one := uint64(int64(Q) >> 63) // all ones when p's digit is 1
			Q <<= 1
			w := next()
			s |= left &^ w & one
			left &= w ^ ^one
		}
		if left == 0 {
			break
		}
	}
	// Digits from the 65th (almost never reached).
	for i := 64; left != 0; i++ {
		one := uint64(0)
		if i >= lz {
			if i-lz >= 64 {
				break // p's digits have run out: the lanes left are above it
			}
			one = uint64(int64(P<<(i-lz)) >> 63)
		}
		w := next()
		s |= left &^ w & one
		left &= w ^ ^one
	}
	g.s0, g.s1, g.s2, g.s3 = s0, s1, s2, s3
	return bits.OnesCount64(s)
}

// bernoulliLanes128 is bernoulliLanes64 for 64 < n ≤ 128 lanes in two words.
func (g *rng) bernoulliLanes128(n int, p float64) int {
	b := math.Float64bits(p)
	e := int(b >> 52)
	P := b<<11 | 1<<63
	l0, l1 := ^uint64(0), ^uint64(0)>>(128-n)
	s0, s1, s2, s3 := g.s0, g.s1, g.s2, g.s3
	next := func() uint64 {
		r := bits.RotateLeft64(s0+s3, 23) + s0
		t := s1 << 17
		s2 ^= s0
		s3 ^= s1
		s1 ^= s2
		s0 ^= s3
		s2 ^= t
		s3 = bits.RotateLeft64(s3, 45)
		return r
	}
	for z := 1022 - e; z > 0 && l0|l1 != 0; z-- {
		l0 &^= next()
		l1 &^= next()
	}
	c0, c1 := uint64(0), uint64(0)
	for P != 0 && l0|l1 != 0 {
		one := uint64(int64(P) >> 63)
		P <<= 1
		w0 := next()
		w1 := next()
		c0 |= l0 &^ w0 & one
		c1 |= l1 &^ w1 & one
		l0 &= w0 ^ ^one
		l1 &= w1 ^ ^one
	}
	g.s0, g.s1, g.s2, g.s3 = s0, s1, s2, s3
	return bits.OnesCount64(c0) + bits.OnesCount64(c1)
}
