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

Example:
  peyvand estimate --counts lists.csv --method lcmcr --seed 7 --format json
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
interactions for loglinear). Lists that all miss the same kind of victim cannot
reveal that group: the estimate then is too low.`

type estimateOutput struct {
	Method      string    `json:"method"`
	Lists       []string  `json:"lists"`
	Observed    int       `json:"observed"`
	Estimate    float64   `json:"estimate"`
	CI95        []float64 `json:"ci95"`
	Model       string    `json:"model,omitempty"`
	ESS         float64   `json:"ess,omitempty"`
	RHat        float64   `json:"rhat,omitempty"`
	Seed        uint64    `json:"seed,omitempty"`
	Warnings    []string  `json:"warnings"`
	Explanation string    `json:"explanation"`
}

func (m *Main) estimateCmd(ctx context.Context, args []string) error {
	fs := m.flags("estimate", estimateUsage)
	counts := fs.String("counts", "", "capture-history counts (CSV)")
	clusters := fs.String("clusters", "", "clusters file: source,record_id,cluster_id (CSV)")
	method := fs.String("method", "lcmcr", "lcmcr or loglinear")
	criterion := fs.String("criterion", "aic", "loglinear: model selection by aic or bic")
	seed := fs.Uint64("seed", 1, "lcmcr: random seed (the same seed gives the same result)")
	format := fs.String("format", "text", "text or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*counts == "") == (*clusters == "") {
		return usageErrorf("estimate: give exactly one of --counts and --clusters")
	}
	if *format != "text" && *format != "json" {
		return usageErrorf("estimate: --format %q is not text or json", *format)
	}
	var t estimate.Table
	var warns []estimate.Warning
	var err error
	if *counts != "" {
		t, warns, err = readCountsFile(*counts)
	} else {
		t, warns, err = readClustersFile(*clusters)
	}
	if err != nil {
		return err
	}
	out := estimateOutput{Method: *method, Lists: t.Lists, Observed: t.Observed(), Warnings: []string{}, Explanation: estimateExplanation}
	for _, w := range warns {
		out.Warnings = append(out.Warnings, w.String())
	}
	switch *method {
	case "lcmcr":
		err = runLCMCR(ctx, t, *seed, &out)
	case "loglinear":
		c := estimate.AIC
		if *criterion == "bic" {
			c = estimate.BIC
		} else if *criterion != "aic" {
			return usageErrorf("estimate: --criterion %q is not aic or bic", *criterion)
		}
		err = runLoglinear(t, c, &out)
	default:
		return usageErrorf("estimate: --method %q is not lcmcr or loglinear", *method)
	}
	if err != nil {
		return err
	}
	if t.K() == 2 {
		out.Warnings = append(out.Warnings, "only two lists: their dependence cannot be estimated and is assumed away; a third independent list makes the estimate far more reliable")
	}
	return m.printEstimate(out, *format)
}

func runLCMCR(ctx context.Context, t estimate.Table, seed uint64, out *estimateOutput) error {
	res, err := estimate.LCMCR(ctx, t, estimate.LCMCROptions{Seed: seed})
	if err != nil {
		return err
	}
	out.Estimate, out.CI95, out.ESS, out.RHat, out.Seed = res.Median, []float64{res.CI95.Lo, res.CI95.Hi}, res.ESS, res.RHat, seed
	if res.RHat > 1.1 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("the chains disagree (R-hat %.2f > 1.1): the sampler has not converged; do not quote this estimate", res.RHat))
	}
	if res.ESS < 400 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("effective sample size %.0f is small: the interval is rough", res.ESS))
	}
	return nil
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
	fmt.Fprintf(m.Stdout, "\n%s\n", out.Explanation)
	return nil
}

func readCountsFile(path string) (estimate.Table, []estimate.Warning, error) {
	f, err := os.Open(path)
	if err != nil {
		return estimate.Table{}, nil, err
	}
	defer f.Close()
	t, w, err := estimate.ReadCounts(f)
	if err != nil {
		return t, w, fmt.Errorf("%s: %w", path, err)
	}
	return t, w, nil
}

// readClustersFile builds capture histories from a clusters file: each
// source is a list and each cluster a person, seen on the lists of its
// records. A line that cannot be read is a warning, not the end of the run.
func readClustersFile(path string) (estimate.Table, []estimate.Warning, error) {
	f, err := os.Open(path)
	if err != nil {
		return estimate.Table{}, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return estimate.Table{}, nil, peyvand.Errorf(peyvand.EINVALID, "%s: no header: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	si, ok1 := col["source"]
	ci, ok2 := col["cluster_id"]
	if !ok1 || !ok2 {
		return estimate.Table{}, nil, peyvand.Errorf(peyvand.EINVALID, "%s: the header needs source and cluster_id columns (has %q)", path, header)
	}
	var warns []estimate.Warning
	seen := map[string]map[string]bool{} // cluster → sources
	sources := map[string]bool{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil || si >= len(rec) || ci >= len(rec) || strings.TrimSpace(rec[si]) == "" || strings.TrimSpace(rec[ci]) == "" {
			warns = append(warns, estimate.Warning{Line: line, Message: "skipped: no source or cluster_id"})
			continue
		}
		src, cl := strings.TrimSpace(rec[si]), strings.TrimSpace(rec[ci])
		if seen[cl] == nil {
			seen[cl] = map[string]bool{}
		}
		seen[cl][src], sources[src] = true, true
	}
	lists := make([]string, 0, len(sources))
	for s := range sources {
		lists = append(lists, s)
	}
	sort.Strings(lists)
	if len(lists) > estimate.MaxLists {
		return estimate.Table{}, warns, peyvand.Errorf(peyvand.EINVALID, "%s: %d sources; estimation takes at most %d lists", path, len(lists), estimate.MaxLists)
	}
	bit := map[string]uint32{}
	for i, s := range lists {
		bit[s] = 1 << i
	}
	counts := map[uint32]int{}
	for _, srcs := range seen {
		var h uint32
		for s := range srcs {
			h |= bit[s]
		}
		counts[h]++
	}
	t, err := estimate.NewTable(lists, counts)
	if err != nil {
		return t, warns, fmt.Errorf("%s: %w", path, err)
	}
	return t, warns, nil
}
