package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"peyvand"
	"peyvand/counts"
)

const countUsage = `Usage: peyvand count [flags]

Counts persons (not records): by current status, verification level,
province, city, date, week, age band, gender or list. --overlap writes
instead how many persons are on each combination of lists: the input of
peyvand estimate --counts. With --by, the overlap comes per stratum (one
dimension, e.g. province), in a first column of that name: the input of
peyvand estimate --counts --strata.

Example:
  peyvand count --by status,province --format json
  peyvand count --by week --jalali --status killed
  peyvand count --overlap --status killed > killed-overlap.csv
  peyvand count --overlap --by province --status killed > by-province.csv
  peyvand estimate --counts by-province.csv --strata province
`

func (m *Main) countCmd(ctx context.Context, args []string) error {
	fs := m.flags("count", countUsage)
	sf := m.addStoreFlags(fs)
	by := fs.String("by", "status", "dimensions, comma-separated: "+strings.Join(counts.Dimensions, ", "))
	format := fs.String("format", "csv", "csv or json")
	jalali := fs.Bool("jalali", false, "label dates and weeks in the Solar Hijri calendar")
	status := fs.String("status", "", "count only persons with this current status")
	overlap := fs.Bool("overlap", false, "write the overlap between lists (CSV for peyvand estimate --counts)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "csv" && *format != "json" {
		return usageErrorf("count: --format %q is not csv or json", *format)
	}
	opt := counts.Options{Jalali: *jalali, Status: peyvand.Status(*status)}
	if *status != "" && !opt.Status.Valid() {
		return usageErrorf("count: --status %q is not a status", *status)
	}
	s, err := m.open(ctx, sf, false)
	if err != nil {
		return err
	}
	defer s.Close()
	persons, err := counts.Persons(ctx, s)
	if err != nil {
		return err
	}
	if *overlap && flagGiven(fs, "by") {
		return m.writeOverlapBy(persons, strings.TrimSpace(*by), opt)
	}
	if *overlap {
		return m.writeOverlap(persons, opt)
	}
	var all []counts.Row
	for _, dim := range strings.Split(*by, ",") {
		rows, err := counts.By(persons, strings.TrimSpace(dim), opt)
		if err != nil {
			return err
		}
		all = append(all, rows...)
	}
	if *format == "json" {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"persons": len(persons), "counts": all})
	}
	w := csv.NewWriter(m.Stdout)
	w.Write([]string{"dimension", "value", "count"})
	for _, r := range all {
		w.Write([]string{r.Dimension, r.Value, strconv.Itoa(r.Count)})
	}
	w.Flush()
	return w.Error()
}

func (m *Main) writeOverlap(persons []counts.Person, opt counts.Options) error {
	lists, rows := counts.Overlap(persons, opt)
	w := csv.NewWriter(m.Stdout)
	w.Write(append(append([]string{}, lists...), "count"))
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rec := strings.Split(k, "")
		w.Write(append(rec, strconv.Itoa(rows[k])))
	}
	w.Flush()
	return w.Error()
}

// writeOverlapBy writes the overlap per stratum: the dimension's column,
// then the lists' and the count, strata in order, each stratum's
// histories in order.
func (m *Main) writeOverlapBy(persons []counts.Person, dim string, opt counts.Options) error {
	if strings.Contains(dim, ",") {
		return usageErrorf("count: --overlap takes one dimension in --by, not %q", dim)
	}
	lists, strata, err := counts.OverlapBy(persons, dim, opt)
	if err != nil {
		return err
	}
	for _, l := range lists {
		if strings.EqualFold(l, dim) || strings.EqualFold(l, "count") {
			return peyvand.Errorf(peyvand.EINVALID, "count: a list is named %q, as the overlap's %s column: rename the source", l, l)
		}
	}
	w := csv.NewWriter(m.Stdout)
	w.Write(append(append([]string{dim}, lists...), "count"))
	names := make([]string, 0, len(strata))
	for v := range strata {
		names = append(names, v)
	}
	sort.Strings(names)
	for _, v := range names {
		keys := make([]string, 0, len(strata[v]))
		for k := range strata[v] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			w.Write(append(append([]string{v}, strings.Split(k, "")...), strconv.Itoa(strata[v][k])))
		}
	}
	w.Flush()
	return w.Error()
}
