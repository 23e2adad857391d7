package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"sort"
	"strings"

	"peyvand/chart"
	"peyvand/counts"
	"peyvand/estimate"
	"peyvand/persian"
)

type dashboard struct {
	Total       int
	Charts      []dashChart
	Overlap     []overlapRow
	Lists       []string
	Estimate    *estimateView
	EstimateErr string
}

type dashChart struct {
	Title string
	SVG   template.HTML
	Rows  []counts.Row
}

type overlapRow struct {
	Seen  []bool
	Count int
}

type estimateView struct {
	Observed       int
	Median, Lo, Hi int
	Method, Lists  string
}

// handleDashboard shows documented counts of persons by status, province,
// date, age band, gender and list, the overlap between lists, and the
// multiple systems estimate with its interval, drawn on the server.
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	persons, err := counts.Persons(r.Context(), s.store)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := dashboard{Total: len(persons)}
	rtl := p.Dir == "rtl"
	digits := func(n int) string { return formatNumber(p.Lang, n) }
	opt := counts.Options{Jalali: p.Lang == "fa"}
	for _, dim := range []string{"status", "province", "age_band", "gender", "list", "week"} {
		rows, err := counts.By(persons, dim, opt)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		title := p.T["dim_"+dim]
		var svg template.HTML
		if dim == "week" {
			sort.Slice(rows, func(i, j int) bool { return rows[i].Value < rows[j].Value })
			var pts []chart.Point
			for _, row := range rows {
				if row.Value != "unknown" {
					label := row.Value
					if p.Lang == "fa" { // the week's Jalali date, in the page's digits
						label = persian.PersianDigits(label)
					}
					pts = append(pts, chart.Point{Label: label, Value: row.Count})
				}
			}
			svg = chart.Series(chart.SeriesOptions{Title: title, RTL: rtl, Digits: digits}, pts)
		} else {
			var bars []chart.Bar
			for i, row := range rows {
				if i == 12 {
					break
				}
				label := row.Value
				if t, ok := p.T[dim+"_"+row.Value]; ok {
					label = t
				} else if p.Lang == "fa" { // age bands, list names: the page's digits
					label = persian.PersianDigits(label)
				}
				bars = append(bars, chart.Bar{Label: label, Value: row.Count})
			}
			svg = chart.Bars(chart.BarOptions{Title: title, RTL: rtl, Digits: digits}, bars)
		}
		d.Charts = append(d.Charts, dashChart{Title: title, SVG: svg, Rows: rows})
	}
	lists, overlap := counts.Overlap(persons, opt)
	d.Lists = lists
	keys := make([]string, 0, len(overlap))
	for k := range overlap {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	hist := map[uint32]int{}
	for _, k := range keys {
		row := overlapRow{Count: overlap[k]}
		var h uint32
		for i, c := range k {
			row.Seen = append(row.Seen, c == '1')
			if c == '1' {
				h |= 1 << i
			}
		}
		hist[h] += overlap[k]
		d.Overlap = append(d.Overlap, row)
	}
	if len(lists) < 3 {
		d.EstimateErr = p.T["estimate_need_lists"]
	} else if est, err := s.estimate(r.Context(), lists, hist); err != nil {
		d.EstimateErr = err.Error()
	} else {
		d.Estimate = est
	}
	p.Data = d
	s.render(w, http.StatusOK, "dashboard", p)
}

// estimate runs multiple systems estimation on the lists' capture
// histories: model averaging over decomposable graphs (dga) for three to
// five lists, where it is exact and quick; the latent-class model (lcmcr)
// for more, where the graphs are too many. Results are kept per capture
// table, so the dashboard does not run a sampler on every view.
func (s *Server) estimate(ctx context.Context, lists []string, hist map[uint32]int) (*estimateView, error) {
	keys := make([]uint32, 0, len(hist))
	for h := range hist {
		keys = append(keys, h)
	}
	slices.Sort(keys)
	var key strings.Builder
	key.WriteString(strings.Join(lists, "\x1f"))
	for _, h := range keys {
		fmt.Fprintf(&key, "|%d:%d", h, hist[h])
	}
	if v, ok := s.estimates.Load(key.String()); ok {
		return v.(*estimateView), nil
	}
	t, err := estimate.NewTable(lists, hist)
	if err != nil {
		return nil, err
	}
	v := &estimateView{Lists: strings.Join(lists, ", ")}
	if len(lists) <= 5 {
		res, err := estimate.DGA(ctx, t, estimate.DGAOptions{})
		if err != nil {
			return nil, err
		}
		v.Observed, v.Median, v.Lo, v.Hi, v.Method = res.Observed, round(res.Median), round(res.CI95.Lo), round(res.CI95.Hi), "dga"
	} else {
		res, err := estimate.LCMCR(ctx, t, estimate.LCMCROptions{Seed: 1})
		if err != nil {
			return nil, err
		}
		v.Observed, v.Median, v.Lo, v.Hi, v.Method = res.Observed, round(res.Median), round(res.CI95.Lo), round(res.CI95.Hi), "lcmcr"
	}
	if s.estimateCount.Add(1) > 64 { // a bound on what is kept: start again
		s.estimates.Clear()
		s.estimateCount.Store(1)
	}
	s.estimates.Store(key.String(), v)
	return v, nil
}

func round(x float64) int { return int(x + 0.5) }
