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
