package estimate

import (
	"cmp"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"peyvand"
)

// TestDecomposableGraphCounts checks the enumeration against the number of
// labelled chordal graphs (OEIS A058862: 1, 2, 8, 61, 822) and that each
// graph's cliques and separators obey the running intersection property,
// by which Σ|C| − Σ|S| = k for a connected decomposable graph.
func TestDecomposableGraphCounts(t *testing.T) {
	for _, tc := range []struct{ k, want int }{{1, 1}, {2, 2}, {3, 8}, {4, 61}, {5, 822}} {
		graphs := decomposableGraphs(tc.k)
		t.Logf("k=%d: %d decomposable graphs", tc.k, len(graphs))
		if len(graphs) != tc.want {
			t.Errorf("k=%d: %d decomposable graphs, want %d", tc.k, len(graphs), tc.want)
		}
		for _, g := range graphs {
			size := 0
			for _, c := range g.cliques {
				size += popcount(c)
			}
			for _, s := range g.separators {
				size -= popcount(s)
			}
			if size != tc.k {
				t.Errorf("k=%d: cliques %b separators %b cover %d vertices", tc.k, g.cliques, g.separators, size)
			}
		}
	}
	// The 4-cycle is the smallest graph that is not chordal.
	if _, ok := chordalGraph([]uint32{0b1010, 0b0101, 0b1010, 0b0101}); ok {
		t.Error("the 4-cycle A-B-C-D-A was accepted as chordal")
	}
}

func popcount(x uint32) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// TestDGAIndependenceGraph fits the independence graph alone to lists that
// are independent by construction.
func TestDGAIndependenceGraph(t *testing.T) {
	const n = 2000
	tab := simulateTable(t, 7, n, 3, independentLists(0.3, 0.4, 0.5))
	indep := decomposableGraphs(3)[0]
	if len(indep.cliques) != 3 || len(indep.separators) != 0 {
		t.Fatalf("first graph has cliques %b, separators %b; want the empty graph", indep.cliques, indep.separators)
	}
	res, err := dgaFit(context.Background(), tab, []dgaGraph{indep}, DGAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("observed %d, median %.0f, 95%% CI [%.0f, %.0f], model %s", res.Observed, res.Median, res.CI95.Lo, res.CI95.Hi, res.Models[0].Formula)
	if res.CI95.Lo > n || res.CI95.Hi < n {
		t.Errorf("95%% interval [%g, %g] misses N = %d", res.CI95.Lo, res.CI95.Hi, n)
	}
	if math.Abs(res.Median-n) > 0.03*n {
		t.Errorf("median %g is more than 3%% from N = %d", res.Median, n)
	}
	if res.Models[0].Formula != "A + B + C" || len(res.Warnings) != 0 {
		t.Errorf("formula %q, warnings %v", res.Models[0].Formula, res.Warnings)
	}
}

// TestDGAAveraging runs the full model average on independent and on
// dependent lists, for both priors on N.
func TestDGAAveraging(t *testing.T) {
	const n = 2000
	// B copies A: a person on A is on B with probability 0.8, else 0.1.
	dependent := func(r *rand.Rand) uint32 {
		var h uint32
		if r.Float64() < 0.3 {
			h |= 1
		}
		if pb := []float64{0.1, 0.8}[h&1]; r.Float64() < pb {
			h |= 2
		}
		if r.Float64() < 0.5 {
			h |= 4
		}
		return h
	}
	tests := []struct {
		name    string
		k       int
		history func(*rand.Rand) uint32
		opt     DGAOptions
		edgeAB  bool // whether the A–B edge must carry most of the mass
	}{
		{"independent 3 lists", 3, independentLists(0.3, 0.4, 0.5), DGAOptions{}, false},
		{"independent 4 lists uniform prior", 4, independentLists(0.3, 0.4, 0.5, 0.2), DGAOptions{UniformPrior: true}, false},
		{"A-B dependence", 3, dependent, DGAOptions{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab := simulateTable(t, 11, n, tc.k, tc.history)
			res, err := DGA(context.Background(), tab, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			sumN, sumG, withAB := 0.0, 0.0, 0.0
			for _, p := range res.Posterior {
				sumN += p
			}
			for _, m := range res.Models {
				sumG += m.Probability
				for _, c := range m.Cliques {
					if slices.Contains(c, 0) && slices.Contains(c, 1) {
						withAB += m.Probability
						break
					}
				}
			}
			t.Logf("observed %d, grid to %d, median %.0f, 95%% CI [%.0f, %.0f]; p(A–B edge) %.4f; top models %s %.3f, %s %.3f",
				res.Observed, res.Observed+len(res.Posterior)-1, res.Median, res.CI95.Lo, res.CI95.Hi, withAB,
				res.Models[0].Formula, res.Models[0].Probability, res.Models[1].Formula, res.Models[1].Probability)
			if math.Abs(sumN-1) > 1e-9 || math.Abs(sumG-1) > 1e-9 {
				t.Errorf("posterior over N sums to %v, over models to %v; want 1", sumN, sumG)
			}
			if len(res.Models) != len(decomposableGraphs(tc.k)) || !slices.IsSortedFunc(res.Models, func(a, b DGAModel) int {
				return cmp.Compare(b.Probability, a.Probability)
			}) {
				t.Errorf("%d models, not all graphs or not sorted descending", len(res.Models))
			}
			if res.CI95.Lo > n || res.CI95.Hi < n {
				t.Errorf("95%% interval [%g, %g] misses N = %d", res.CI95.Lo, res.CI95.Hi, n)
			}
			if tc.edgeAB && withAB < 0.95 {
				t.Errorf("graphs with edge A–B carry %.3f of the posterior, want most", withAB)
			}
			if len(res.Warnings) != 0 {
				t.Errorf("warnings %v", res.Warnings)
			}
		})
	}
}

// TestDGAShortGrid checks that a grid ending before the posterior has
// decayed is reported, and that the default grid is extended until it has.
func TestDGAShortGrid(t *testing.T) {
	tab := simulateTable(t, 3, 2000, 3, independentLists(0.3, 0.4, 0.5))
	res, err := DGA(context.Background(), tab, DGAOptions{NMax: tab.Observed() + 50})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("NMax %d: warnings %v", tab.Observed()+50, res.Warnings)
	if len(res.Warnings) == 0 {
		t.Error("no warning for a grid that ends before the posterior mode")
	}
	// With only 40 people on sparse lists, 5×Observed is too short.
	small := simulateTable(t, 5, 400, 3, independentLists(0.05, 0.06, 0.05))
	res, err = DGA(context.Background(), small, DGAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("observed %d: grid extended to %d, median %.0f, 95%% CI [%.0f, %.0f], warnings %v",
		res.Observed, res.Observed+len(res.Posterior)-1, res.Median, res.CI95.Lo, res.CI95.Hi, res.Warnings)
	if len(res.Posterior) <= dgaDefaultFactor*res.Observed-res.Observed+1 && len(res.Warnings) == 0 {
		t.Error("default grid neither extended nor warned about")
	}
}

// TestDGACoarseGrid checks the grid that large tables get: read every 7th
// N, the posterior of 20,000 people gives the quantiles of the full grid to
// within the spacing and the same graph probabilities; 40 million people
// run on a bounded grid; and a cancelled run stops.
func TestDGACoarseGrid(t *testing.T) {
	ctx := context.Background()
	tab := simulateTable(t, 8, 30000, 3, independentLists(0.3, 0.4, 0.5))
	graphs := decomposableGraphs(3)
	nmax := dgaDefaultFactor * tab.Observed()
	results := make([]DGAResult, 2)
	for i, step := range []int{1, 7} {
		p := newDGAPosterior(tab, graphs, DGAOptions{Delta: 1}, step)
		if err := p.extend(ctx, nmax); err != nil {
			t.Fatal(err)
		}
		results[i] = p.result()
	}
	fine, coarse := results[0], results[1]
	t.Logf("observed %d: every N %.0f [%.0f, %.0f], every 7th %.0f [%.0f, %.0f]", tab.Observed(),
		fine.Median, fine.CI95.Lo, fine.CI95.Hi, coarse.Median, coarse.CI95.Lo, coarse.CI95.Hi)
	for _, q := range [][2]float64{{fine.Median, coarse.Median}, {fine.CI95.Lo, coarse.CI95.Lo}, {fine.CI95.Hi, coarse.CI95.Hi}} {
		if math.Abs(q[0]-q[1]) > 7 {
			t.Errorf("quantile %.0f on the full grid, %.0f every 7th", q[0], q[1])
		}
	}
	for i := range fine.Models {
		if math.Abs(fine.Models[i].Probability-coarse.Models[i].Probability) > 1e-3 {
			t.Errorf("graph %s: %.4f on the full grid, %.4f every 7th", fine.Models[i].Formula, fine.Models[i].Probability, coarse.Models[i].Probability)
		}
	}
	// The same table a thousand times over: the grid stays bounded, and
	// the estimate scales with it.
	big := Table{Lists: tab.Lists, Counts: map[uint32]int{}}
	for h, c := range tab.Counts {
		big.Counts[h] = 1000 * c
	}
	res, err := DGA(ctx, big, DGAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Posterior) > 4*dgaGridPoints || res.Step < 2 {
		t.Errorf("grid of %d points, spacing %d, for %d observed", len(res.Posterior), res.Step, res.Observed)
	}
	if rel := res.Median/(1000*fine.Median) - 1; math.Abs(rel) > 0.01 {
		t.Errorf("×1000 table: median %.0f, want about %.0f", res.Median, 1000*fine.Median)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := DGA(cancelled, big, DGAOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestDGAInvalid rejects too few lists and bad options.
func TestDGAInvalid(t *testing.T) {
	two, err := NewTable([]string{"A", "B"}, map[uint32]int{1: 10, 2: 20, 3: 5})
	if err != nil {
		t.Fatal(err)
	}
	three := simulateTable(t, 1, 500, 3, independentLists(0.3, 0.4, 0.5))
	for name, call := range map[string]func() error{
		"two lists":      func() error { _, err := DGA(context.Background(), two, DGAOptions{}); return err },
		"negative delta": func() error { _, err := DGA(context.Background(), three, DGAOptions{Delta: -1}); return err },
		"NMax too small": func() error { _, err := DGA(context.Background(), three, DGAOptions{NMax: 10}); return err },
	} {
		err := call()
		var perr *peyvand.Error
		if !errors.As(err, &perr) || perr.Code != peyvand.EINVALID {
			t.Errorf("%s: error %v, want %s", name, err, peyvand.EINVALID)
		}
	}
}

// TestDGAChainLikelihood checks the clique/separator formula for the chain
// A–B–C against the hyper-Dirichlet written out conditionally (Dawid &
// Lauritzen 1993): p(n | G) = DM(n_B) Π_b DM(n_A|b) DM(n_C|b), each a
// Dirichlet-multinomial with the prior of the margin split evenly, δ·2^k
// for B's two cells together and half of a B cell for each child cell.
func TestDGAChainLikelihood(t *testing.T) {
	tab := simulateTable(t, 9, 1000, 3, independentLists(0.3, 0.4, 0.5))
	g, ok := chordalGraph([]uint32{0b010, 0b101, 0b010})
	if !ok || len(g.cliques) != 2 || !slices.Equal(g.separators, []uint32{0b010}) {
		t.Fatalf("chain A-B-C: cliques %b separators %b", g.cliques, g.separators)
	}
	const delta = 0.5
	res, err := dgaFit(context.Background(), tab, []dgaGraph{g}, DGAOptions{Delta: delta})
	if err != nil {
		t.Fatal(err)
	}
	lDM := func(alpha float64, n ...float64) float64 {
		sum := lgamma(alpha*float64(len(n))) - lgamma(alpha*float64(len(n))+n[0]+n[1])
		for _, v := range n {
			sum += lgamma(alpha+v) - lgamma(alpha)
		}
		return sum
	}
	direct := func(N int) float64 {
		y := tab.dense()
		y[0] = float64(N - res.Observed)
		v := lgamma(float64(N)+1) - lgamma(y[0]+1) - math.Log(float64(N))
		v += lDM(4*delta, y[0]+y[1]+y[4]+y[5], y[2]+y[3]+y[6]+y[7])
		for _, b := range []int{0, 2} { // cells with B absent, present
			v += lDM(2*delta, y[b]+y[b|4], y[b|1]+y[b|5]) // A given B = b
			v += lDM(2*delta, y[b]+y[b|1], y[b|4]+y[b|5]) // C given B = b
		}
		return v
	}
	for _, i := range []int{0, 100, 400, 900} {
		got := math.Log(res.Posterior[i] / res.Posterior[200])
		want := direct(res.Observed+i) - direct(res.Observed+200)
		if math.Abs(got-want) > 1e-8*math.Max(1, math.Abs(want)) {
			t.Errorf("log p(N=%d)/p(N=%d) = %.10g, want %.10g", res.Observed+i, res.Observed+200, got, want)
		}
	}
	t.Logf("chain A-B-C: observed %d, median %.0f, 95%% CI [%.0f, %.0f]", res.Observed, res.Median, res.CI95.Lo, res.CI95.Hi)
}
