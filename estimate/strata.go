package estimate

// SumLCMCR returns the posterior median and 95% interval of the total over
// strata estimated separately: strata are independent given the data, so
// the i-th draw of the total is the sum of the strata's i-th draws. The
// results must come from runs with the same chains and samples.
func SumLCMCR(results []LCMCRResult) (median float64, ci Interval) {
	var total []float64
	for _, r := range results {
		i := 0
		for _, chain := range r.Draws {
			for _, d := range chain {
				if i == len(total) {
					total = append(total, 0)
				}
				total[i] += d
				i++
			}
		}
	}
	q := quantiles(total, 0.5, 0.025, 0.975)
	return q[0], Interval{Lo: q[1], Hi: q[2]}
}

// SumDGA returns the posterior median and 95% interval of the total over
// strata estimated separately with DGA: strata are independent given the
// data, so the total's posterior is the convolution of the strata's. Grids
// of different spacing (large strata have coarser ones) are first put on
// the coarsest, each point moved to the nearest of its N.
func SumDGA(results []DGAResult) (median float64, ci Interval) {
	step := 1
	for _, r := range results {
		step = max(step, r.Step)
	}
	total := []float64{1}
	offset := 0
	for _, r := range results {
		post := r.Posterior
		if s := max(r.Step, 1); s != step {
			post = make([]float64, (2*(len(r.Posterior)-1)*s+step)/(2*step)+1)
			for i, v := range r.Posterior {
				post[(2*i*s+step)/(2*step)] += v
			}
		}
		next := make([]float64, len(total)+len(post)-1)
		for i, a := range total {
			if a == 0 {
				continue
			}
			for j, b := range post {
				next[i+j] += a * b
			}
		}
		total, offset = next, offset+r.Observed
	}
	q := func(p float64) float64 {
		var c float64
		for i, v := range total {
			if c += v; c >= p {
				return float64(offset + i*step)
			}
		}
		return float64(offset + (len(total)-1)*step)
	}
	return q(0.5), Interval{Lo: q(0.025), Hi: q(0.975)}
}
