package estimate

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

func readTestTable(t *testing.T, name string) Table {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, _, err := ReadCounts(f)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestFitLoglinearClosedForms checks IRLS against the closed-form maximum
// likelihood estimates of decomposable models (Bishop, Fienberg & Holland
// 1975, §6.4): for two lists the independence model is Lincoln–Petersen,
// n1 n2 / m; for three lists with interaction A:B only, it is Lincoln–Petersen
// between C and the union of A and B; with all three pairs the unobserved cell
// is n111 n100 n010 n001 / (n110 n101 n011).
func TestFitLoglinearClosedForms(t *testing.T) {
	two := readTestTable(t, "two_lists.csv")
	three := readTestTable(t, "three_lists.csv")
	c := func(h uint32) float64 { return float64(three.Counts[h]) }
	union := c(1) + c(2) + c(3) + c(5) + c(6) + c(7)
	onC := c(4) + c(5) + c(6) + c(7)
	both := c(5) + c(6) + c(7)
	tests := []struct {
		name  string
		table Table
		model Model
		want  float64
	}{
		{"Lincoln-Petersen", two, Model{}, 350.0 * 200 / 50},
		{"three lists A:B", three, Model{Pairs: []Pair{{0, 1}}}, union * onC / both},
		{"three lists all pairs", three, Model{Pairs: []Pair{{0, 1}, {0, 2}, {1, 2}}},
			float64(three.Observed()) + c(7)*c(1)*c(2)*c(4)/(c(3)*c(5)*c(6))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := FitLoglinear(tc.table, tc.model)
			if err != nil {
				t.Fatal(err)
			}
			if !f.Converged || math.Abs(f.Estimate-tc.want) > 1e-8*tc.want {
				t.Errorf("estimate %.10g (converged %v), want %.10g", f.Estimate, f.Converged, tc.want)
			}
		})
	}
}

// TestIndependentListsRecoverN simulates N=5000 people captured
// independently with probabilities 0.3, 0.4, 0.5: the independence model
// (the true one) must land within 3% of N and its 95% profile interval must
// cover N.
func TestIndependentListsRecoverN(t *testing.T) {
	const N = 5000
	tab := simulateTable(t, 7, N, 3, independentLists(0.3, 0.4, 0.5))
	f, iv := independenceWithInterval(t, tab)
	t.Logf("observed %d, estimate %.1f, 95%% CI [%.1f, %.1f]", f.Observed, f.Estimate, iv.Lo, iv.Hi)
	if rel := f.Estimate/N - 1; rel > 0.03 || rel < -0.03 {
		t.Errorf("estimate %.1f is %.1f%% from N=%d", f.Estimate, 100*rel, N)
	}
	if !(iv.Lo <= f.Estimate && f.Estimate <= iv.Hi) || iv.Lo > N || iv.Hi < N {
		t.Errorf("interval [%.1f, %.1f] around %.1f does not cover N=%d", iv.Lo, iv.Hi, f.Estimate, N)
	}
}

// TestProfileIntervalSparse holds tables whose lists barely overlap, where
// the interval once came out below its own estimate: a refit warm-started
// far from its answer diverged, its coefficients seeded the next refit, and
// the search for the upper end stopped short of its limit. The bounds are
// Cormack's profile likelihood under independence, computed separately
// (the complete-table fit is the product of the margins, so l(N) has a
// closed form; golden section and bisection in float64).
func TestProfileIntervalSparse(t *testing.T) {
	for _, tc := range []struct {
		name           string
		lists          []string
		counts         map[uint32]int
		wantLo, wantHi float64
	}{
		{"two lists of 1000 sharing one", []string{"a", "b"},
			map[uint32]int{1: 999, 2: 999, 3: 1}, 227663.1556, 17491696.66},
		{"three lists, one overlap", []string{"a", "b", "c"},
			map[uint32]int{1: 50, 2: 40, 4: 30, 3: 1}, 1127.414431, 82830.27691},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := NewTable(tc.lists, tc.counts)
			if err != nil {
				t.Fatal(err)
			}
			f, iv := independenceWithInterval(t, tab)
			if !(iv.Lo <= f.Estimate && f.Estimate <= iv.Hi) {
				t.Errorf("interval [%.1f, %.1f] does not hold its estimate %.1f", iv.Lo, iv.Hi, f.Estimate)
			}
			if math.Abs(iv.Lo/tc.wantLo-1) > 1e-6 || math.Abs(iv.Hi/tc.wantHi-1) > 1e-6 {
				t.Errorf("interval [%.6g, %.6g], want [%.6g, %.6g]", iv.Lo, iv.Hi, tc.wantLo, tc.wantHi)
			}
		})
	}
}

// TestSelectFindsDependence simulates lists A and B that share sources
// (people on A are far more likely to be on B): AIC must select a model with
// A:B, and that model must be closer to N than independence, which
// underestimates under positive dependence.
func TestSelectFindsDependence(t *testing.T) {
	const N = 5000
	tab := simulateTable(t, 11, N, 3, func(r *rand.Rand) uint32 {
		h := independentLists(0.3, 0, 0.4)(r)
		pB := 0.15
		if h&1 != 0 {
			pB = 0.7
		}
		if r.Float64() < pB {
			h |= 2
		}
		return h
	})
	for _, c := range []Criterion{AIC, BIC} {
		s, err := SelectLoglinear(context.Background(), tab, c)
		if err != nil {
			t.Fatal(err)
		}
		indep, err := FitLoglinear(tab, Model{})
		if err != nil {
			t.Fatal(err)
		}
		best := s.Best
		t.Logf("criterion %d: best %s estimate %.1f; independence %.1f", c, best.Model.Formula(tab.Lists), best.Estimate, indep.Estimate)
		if !best.Model.Has(0, 1) {
			t.Errorf("criterion %d chose %s, want A:B", c, best.Model.Formula(tab.Lists))
		}
		if abs(best.Estimate-N) >= abs(indep.Estimate-N) {
			t.Errorf("criterion %d: selected estimate %.1f no closer to %d than independence %.1f", c, best.Estimate, N, indep.Estimate)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestFitLoglinearNoMLE: with no one on exactly A and B, the all-pairs
// closed form divides by zero, so IRLS must report non-convergence with a
// warning and selection must skip that model rather than fail.
func TestFitLoglinearNoMLE(t *testing.T) {
	tab, err := NewTable([]string{"A", "B", "C"}, map[uint32]int{1: 40, 2: 50, 4: 60, 5: 10, 6: 12, 7: 3})
	if err != nil {
		t.Fatal(err)
	}
	f, err := FitLoglinear(tab, Model{Pairs: []Pair{{0, 1}, {0, 2}, {1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Converged || len(f.Warnings) == 0 {
		t.Errorf("converged=%v warnings=%v estimate=%g, want a non-convergence warning", f.Converged, f.Warnings, f.Estimate)
	}
	s, err := SelectLoglinear(context.Background(), tab, AIC)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) == 0 || len(s.Best.Model.Pairs) == 3 {
		t.Errorf("selection kept the model without an MLE: best %v, warnings %v", s.Best.Model, s.Warnings)
	}
}

func TestFitLoglinearRejects(t *testing.T) {
	two := readTestTable(t, "two_lists.csv")
	tests := []struct {
		name  string
		model Model
	}{
		{"more parameters than cells", Model{Pairs: []Pair{{0, 1}}}},
		{"pair out of range", Model{Pairs: []Pair{{0, 2}}}},
		{"pair not ordered", Model{Pairs: []Pair{{1, 0}}}},
	}
	for _, tc := range tests {
		if _, err := FitLoglinear(two, tc.model); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// TestSelectStepwise exercises forward selection on six lists, where one
// strong dependence (C:D) is planted among independent lists.
func TestSelectStepwise(t *testing.T) {
	const N = 20000
	tab := simulateTable(t, 3, N, 6, func(r *rand.Rand) uint32 {
		h := independentLists(0.2, 0.25, 0.3, 0, 0.2, 0.15)(r)
		pD := 0.1
		if h&4 != 0 {
			pD = 0.6
		}
		if r.Float64() < pD {
			h |= 8
		}
		return h
	})
	s, err := SelectLoglinear(context.Background(), tab, BIC)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("best %s: %.1f", s.Best.Model.Formula(tab.Lists), s.Best.Estimate)
	if !s.Best.Model.Has(2, 3) || abs(s.Best.Estimate/N-1) > 0.05 {
		t.Errorf("best %s estimate %.1f, want C:D and within 5%% of %d", s.Best.Model.Formula(tab.Lists), s.Best.Estimate, N)
	}
}

// TestProfileIntervalCoverage checks calibration: over 300 simulated
// two-list studies (N=1000, p=0.3 and 0.4) the 95% profile interval must
// cover N in 91–99% of them.
func TestProfileIntervalCoverage(t *testing.T) {
	const N, reps = 1000, 300
	covered := 0
	for seed := range uint64(reps) {
		tab := simulateTable(t, 100+seed, N, 2, independentLists(0.3, 0.4))
		iv, _, err := ProfileInterval(context.Background(), tab, Model{}, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if iv.Lo <= N && N <= iv.Hi {
			covered++
		}
	}
	if rate := float64(covered) / reps; rate < 0.91 || rate > 0.99 {
		t.Errorf("coverage %.3f, want about 0.95", rate)
	}
	t.Logf("coverage %d/%d", covered, reps)
}

// TestLoglinearCancelled: selection and the profile interval stop on a
// cancelled context with its error, as a Ctrl-C in the CLI needs (15 lists
// once took 102 s with no way to stop them).
func TestLoglinearCancelled(t *testing.T) {
	tab := simulateTable(t, 4, 2000, 4, independentLists(0.3, 0.4, 0.5, 0.2))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := SelectLoglinear(ctx, tab, AIC); !errors.Is(err, context.Canceled) {
		t.Errorf("selection: %v", err)
	}
	if _, _, err := ProfileInterval(ctx, tab, Model{}, 0.95); !errors.Is(err, context.Canceled) {
		t.Errorf("profile interval: %v", err)
	}
}

// independenceWithInterval fits the independence model and its 95% profile
// interval, failing the test on an error or a warning.
func independenceWithInterval(t *testing.T, tab Table) (LoglinearFit, Interval) {
	t.Helper()
	f, err := FitLoglinear(tab, Model{})
	if err != nil {
		t.Fatal(err)
	}
	iv, warnings, err := ProfileInterval(context.Background(), tab, Model{}, 0.95)
	if err != nil || len(warnings) > 0 {
		t.Fatal(err, warnings)
	}
	return f, iv
}
