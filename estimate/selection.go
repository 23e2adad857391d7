package estimate

import (
	"math"

	"peyvand"
)

// Criterion is an information criterion for choosing a log-linear model.
type Criterion int

// Information criteria: AIC = -2 logL + 2p; BIC = -2 logL + p log(n) with n
// the number of people observed (Rcapture's convention).
const (
	AIC Criterion = iota
	BIC
)

func (c Criterion) of(f LoglinearFit) float64 {
	if c == BIC {
		return f.BIC
	}
	return f.AIC
}

// enumerateMaxLists is the largest k for which every subset of the
// k(k-1)/2 pairs is fitted (2^10 models at k=5); beyond it selection is
// forward stepwise.
const enumerateMaxLists = 5

// Selection is the outcome of SelectLoglinear.
type Selection struct {
	Best       LoglinearFit
	Candidates []LoglinearFit // every converged model considered
	Warnings   []Warning      // models skipped and why
}

// SelectLoglinear chooses among hierarchical log-linear models with all main
// effects and up to all two-way interactions the one minimising criterion c.
// For k ≤ 5 lists every subset of pairs is fitted; for more lists it adds,
// one at a time, the pair that most lowers c, and stops when none does
// (forward stepwise). Models whose MLE does not exist or whose parameters are
// not identified are skipped with a warning.
func SelectLoglinear(t Table, c Criterion) (Selection, error) {
	if err := t.Validate(); err != nil {
		return Selection{}, err
	}
	k := t.K()
	var pairs []Pair
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			pairs = append(pairs, Pair{i, j})
		}
	}
	var s Selection
	try := func(m Model) (LoglinearFit, bool) {
		if m.numParams(k) > 1<<k-1 {
			return LoglinearFit{}, false
		}
		f, err := FitLoglinear(t, m)
		if err != nil {
			s.Warnings = append(s.Warnings, Warning{Message: "skipped: " + err.Error()})
			return LoglinearFit{}, false
		}
		if !f.Converged {
			s.Warnings = append(s.Warnings, f.Warnings...)
			return LoglinearFit{}, false
		}
		s.Candidates = append(s.Candidates, f)
		return f, true
	}
	best, bestScore := LoglinearFit{}, math.Inf(1)
	consider := func(m Model) bool {
		f, ok := try(m)
		if ok && c.of(f) < bestScore {
			best, bestScore = f, c.of(f)
			return true
		}
		return false
	}
	if k <= enumerateMaxLists {
		for mask := 0; mask < 1<<len(pairs); mask++ {
			var m Model
			for b, p := range pairs {
				if mask>>b&1 == 1 {
					m.Pairs = append(m.Pairs, p)
				}
			}
			consider(m)
		}
	} else {
		consider(Model{})
		for improved := true; improved; {
			improved = false
			current := best.Model
			for _, p := range pairs {
				if current.Has(p[0], p[1]) {
					continue
				}
				m := Model{Pairs: append(append([]Pair(nil), current.Pairs...), p)}
				improved = consider(m) || improved
			}
		}
	}
	if math.IsInf(bestScore, 1) {
		return s, peyvand.Errorf(peyvand.EINVALID, "no log-linear model could be fitted to these counts")
	}
	s.Best = best
	return s, nil
}
