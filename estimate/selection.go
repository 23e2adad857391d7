package estimate

import (
	"context"
	"fmt"
	"math"
	"strings"

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
	Skipped    []SkippedModel // every model set aside, and why
	Warnings   []Warning      // one summary of Skipped, when any was
}

// SkippedModel is a candidate model that selection set aside.
type SkippedModel struct {
	Model  Model
	Reason string  // e.g. "no maximum-likelihood estimate, a fitted margin is zero"
	Detail Warning // the fit's own warning or error, naming the model
}

// reasonNoMLE is why a model whose IRLS did not converge is set aside.
const reasonNoMLE = "no maximum-likelihood estimate, a fitted margin is zero"

// SelectLoglinear chooses among hierarchical log-linear models with all main
// effects and up to all two-way interactions the one minimising criterion c.
// For k ≤ 5 lists every subset of pairs is fitted; for more lists it adds,
// one at a time, the pair that most lowers c, and stops when none does
// (forward stepwise). Models whose MLE does not exist or whose parameters are
// not identified are set aside (Skipped), summed up in one warning. A
// cancelled ctx stops it between fits with ctx's error.
func SelectLoglinear(ctx context.Context, t Table, c Criterion) (Selection, error) {
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
	tried := 0
	try := func(m Model, start []float64) (LoglinearFit, bool) {
		if m.numParams(k) > 1<<k-1 {
			return LoglinearFit{}, false
		}
		if ctx.Err() != nil {
			return LoglinearFit{}, false
		}
		tried++
		f, err := fitLoglinear(t, m, start)
		if err != nil {
			msg := peyvand.ErrorMessage(err)
			reason := strings.TrimPrefix(msg, "model "+m.Formula(t.Lists)+": ")
			s.Skipped = append(s.Skipped, SkippedModel{Model: m, Reason: reason, Detail: Warning{Message: "skipped: " + msg}})
			return LoglinearFit{}, false
		}
		if !f.Converged {
			detail := Warning{Message: "model " + m.Formula(t.Lists) + ": " + reasonNoMLE}
			if len(f.Warnings) > 0 {
				detail = f.Warnings[0]
			}
			s.Skipped = append(s.Skipped, SkippedModel{Model: m, Reason: reasonNoMLE, Detail: detail})
			return LoglinearFit{}, false
		}
		s.Candidates = append(s.Candidates, f)
		return f, true
	}
	best, bestScore := LoglinearFit{}, math.Inf(1)
	consider := func(m Model, start []float64) bool {
		f, ok := try(m, start)
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
			consider(m, nil)
		}
	} else {
		consider(Model{}, nil)
		for improved := true; improved; {
			improved = false
			current := best
			// Each candidate adds one pair, whose term comes last: the
			// current model's coefficients and a zero start its fit a few
			// Newton steps from the answer (13 lists: 71 s before).
			for _, p := range pairs {
				if current.Model.Has(p[0], p[1]) {
					continue
				}
				m := Model{Pairs: append(append([]Pair(nil), current.Model.Pairs...), p)}
				improved = consider(m, append(append([]float64(nil), current.Coef...), 0)) || improved
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return Selection{}, err
	}
	if math.IsInf(bestScore, 1) {
		if ws := Diagnose(t); len(ws) == 1 && ws[0].Message == noOverlap {
			return s, peyvand.Errorf(peyvand.EINVALID, "no log-linear model can be fitted: %s", noOverlap)
		}
		return s, peyvand.Errorf(peyvand.EINVALID, "no log-linear model could be fitted to these counts: %s", skippedSummary(s.Skipped, tried, t.Lists))
	}
	if len(s.Skipped) > 0 {
		s.Warnings = []Warning{{Message: skippedSummary(s.Skipped, tried, t.Lists)}}
	}
	s.Best = best
	return s, nil
}

// skippedSummary is one warning for every model set aside: how many, why,
// and at most three examples, named by their interactions. One line per
// model buried the warnings that matter, those about the chosen model,
// under dozens about models that were never candidates.
func skippedSummary(skipped []SkippedModel, tried int, lists []string) string {
	var reasons []string
	n := map[string]int{}
	for _, sk := range skipped {
		if n[sk.Reason] == 0 {
			reasons = append(reasons, sk.Reason)
		}
		n[sk.Reason]++
	}
	why := make([]string, len(reasons))
	for i, r := range reasons {
		why[i] = fmt.Sprintf("%d: %s", n[r], r)
	}
	var eg []string
	for _, sk := range skipped[:min(3, len(skipped))] {
		eg = append(eg, interactions(sk.Model, lists))
	}
	return fmt.Sprintf("%d of %d candidate log-linear models set aside, not considered for the estimate — %s. Examples (their interactions): %s",
		len(skipped), tried, strings.Join(why, "; "), strings.Join(eg, "; "))
}

// interactions names a model by its pairs, e.g. "a:b + a:c", the first
// four of them, or "none" for the independence model.
func interactions(m Model, lists []string) string {
	if len(m.Pairs) == 0 {
		return "none"
	}
	terms := make([]string, 0, 5)
	for i, p := range m.Pairs {
		if i == 4 {
			terms = append(terms, fmt.Sprintf("%d more", len(m.Pairs)-i))
			break
		}
		terms = append(terms, lists[p[0]]+":"+lists[p[1]])
	}
	return strings.Join(terms, " + ")
}
