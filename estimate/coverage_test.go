package estimate

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// coverageScenario is a simulated population with known N and a known
// structure of dependence or heterogeneity.
type coverageScenario struct {
	name    string
	n, k    int
	history func(*rand.Rand) uint32
}

var coverageScenarios = []coverageScenario{
	{"independent lists", 1000, 4, independentLists(0.2, 0.3, 0.25, 0.35)},
	{"two latent classes", 1000, 4, latentClasses([]float64{0.7, 0.3},
		[][]float64{{0.3, 0.25, 0.35, 0.2}, {0.7, 0.6, 0.8, 0.65}})},
	{"list B copies A", 1000, 4, func(r *rand.Rand) uint32 {
		h := independentLists(0.3, 0.2, 0.25, 0.35)(r)
		if h&1 == 1 && r.Float64() < 0.4 {
			h |= 2 // four in ten of A's people also reach B through A
		}
		return h
	}},
}

// TestCoverage estimates, for each method, how often its 95% interval holds
// the true N over simulated populations, and reports it. By default a few
// populations per scenario and short chains, as a smoke test; with
// PEYVAND_ESTIMATE_LONG=1, 200 populations and the default chain lengths,
// where coverage should be near 0.95 wherever the method's assumptions hold.
func TestCoverage(t *testing.T) {
	reps, opt := 4, LCMCROptions{Burnin: 1000, Samples: 300, Thin: 3, Chains: 2}
	if longTests() {
		reps, opt = 200, LCMCROptions{Burnin: 5000, Samples: 1000, Thin: 5, Chains: 2}
	}
	for si, sc := range coverageScenarios {
		var hits [3]int // lcmcr, loglinear (AIC, profile), dga
		var width [3]float64
		for rep := range reps {
			tab := simulateTable(t, uint64(1000*si+rep), sc.n, sc.k, sc.history)
			opt.Seed = uint64(rep)
			var ivs [3]Interval
			res, err := LCMCR(context.Background(), tab, opt)
			if err != nil {
				t.Fatal(err)
			}
			ivs[0] = res.CI95
			sel, err := SelectLoglinear(context.Background(), tab, AIC)
			if err != nil {
				t.Fatal(err)
			}
			if ivs[1], _, err = ProfileInterval(context.Background(), tab, sel.Best.Model, 0.95); err != nil {
				ivs[1] = Interval{Lo: math.NaN(), Hi: math.NaN()}
			}
			d, err := DGA(context.Background(), tab, DGAOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ivs[2] = d.CI95
			for m, iv := range ivs {
				if iv.Lo <= float64(sc.n) && float64(sc.n) <= iv.Hi {
					hits[m]++
				}
				width[m] += (iv.Hi - iv.Lo) / float64(reps)
			}
		}
		for m, name := range []string{"lcmcr", "loglinear", "dga"} {
			rate := float64(hits[m]) / float64(reps)
			t.Logf("%s, N=%d: %s 95%% interval covers N in %d of %d (%.2f), mean width %.0f", sc.name, sc.n, name, hits[m], reps, rate, width[m])
			// LCMCR's model holds in every scenario here only for the
			// first two; log-linear and DGA model the third.
			holds := m == 0 && si < 2 || m > 0 && si != 1
			if longTests() && holds && rate < 0.88 {
				t.Errorf("%s on %s: coverage %.2f, want about 0.95", name, sc.name, rate)
			}
		}
	}
}
