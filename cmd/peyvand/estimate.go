package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"peyvand"
	"peyvand/estimate"
)

const estimateUsage = `Usage: peyvand estimate (--counts FILE.csv | --clusters FILE.csv) [flags]

Estimates how many people no list recorded, from the overlap of several
lists (multiple systems estimation), with a 95% interval.

Input, one of:
  --counts FILE.csv    one 0/1 column per list and a count column: how many
                       persons were seen on exactly that combination of lists
                       (delimited by comma, semicolon, tab or |; the count
                       may be headed n or freq; cells may be yes/no or x)
  --clusters FILE.csv  source,record_id,cluster_id (as peyvand link writes it):
                       each source is a list, each cluster a person

Methods:
  lcmcr      Bayesian latent-class model (Manrique-Vallier 2016), the model
             human-rights statisticians use; reproducible with --seed; the
             chains run on until they have mixed, unless --thin is given
  loglinear  log-linear models with list interactions, chosen by AIC (or
             --criterion bic), with a profile-likelihood interval
  dga        Bayesian model averaging over decomposable graphical models
             (Madigan & York 1997), 3 to 5 lists

Example:
  peyvand estimate --counts lists.csv --method lcmcr --seed 7 --format json
  peyvand estimate --counts lists.csv --method lcmcr --thin 50   # a fixed length
  peyvand estimate --counts by-province.csv --strata province
`

// estimateExplanation is printed with every estimate, because it will be
// quoted.
const estimateExplanation = `What this means: the estimate is the number of people in the population the lists
describe — those on at least one list plus those on none — inferred from how much
the lists overlap. The 95% interval is the uncertainty: under the model, it holds the
true number with 95% probability (lcmcr), or intervals made this way hold it 95 times
in 100 (loglinear). It assumes: a closed population (the same people could
have been on every list); that each record was matched to the right person (linkage
errors bias the estimate); and that the dependence between lists and the differences
between people are captured by the model (latent classes for lcmcr, list
interactions for loglinear and dga). Lists that all miss the same kind of victim cannot
reveal that group: the estimate then is too low.`

// fit is one estimate: of the whole run, or of one stratum.
type fit struct {
	Observed int       `json:"observed"`
	Estimate float64   `json:"estimate"`
	CI95     []float64 `json:"ci95"`
	Model    string    `json:"model,omitempty"`
	ESS      float64   `json:"ess,omitempty"`
	RHat     float64   `json:"rhat,omitempty"`
	Thin     int       `json:"thin,omitempty"`   // lcmcr: sweeps per kept draw in the end
	Sweeps   int       `json:"sweeps,omitempty"` // lcmcr: sweeps per chain, burn-in included
}

type estimateOutput struct {
	Method string   `json:"method"`
	Lists  []string `json:"lists"`
	fit
	Seed        uint64          `json:"seed,omitempty"`
	Warnings    []string        `json:"warnings"`
	Strata      []stratumOutput `json:"strata,omitempty"`
	Explanation string          `json:"explanation"`
}

// stratumOutput is one stratum's estimate, when the run is stratified.
type stratumOutput struct {
	Name string `json:"name"`
	fit
	Warnings []string `json:"warnings,omitempty"`
}

func (m *Main) estimateCmd(ctx context.Context, args []string) error {
	fs := m.flags("estimate", estimateUsage)
	counts := fs.String("counts", "", "capture-history counts (CSV)")
	clusters := fs.String("clusters", "", "clusters file: source,record_id,cluster_id (CSV)")
	method := fs.String("method", "lcmcr", "lcmcr, loglinear or dga")
	criterion := fs.String("criterion", "aic", "loglinear: model selection by aic or bic")
	seed := fs.Uint64("seed", 1, "lcmcr: random seed (the same seed gives the same result)")
	thin := fs.Int("thin", 10, "lcmcr: sweeps per kept draw; unless given, the chains run on (thinning doubled, up to 320) until they have mixed")
	format := fs.String("format", "text", "text or json")
	strata := fs.String("strata", "", "column to stratify by (e.g. province): one estimate per stratum, and their sum")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*counts == "") == (*clusters == "") {
		return usageErrorf("estimate: give exactly one of --counts and --clusters")
	}
	if *format != "text" && *format != "json" {
		return usageErrorf("estimate: --format %q is not text or json", *format)
	}
	if *thin < 1 {
		return usageErrorf("estimate: --thin %d: must be at least 1", *thin)
	}
	// A thinning the user chose is kept; the default one grows until the
	// chains have mixed, so that the figure printed is one to quote.
	maxThin := *thin
	if !flagGiven(fs, "thin") {
		maxThin = lcmcrMaxThin
	}
	var st estimate.Strata
	var warns []estimate.Warning
	var err error
	if *counts != "" {
		st, warns, err = readCountsFile(*counts, *strata)
	} else {
		st, warns, err = estimate.ReadClusters(*clusters, *strata)
	}
	if err != nil {
		m.readWarnings(warns)
		return err
	}
	var c estimate.Criterion
	switch {
	case *method != "lcmcr" && *method != "loglinear" && *method != "dga":
		return usageErrorf("estimate: --method %q is not lcmcr, loglinear or dga", *method)
	case *criterion == "aic":
		c = estimate.AIC
	case *criterion == "bic":
		c = estimate.BIC
	default:
		return usageErrorf("estimate: --criterion %q is not aic or bic", *criterion)
	}
	out := estimateOutput{Method: *method, Warnings: []string{}, Explanation: estimateExplanation}
	for _, w := range warns {
		out.Warnings = append(out.Warnings, w.String())
	}
	if flagGiven(fs, "thin") && *method != "lcmcr" {
		out.Warnings = append(out.Warnings, fmt.Sprintf("--thin applies to lcmcr only: ignored by %s", *method))
	}
	var results []estimate.LCMCRResult
	var dgaResults []estimate.DGAResult
	var skipped []string // strata without an estimate, and why
	skippedPeople := 0
	var firstErr error
	for i, name := range st.Names {
		all := st.Tables[name]
		t := all
		var dropNote []string
		if r, dropped := all.DropEmptyLists(); dropped != nil && r.K() >= minLists(*method) {
			t = r
			dropNote = []string{fmt.Sprintf("no one here is on %s: estimated from the other lists", quoteAll(dropped))}
		}
		one := estimateOutput{Method: *method, Lists: t.Lists, fit: fit{Observed: t.Observed()}, Warnings: dropNote}
		switch *method {
		case "lcmcr":
			var res estimate.LCMCRResult
			res, err = runLCMCR(ctx, t, *seed+uint64(i), *thin, maxThin, &one)
			results = append(results, res)
		case "dga":
			var res estimate.DGAResult
			res, err = runDGA(ctx, t, &one)
			dgaResults = append(dgaResults, res)
		default:
			err = runLoglinear(ctx, t, c, &one)
		}
		if err != nil && *strata != "" && peyvand.ErrorCode(err) == peyvand.EINVALID {
			// One small province that no model fits must not cost the
			// others their estimates; the total says it leaves it out.
			skipped = append(skipped, fmt.Sprintf("%q (%d observed): %s", name, t.Observed(), shortReason(err)))
			skippedPeople += t.Observed()
			if firstErr == nil {
				firstErr = fmt.Errorf("stratum %q: %w", name, err)
			}
			continue
		}
		if err != nil {
			m.readWarnings(warns)
			if name != "" {
				return fmt.Errorf("stratum %q: %w", name, err)
			}
			return err
		}
		for _, w := range estimate.Diagnose(t) {
			one.Warnings = append(one.Warnings, w.String())
		}
		if ratio := one.Estimate / float64(t.Observed()); ratio > 10 {
			one.Warnings = append(one.Warnings, fmt.Sprintf("the estimate is %.0f times the number observed: the lists overlap too little to pin it down; quote the interval, not the figure, and treat it as an order of magnitude", ratio))
		}
		if t.K() == 2 {
			one.Warnings = append(one.Warnings, "only two lists: their dependence cannot be estimated and is assumed away; a third independent list makes the estimate far more reliable")
		}
		if t.Observed() < 50 {
			one.Warnings = append(one.Warnings, fmt.Sprintf("only %d %s observed: too few for a stable estimate", t.Observed(), map[bool]string{true: "person", false: "persons"}[t.Observed() == 1]))
		}
		if *strata == "" {
			one.Warnings = append(out.Warnings, one.Warnings...)
			one.Explanation = out.Explanation
			return m.printEstimate(one, *format)
		}
		out.Lists, out.Observed, out.Estimate = all.Lists, out.Observed+one.Observed, out.Estimate+one.Estimate
		out.Strata = append(out.Strata, stratumOutput{Name: name, fit: one.fit, Warnings: one.Warnings})
	}
	if len(out.Strata) == 0 {
		m.readWarnings(warns)
		return fmt.Errorf("no stratum could be estimated; the first: %w", firstErr)
	}
	if len(skipped) > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%d %s no estimate, and the total leaves out their %d observed: %s",
			len(skipped), map[bool]string{true: "stratum has", false: "strata have"}[len(skipped) == 1], skippedPeople, strings.Join(skipped, "; ")))
	}
	switch *method {
	case "lcmcr":
		out.Seed = *seed
		med, ci := estimate.SumLCMCR(results)
		out.Estimate, out.CI95 = med, []float64{ci.Lo, ci.Hi}
	case "dga":
		med, ci := estimate.SumDGA(dgaResults)
		out.Estimate, out.CI95 = med, []float64{ci.Lo, ci.Hi}
	default:
		// Summing interval ends gives an interval at least as wide as the
		// total's: conservative, and said so.
		lo, hi := 0.0, 0.0
		for _, so := range out.Strata {
			lo, hi = lo+so.CI95[0], hi+so.CI95[1]
		}
		out.CI95 = []float64{lo, hi}
		out.Warnings = append(out.Warnings, "the total's interval sums the strata's intervals: it is wider than the exact one")
	}
	return m.printEstimate(out, *format)
}

// readWarnings writes to stderr what reading the input warned about, when
// the run ends in an error: a skipped row or a repeated history may be
// why. Errors go to stderr only, in every format, as in every command: the
// exit code says the run failed, and stdout stays empty.
func (m *Main) readWarnings(warns []estimate.Warning) {
	const most = 20 // enough to see a pattern; a flood would bury the error
	for i, w := range warns {
		if i == most {
			fmt.Fprintf(m.Stderr, "peyvand: … and %d more warnings\n", len(warns)-most)
			return
		}
		fmt.Fprintf(m.Stderr, "peyvand: warning: %s\n", w)
	}
}

// lcmcrMaxThin bounds how far the default run lengthens its chains: at
// thinning 320 a chain has made 330,000 sweeps, a few seconds for four
// chains on two cores with four or five lists.
const lcmcrMaxThin = 320

// minLists is the fewest lists a method can estimate from: two for
// log-linear models (Lincoln–Petersen), three for the latent classes of
// lcmcr and the graphs of dga, which two lists cannot identify.
func minLists(method string) int {
	if method == "loglinear" {
		return estimate.MinLists
	}
	return 3
}

// shortReason is an error's message up to its first colon: enough to say
// why a stratum has no estimate without the whole explanation each time.
func shortReason(err error) string {
	msg := peyvand.ErrorMessage(err)
	if i := strings.Index(msg, ": "); i > 0 {
		return msg[:i]
	}
	return msg
}

func runLCMCR(ctx context.Context, t estimate.Table, seed uint64, thin, maxThin int, out *estimateOutput) (estimate.LCMCRResult, error) {
	if t.K() < minLists("lcmcr") {
		// With two lists the model's answer is its prior's: an interval
		// that once excluded the Lincoln–Petersen estimate entirely.
		return estimate.LCMCRResult{}, peyvand.Errorf(peyvand.EINVALID, "lcmcr needs at least 3 lists: with %d the latent-class model is not identified, and its answer would be its prior's; use --method loglinear (for two lists, the Lincoln–Petersen estimate)", t.K())
	}
	res, err := estimate.LCMCR(ctx, t, estimate.LCMCROptions{Seed: seed, Thin: thin, MaxThin: maxThin})
	if err != nil {
		return res, err
	}
	out.Estimate, out.CI95, out.ESS, out.RHat, out.Seed = res.Median, []float64{res.CI95.Lo, res.CI95.Hi}, res.ESS, res.RHat, seed
	out.Thin, out.Sweeps = res.Thin, res.Sweeps
	// Chains that the default run already lengthened as far as it goes
	// mix too slowly for longer chains to be the answer (large tables, where
	// the unobserved and the capture probabilities move each other in tiny
	// steps, or tables that do not identify the classes).
	longer := fmt.Sprintf("longer chains (--thin %d) may help", 5*res.Thin)
	if res.Thin >= lcmcrMaxThin {
		longer = "at this length, longer chains are unlikely to help: compare with --method loglinear and dga"
	}
	if res.RHat > 1.1 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("the chains disagree (R-hat %.2f > 1.1) after %d sweeps each: the sampler has not converged, do not quote this estimate; %s", res.RHat, res.Sweeps, longer))
	} else if res.ESS < 400 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("effective sample size %.0f is small after %d sweeps per chain: the interval is rough; %s", res.ESS, res.Sweeps, longer))
	}
	return res, nil
}

func runDGA(ctx context.Context, t estimate.Table, out *estimateOutput) (estimate.DGAResult, error) {
	res, err := estimate.DGA(ctx, t, estimate.DGAOptions{})
	if err != nil {
		return res, err
	}
	out.Estimate, out.CI95 = res.Median, []float64{res.CI95.Lo, res.CI95.Hi}
	if len(res.Models) > 0 {
		out.Model = fmt.Sprintf("%s (posterior probability %.2f, of %d graphs)", res.Models[0].Formula, res.Models[0].Probability, len(res.Models))
	}
	// Under the graph with every interaction, the lists' overlap says
	// nothing about the people on no list: that graph's N is its prior.
	for _, g := range res.Models {
		// Its N sits near the count observed, so even a few percent of
		// the posterior pull the interval's lower end down to it.
		if len(g.Cliques) == 1 && len(g.Cliques[0]) == t.K() && g.Probability > 0.02 {
			what := "the estimate comes mostly from the prior on N"
			if g.Probability < 0.5 {
				what = "the interval's lower end comes from the prior on N"
			}
			out.Warnings = append(out.Warnings, fmt.Sprintf("the graph with every interaction (%s) carries %.2g of the posterior: under it the overlap says nothing about the people no list saw, so %s; compare with --method lcmcr and loglinear", g.Formula, g.Probability, what))
		}
	}
	for _, w := range res.Warnings {
		out.Warnings = append(out.Warnings, w.String())
	}
	return res, nil
}

func runLoglinear(ctx context.Context, t estimate.Table, c estimate.Criterion, out *estimateOutput) error {
	sel, err := estimate.SelectLoglinear(ctx, t, c)
	if err != nil {
		return err
	}
	for _, w := range sel.Warnings {
		out.Warnings = append(out.Warnings, w.String())
	}
	best := sel.Best
	iv, ws, err := estimate.ProfileInterval(ctx, t, best.Model, 0.95)
	if err != nil {
		return err
	}
	for _, w := range append(best.Warnings, ws...) {
		out.Warnings = append(out.Warnings, w.String())
	}
	out.Estimate, out.CI95, out.Model = best.Estimate, []float64{iv.Lo, iv.Hi}, best.Model.Formula(t.Lists)
	return nil
}

// Output rounding. The figures are numbers of people. Text shows the
// estimate to the nearest person and the interval's ends as whole persons
// rounded outward (the lower end down, the upper up), so that rounding
// never narrows the interval. JSON keeps the fractions, for scripts that
// compare runs, but to hundredths of a person: further digits
// (2793.1500000001) are solver tolerance and floating-point noise. R-hat
// keeps three decimals and the effective sample size none. Rounding is for
// output only: strata are summed before it.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// personsInterval is an interval's ends as whole persons, rounded outward
// (after hundredths, so 1399.9999999 is 1400, not 1399).
func personsInterval(ci []float64) (lo, hi float64) {
	return math.Floor(round2(ci[0])), math.Ceil(round2(ci[1]))
}

// roundedJSON returns f with its figures rounded for JSON.
func (f fit) roundedJSON() fit {
	f.Estimate, f.ESS, f.RHat = round2(f.Estimate), math.Round(f.ESS), math.Round(f.RHat*1000)/1000
	ci := make([]float64, len(f.CI95))
	for i, v := range f.CI95 {
		ci[i] = round2(v)
	}
	f.CI95 = ci
	return f
}

// jsonCI writes an interval for JSON, which has no infinity: an unbounded
// end is null.
func jsonCI(ci []float64) []*float64 {
	var out []*float64
	for _, v := range ci {
		v := v
		if math.IsInf(v, 0) || math.IsNaN(v) {
			out = append(out, nil)
		} else {
			out = append(out, &v)
		}
	}
	return out
}

func (m *Main) printEstimate(out estimateOutput, format string) error {
	if format == "json" {
		type stratumJSON struct {
			stratumOutput
			CI95 []*float64 `json:"ci95"`
		}
		type jsonOut struct {
			estimateOutput
			CI95   []*float64    `json:"ci95"`
			Strata []stratumJSON `json:"strata,omitempty"`
		}
		out.fit = out.fit.roundedJSON()
		j := jsonOut{estimateOutput: out, CI95: jsonCI(out.CI95)}
		for _, so := range out.Strata {
			so.fit = so.fit.roundedJSON()
			j.Strata = append(j.Strata, stratumJSON{stratumOutput: so, CI95: jsonCI(so.CI95)})
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(j)
	}
	lo, hi := personsInterval(out.CI95)
	fmt.Fprintf(m.Stdout, "method:    %s\nlists:     %s\nobserved:  %d persons on at least one list\nestimate:  %.0f\n95%% interval: %.0f – %.0f\n",
		out.Method, strings.Join(out.Lists, ", "), out.Observed, out.Estimate, lo, hi)
	if out.Model != "" {
		fmt.Fprintf(m.Stdout, "model:     %s\n", out.Model)
	}
	if out.RHat != 0 {
		fmt.Fprintf(m.Stdout, "sampler:   seed %d, %d sweeps per chain, one in %d kept, effective sample size %.0f, R-hat %.3f\n", out.Seed, out.Sweeps, out.Thin, out.ESS, out.RHat)
	}
	for _, w := range out.Warnings {
		fmt.Fprintf(m.Stdout, "warning:   %s\n", w)
	}
	for _, so := range out.Strata {
		lo, hi := personsInterval(so.CI95)
		fmt.Fprintf(m.Stdout, "stratum %q: observed %d, estimate %.0f, 95%% interval %.0f – %.0f\n", so.Name, so.Observed, so.Estimate, lo, hi)
		for _, w := range so.Warnings {
			fmt.Fprintf(m.Stdout, "  warning: %s\n", w)
		}
	}
	fmt.Fprintf(m.Stdout, "\n%s\n", out.Explanation)
	return nil
}

func readCountsFile(path, strata string) (estimate.Strata, []estimate.Warning, error) {
	f, err := os.Open(path)
	if err != nil {
		return estimate.Strata{}, nil, err
	}
	defer f.Close()
	st, w, err := estimate.ReadStrata(f, strata)
	if err != nil {
		return st, w, fmt.Errorf("%s: %w", path, err)
	}
	return st, w, nil
}

// flagGiven reports whether the command line set the flag, as opposed to
// its default standing.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// quoteAll renders names as "a", "b" and "c".
func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
