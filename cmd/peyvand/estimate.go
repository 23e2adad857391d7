package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
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
  --clusters FILE.csv  source,record_id,cluster_id (as peyvand link writes it):
                       each source is a list, each cluster a person

Methods:
  lcmcr      Bayesian latent-class model (Manrique-Vallier 2016), the model
             human-rights statisticians use; reproducible with --seed
  loglinear  log-linear models with list interactions, chosen by AIC (or
             --criterion bic), with a profile-likelihood interval
  dga        Bayesian model averaging over decomposable graphical models
             (Madigan & York 1997), 3 to 5 lists

Example:
  peyvand estimate --counts lists.csv --method lcmcr --seed 7 --format json
  peyvand estimate --counts lists.csv --method lcmcr --thin 50   # longer chains
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
	thin := fs.Int("thin", 10, "lcmcr: sweeps per kept draw; raise it (e.g. 50) when the chains mix slowly")
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
	var st estimate.Strata
	var warns []estimate.Warning
	var err error
	if *counts != "" {
		st, warns, err = readCountsFile(*counts, *strata)
	} else {
		st, warns, err = readClustersFile(*clusters, *strata)
	}
	if err != nil {
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
	var results []estimate.LCMCRResult
	var dgaResults []estimate.DGAResult
	for i, name := range st.Names {
		t := st.Tables[name]
		one := estimateOutput{Method: *method, Lists: t.Lists, fit: fit{Observed: t.Observed()}}
		switch *method {
		case "lcmcr":
			var res estimate.LCMCRResult
			res, err = runLCMCR(ctx, t, *seed+uint64(i), *thin, &one)
			results = append(results, res)
		case "dga":
			var res estimate.DGAResult
			res, err = runDGA(t, &one)
			dgaResults = append(dgaResults, res)
		default:
			err = runLoglinear(t, c, &one)
		}
		if err != nil {
			if name != "" {
				return fmt.Errorf("stratum %q: %w", name, err)
			}
			return err
		}
		if t.K() == 2 {
			one.Warnings = append(one.Warnings, "only two lists: their dependence cannot be estimated and is assumed away; a third independent list makes the estimate far more reliable")
		}
		if t.Observed() < 50 {
			one.Warnings = append(one.Warnings, fmt.Sprintf("only %d persons observed: too few for a stable estimate", t.Observed()))
		}
		if *strata == "" {
			one.Warnings = append(out.Warnings, one.Warnings...)
			one.Explanation, one.Seed = out.Explanation, *seed
			return m.printEstimate(one, *format)
		}
		out.Lists, out.Observed, out.Estimate = t.Lists, out.Observed+one.Observed, out.Estimate+one.Estimate
		out.Strata = append(out.Strata, stratumOutput{Name: name, fit: one.fit, Warnings: one.Warnings})
	}
	out.Seed = *seed
	switch *method {
	case "lcmcr":
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

func runLCMCR(ctx context.Context, t estimate.Table, seed uint64, thin int, out *estimateOutput) (estimate.LCMCRResult, error) {
	res, err := estimate.LCMCR(ctx, t, estimate.LCMCROptions{Seed: seed, Thin: thin})
	if err != nil {
		return res, err
	}
	out.Estimate, out.CI95, out.ESS, out.RHat, out.Seed = res.Median, []float64{res.CI95.Lo, res.CI95.Hi}, res.ESS, res.RHat, seed
	if res.RHat > 1.1 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("the chains disagree (R-hat %.2f > 1.1): the sampler has not converged; do not quote this estimate, run longer chains (--thin %d)", res.RHat, 5*thin))
	}
	if res.ESS < 400 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("effective sample size %.0f is small: the interval is rough; longer chains (--thin %d) smooth it", res.ESS, 5*thin))
	}
	return res, nil
}

func runDGA(t estimate.Table, out *estimateOutput) (estimate.DGAResult, error) {
	res, err := estimate.DGA(t, estimate.DGAOptions{})
	if err != nil {
		return res, err
	}
	out.Estimate, out.CI95 = res.Median, []float64{res.CI95.Lo, res.CI95.Hi}
	if len(res.Models) > 0 {
		out.Model = fmt.Sprintf("%s (posterior probability %.2f, of %d graphs)", res.Models[0].Formula, res.Models[0].Probability, len(res.Models))
	}
	for _, w := range res.Warnings {
		out.Warnings = append(out.Warnings, w.String())
	}
	return res, nil
}

func runLoglinear(t estimate.Table, c estimate.Criterion, out *estimateOutput) error {
	sel, err := estimate.SelectLoglinear(t, c)
	if err != nil {
		return err
	}
	for _, w := range sel.Warnings {
		out.Warnings = append(out.Warnings, w.String())
	}
	best := sel.Best
	iv, ws, err := estimate.ProfileInterval(t, best.Model, 0.95)
	if err != nil {
		return err
	}
	for _, w := range append(best.Warnings, ws...) {
		out.Warnings = append(out.Warnings, w.String())
	}
	out.Estimate, out.CI95, out.Model = best.Estimate, []float64{iv.Lo, iv.Hi}, best.Model.Formula(t.Lists)
	return nil
}

func (m *Main) printEstimate(out estimateOutput, format string) error {
	if format == "json" {
		// JSON has no infinity: an unbounded interval end is written as null.
		type jsonOut struct {
			estimateOutput
			CI95 []*float64 `json:"ci95"`
		}
		j := jsonOut{estimateOutput: out}
		for _, v := range out.CI95 {
			v := v
			if math.IsInf(v, 0) || math.IsNaN(v) {
				j.CI95 = append(j.CI95, nil)
			} else {
				j.CI95 = append(j.CI95, &v)
			}
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(j)
	}
	fmt.Fprintf(m.Stdout, "method:    %s\nlists:     %s\nobserved:  %d persons on at least one list\nestimate:  %.0f\n95%% interval: %.0f – %.0f\n",
		out.Method, strings.Join(out.Lists, ", "), out.Observed, out.Estimate, out.CI95[0], out.CI95[1])
	if out.Model != "" {
		fmt.Fprintf(m.Stdout, "model:     %s\n", out.Model)
	}
	if out.RHat != 0 {
		fmt.Fprintf(m.Stdout, "sampler:   seed %d, effective sample size %.0f, R-hat %.3f\n", out.Seed, out.ESS, out.RHat)
	}
	for _, w := range out.Warnings {
		fmt.Fprintf(m.Stdout, "warning:   %s\n", w)
	}
	for _, so := range out.Strata {
		fmt.Fprintf(m.Stdout, "stratum %q: observed %d, estimate %.0f, 95%% interval %.0f – %.0f\n", so.Name, so.Observed, so.Estimate, so.CI95[0], so.CI95[1])
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

// readClustersFile builds capture histories from a clusters file: each
// source is a list and each cluster a person, seen on the lists of its
// records; with strata, each cluster falls in the stratum its first record
// names. A line that cannot be read is a warning, not the end of the run.
func readClustersFile(path, strata string) (estimate.Strata, []estimate.Warning, error) {
	f, err := os.Open(path)
	if err != nil {
		return estimate.Strata{}, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return estimate.Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "%s: no header: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	si, ok1 := col["source"]
	ci, ok2 := col["cluster_id"]
	if !ok1 || !ok2 {
		return estimate.Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "%s: the header needs source and cluster_id columns (has %q)", path, header)
	}
	sti := -1
	if strata != "" {
		i, ok := col[strings.ToLower(strata)]
		if !ok {
			return estimate.Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "%s: no column named %q to stratify by", path, strata)
		}
		sti = i
	}
	var warns []estimate.Warning
	seen := map[string]map[string]bool{} // cluster → sources
	stratum := map[string]string{}       // cluster → stratum
	var order []string                   // clusters in the order first seen
	sources := map[string]bool{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var line int
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.StartLine
		} else if err == nil {
			line, _ = r.FieldPos(0) // FieldPos panics after an error
		}
		if err != nil || si >= len(rec) || ci >= len(rec) || strings.TrimSpace(rec[si]) == "" || strings.TrimSpace(rec[ci]) == "" {
			warns = append(warns, estimate.Warning{Line: line, Message: "skipped: no source or cluster_id"})
			continue
		}
		src, cl := strings.TrimSpace(rec[si]), strings.TrimSpace(rec[ci])
		if seen[cl] == nil {
			seen[cl] = map[string]bool{}
			order = append(order, cl)
			if sti >= 0 && sti < len(rec) {
				stratum[cl] = strings.TrimSpace(rec[sti])
			}
		}
		seen[cl][src], sources[src] = true, true
	}
	lists := make([]string, 0, len(sources))
	for s := range sources {
		lists = append(lists, s)
	}
	sort.Strings(lists)
	if len(lists) > estimate.MaxLists {
		return estimate.Strata{}, warns, peyvand.Errorf(peyvand.EINVALID, "%s: %d sources; estimation takes at most %d lists", path, len(lists), estimate.MaxLists)
	}
	if len(lists) == 1 {
		return estimate.Strata{}, warns, peyvand.Errorf(peyvand.EINVALID, "%s: one source (%s); estimation needs at least two lists, each a source, and the persons they share", path, lists[0])
	}
	bit := map[string]uint32{}
	for i, s := range lists {
		bit[s] = 1 << i
	}
	st := estimate.Strata{Tables: map[string]estimate.Table{}}
	for _, cl := range order {
		var h uint32
		for s := range seen[cl] {
			h |= bit[s]
		}
		name := stratum[cl]
		t, ok := st.Tables[name]
		if !ok {
			t = estimate.Table{Lists: lists, Counts: map[uint32]int{}}
			st.Tables[name] = t
			st.Names = append(st.Names, name)
		}
		t.Counts[h]++
	}
	for _, name := range st.Names {
		if err := st.Tables[name].Validate(); err != nil {
			if name == "" {
				return st, warns, fmt.Errorf("%s: %w", path, err)
			}
			return st, warns, fmt.Errorf("%s: stratum %q: %w", path, name, err)
		}
	}
	if len(st.Names) == 0 {
		return st, warns, peyvand.Errorf(peyvand.EINVALID, "%s: no clusters", path)
	}
	return st, warns, nil
}
