package estimate

import (
	"math"
	"slices"
)

// quantiles returns the requested quantiles of x by linear interpolation
// between order statistics (Hyndman & Fan 1996, type 7, R's default).
func quantiles(x []float64, probs ...float64) []float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	out := make([]float64, len(probs))
	for i, p := range probs {
		if len(s) == 0 {
			out[i] = math.NaN()
			continue
		}
		h := p * float64(len(s)-1)
		lo := int(math.Floor(h))
		hi := min(lo+1, len(s)-1)
		out[i] = s[lo] + (h-float64(lo))*(s[hi]-s[lo])
	}
	return out
}

func meanVar(x []float64) (mean, variance float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		variance += (v - mean) * (v - mean)
	}
	return mean, variance / float64(len(x)-1)
}

// splitHalves cuts each chain in two, so that drift within a chain shows up
// as disagreement between its halves.
func splitHalves(chains [][]float64) [][]float64 {
	var out [][]float64
	for _, c := range chains {
		h := len(c) / 2
		out = append(out, c[:h], c[len(c)-h:])
	}
	return out
}

// splitRHat is the potential scale reduction factor computed on split chains
// (Gelman et al., Bayesian Data Analysis, 3rd ed., §11.4):
// sqrt(((n-1)/n W + B/n) / W), with W the mean within-sequence variance and
// B/n the variance of the sequence means. NaN if the draws are constant.
func splitRHat(chains [][]float64) float64 {
	seqs := splitHalves(chains)
	n := float64(len(seqs[0]))
	means := make([]float64, len(seqs))
	w := 0.0
	for i, s := range seqs {
		m, v := meanVar(s)
		means[i] = m
		w += v / float64(len(seqs))
	}
	_, bOverN := meanVar(means)
	if w == 0 {
		return math.NaN()
	}
	return math.Sqrt(((n-1)/n*w + bOverN) / w)
}

// effectiveSampleSize estimates the number of independent draws the split
// chains are worth: m n / tau, with tau = 1 + 2 sum rho_t, the
// autocorrelations rho_t combined across chains as in Gelman et al. (BDA3,
// §11.5) and the sum truncated by Geyer's (1992) initial monotone positive
// sequence of paired autocorrelations.
func effectiveSampleSize(chains [][]float64) float64 {
	seqs := splitHalves(chains)
	m, n := len(seqs), len(seqs[0])
	means := make([]float64, m)
	w := 0.0
	for i, s := range seqs {
		mu, v := meanVar(s)
		means[i], w = mu, w+v/float64(m)
	}
	_, bOverN := meanVar(means)
	varPlus := (float64(n)-1)/float64(n)*w + bOverN
	if varPlus == 0 {
		return math.NaN()
	}
	// rho_t = 1 - (W - mean autocovariance at lag t) / var+.
	rho := func(t int) float64 {
		acov := 0.0
		for i, s := range seqs {
			for j := 0; j+t < n; j++ {
				acov += (s[j] - means[i]) * (s[j+t] - means[i])
			}
		}
		acov /= float64(m * n)
		return 1 - (w-acov)/varPlus
	}
	tau, prev := -1.0, math.Inf(1)
	for t := 0; t+1 < n; t += 2 {
		pair := rho(t) + rho(t+1)
		if pair <= 0 {
			break
		}
		pair = math.Min(pair, prev)
		tau += 2 * pair
		prev = pair
	}
	return float64(m*n) / tau
}
