package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"peyvand"
	"peyvand/ingest"
	"peyvand/linkage"
	"peyvand/table"
)

const linkUsage = `Usage: peyvand link --out clusters.csv [flags] FILE [FILE...]

Finds the records that describe the same person, across lists and scripts,
without a database: reads the files (the import's columns, names in Persian
or Latin script; CSV, Excel or PFIF), learns a Fellegi–Sunter model from
them, and writes one line per record: source,record_id,cluster_id. A row
without a source column takes its file's name. A record's city and the
town of its place column (where the event happened) are both compared
with the other records' places. Values that cannot be read are warnings
on stderr and are left out, never the end of the run.

--config FILE links other data (such as FEBRL): a JSON linkage
configuration whose field names are the files' column names.

Example:
  peyvand link --out clusters.csv --review review.csv hrana.csv amnesty.xlsx families.csv
  peyvand estimate --clusters clusters.csv
`

func (m *Main) linkCmd(ctx context.Context, args []string) error {
	fs := m.flags("link", linkUsage)
	out := fs.String("out", "", "clusters file to write (source,record_id,cluster_id)")
	review := fs.String("review", "", "file for the uncertain pairs, with each field's weight")
	config := fs.String("config", "", "JSON linkage configuration for data other than Peyvand's columns")
	monthFirst := fs.Bool("month-first", false, "read ambiguous dates such as 01/02/2026 month first")
	var maps multiFlag
	fs.Var(&maps, "map", "map a column: 'header=field' (field - leaves it out); repeatable")
	randomPairs := fs.Int("random-pairs", 0, "with --config: estimate u-probabilities from this many random pairs (0: by EM alone)")
	seed := fs.Uint64("seed", 1, "with --config: random seed for --random-pairs")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to this file (for benchmarks)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *out == "" || fs.NArg() == 0 {
		fs.Usage()
		return usageErrorf("link: give --out and at least one file")
	}
	boundHeap()
	start := time.Now()
	var cfg linkage.Config
	var recs []linkage.Record
	var err error
	if *config != "" {
		cfg, recs, err = m.readGeneric(*config, fs.Args())
	} else {
		cfg = linkage.PeyvandConfig()
		var colMap map[string]ingest.Field
		if colMap, err = ingest.ParseMap(maps); err != nil {
			return usageErrorf("link: %v", err)
		}
		recs, err = m.readPersons(fs.Args(), *monthFirst, colMap)
	}
	if err != nil {
		return err
	}
	ids := renumber(recs)
	if *review == "" {
		// Without a review file the pairs of the review band change
		// nothing: keeping only the pairs that reach the match threshold
		// gives the same clusters with a fraction of the memory.
		cfg.Thresholds.Review = cfg.Thresholds.Match
	}
	m.progressf("link: %d records read in %s", len(recs), time.Since(start).Round(time.Millisecond))
	// Plain EM on person lists learns "same surname" as the match class;
	// see linkage.EstimatePeyvand. Other data, with its own config, uses EM.
	estimate := linkage.Estimator(linkage.EstimatePeyvand)
	if *config != "" {
		estimate = linkage.WithOptions(linkage.EstimateOptions{RandomPairs: *randomPairs, Seed: *seed})
	}
	ix, cl, err := linkage.Link(cfg, recs, func(ix *linkage.Index, c *linkage.Candidates) (*linkage.Model, error) {
		blocks, skipped := ix.SkippedBlocks()
		for k := range blocks {
			if blocks[k] > 0 {
				m.progressf("link: blocking rule %d: %d blocks larger than %d left out (%d records)", k+1, blocks[k], ix.Config().MaxBlock, skipped[k])
			}
		}
		m.progressf("link: %d candidate pairs compared in %s", c.Len(), time.Since(start).Round(time.Millisecond))
		return estimate(ix, c)
	})
	if err != nil {
		return err
	}
	if *review != "" {
		m.progressf("link: %d persons, %d pairs for review, in %s", len(cl.Clusters), len(cl.Review), time.Since(start).Round(time.Millisecond))
	} else {
		m.progressf("link: %d persons, in %s", len(cl.Clusters), time.Since(start).Round(time.Millisecond))
	}
	if err := writeClusters(*out, ix, cl, ids); err != nil {
		return err
	}
	if *review != "" {
		return writeReview(*review, ix, cl, ids)
	}
	return nil
}

func (m *Main) progressf(format string, args ...any) {
	fmt.Fprintf(m.Stderr, format+"\n", args...)
}

// readPersons reads files in the import's columns, leniently. Rows are
// converted to linkage records on every core (ingest.MapRows); warnings
// and repeated ids are reported in file order.
//
// An age that nothing dates (no birth year, age date or event date) is
// taken as of the latest event its file reports, or, in a file without
// dates, the latest of all files: lists of names, ages and towns are
// compiled soon after what they report (linkage.AgeAsOf).
func (m *Main) readPersons(files []string, monthFirst bool, colMap map[string]ingest.Field) ([]linkage.Record, error) {
	var recs []linkage.Record
	seen := map[string]bool{}
	type undated struct{ pos, age int }
	var latestAll peyvand.Date
	var undatedByFile [][]undated
	var latestByFile []peyvand.Date
	for _, path := range files {
		var latest peyvand.Date
		var ages []undated
		opt := ingest.Options{Map: colMap, Parse: ingest.ParseOptions{Lenient: true, MonthFirst: monthFirst},
			Header: func(c *ingest.Columns) {
				for _, w := range c.Warnings {
					m.progressf("warning: %s: %s", filepath.Base(path), w)
				}
				if len(c.Unknown) > 0 {
					m.progressf("link: %s: columns not used for linking: %s (--map 'header=field' maps one)", filepath.Base(path), strings.Join(c.Unknown, ", "))
				}
			}}
		toRecord := func(row ingest.Row, err error) linkage.Record {
			if err != nil {
				return linkage.Record{}
			}
			id := row.Record.ExternalID
			if id == "" {
				id = "line-" + strconv.Itoa(row.Line)
			}
			return linkage.FromPerson(id, row.Source, row.Record, row.Events)
		}
		_, err := ingest.MapRows(path, opt, toRecord, func(row ingest.Row, err error, r linkage.Record) error {
			if err != nil {
				m.progressf("warning: %v (row left out)", err)
				return nil
			}
			for _, w := range row.Warnings {
				if strings.HasPrefix(w, "field ") {
					w += " (value left out)"
				}
				m.progressf("warning: %s line %d, %s", filepath.Base(path), row.Line, w)
			}
			key := r.Source + "\x00" + r.ID
			if seen[key] {
				m.progressf("warning: %s line %d: record_id %q of source %q seen before (both rows are linked, and written with that id)", filepath.Base(path), row.Line, r.ID, r.Source)
			}
			seen[key] = true
			for _, e := range row.Events {
				latest = laterOf(latest, e.Date)
			}
			latest = laterOf(latest, row.Record.AgeDate)
			if linkage.NeedsAgeDate(row.Record, row.Events) {
				ages = append(ages, undated{len(recs), row.Record.Age})
			}
			recs = append(recs, r)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		undatedByFile, latestByFile = append(undatedByFile, ages), append(latestByFile, latest)
		latestAll = laterOf(latestAll, latest)
	}
	for f, ages := range undatedByFile {
		on := latestByFile[f]
		if on.IsZero() {
			on = latestAll
		}
		for _, u := range ages {
			linkage.AgeAsOf(&recs[u.pos], u.age, on)
		}
	}
	return recs, nil
}

// laterOf returns the later of two dates (Date.Compare: a zero date is
// the earliest).
func laterOf(a, b peyvand.Date) peyvand.Date {
	if b.Compare(a) > 0 {
		return b
	}
	return a
}

// readGeneric reads files whose columns are named after a configuration's
// fields; the id is the column record_id, rec_id, unique_id or id.
func (m *Main) readGeneric(configPath string, files []string) (linkage.Config, []linkage.Record, error) {
	f, err := os.Open(configPath)
	if err != nil {
		return linkage.Config{}, nil, err
	}
	cfg, err := linkage.DecodeConfig(f)
	f.Close()
	if err != nil {
		return cfg, nil, fmt.Errorf("%s: %w", configPath, err)
	}
	var recs []linkage.Record
	for _, path := range files {
		rd, err := table.OpenFile(path, table.Options{})
		if err != nil {
			return cfg, nil, err
		}
		col := map[string]int{}
		for i, h := range rd.Header() {
			col[strings.ToLower(strings.TrimSpace(h))] = i
		}
		idCol, srcCol := -1, -1
		for _, name := range []string{"record_id", "rec_id", "unique_id", "id"} {
			if i, ok := col[name]; ok && idCol < 0 {
				idCol = i
			}
		}
		if i, ok := col["source"]; ok {
			srcCol = i
		}
		for _, fld := range cfg.Fields {
			if _, ok := col[strings.ToLower(fld.Name)]; !ok {
				m.progressf("warning: %s has no column %q: the field is missing in all its rows", filepath.Base(path), fld.Name)
			}
		}
		base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		for {
			row, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rd.Close()
				return cfg, nil, err
			}
			r := linkage.Record{ID: "line-" + strconv.Itoa(row.Line), Source: base, Values: make([]string, len(cfg.Fields))}
			if idCol >= 0 && row.Cells[idCol] != "" {
				r.ID = row.Cells[idCol]
			}
			if srcCol >= 0 && row.Cells[srcCol] != "" {
				r.Source = row.Cells[srcCol]
			}
			for i, fld := range cfg.Fields {
				if c, ok := col[strings.ToLower(fld.Name)]; ok {
					r.Values[i] = row.Cells[c]
				}
			}
			recs = append(recs, r)
		}
		rd.Close()
	}
	return cfg, recs, nil
}

// renumber gives the records their positions as IDs, for the index, and
// returns the record_ids they were read with, for the output: two lists
// may both number their rows 1, 2, 3, and a list may repeat an id, yet
// every row read is linked and written.
func renumber(recs []linkage.Record) []string {
	ids := make([]string, len(recs))
	for i := range recs {
		ids[i], recs[i].ID = recs[i].ID, strconv.Itoa(i)
	}
	return ids
}

// writeClusters writes source,record_id,cluster_id, one line per record in
// the order read (ids are their record_ids); a cluster is named after its
// first record's position.
func writeClusters(path string, ix *linkage.Index, cl linkage.Clustering, ids []string) error {
	name := clusterNames(ix, cl)
	return writeCSV(path, func(w *csv.Writer) error {
		w.Write([]string{"source", "record_id", "cluster_id"})
		for i := 0; i < ix.Len(); i++ {
			if err := w.Write([]string{ix.Record(i).Source, ids[i], name[i]}); err != nil {
				return err
			}
		}
		return nil
	})
}

// clusterNames names each record's cluster after its first record.
func clusterNames(ix *linkage.Index, cl linkage.Clustering) []string {
	name := make([]string, ix.Len())
	for _, members := range cl.Clusters {
		id := "p" + strconv.Itoa(members[0]+1)
		for _, i := range members {
			name[i] = id
		}
	}
	return name
}

// writeReview writes the uncertain pairs, most likely first, with each
// field's values, level and weight: what a reviewer needs to decide. The
// last columns say which cluster each record is in (the pairs are never
// in one) and why the pair was not linked: below the match threshold, or
// above it but kept apart because the records' clusters disagree as a
// whole (the chaining guard), which a pair's probability alone does not
// show.
func writeReview(path string, ix *linkage.Index, cl linkage.Clustering, ids []string) error {
	pairs := append([]linkage.ScoredPair(nil), cl.Review...)
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].Probability > pairs[j].Probability })
	name := clusterNames(ix, cl)
	match := ix.Config().Thresholds.Match
	return writeCSV(path, func(w *csv.Writer) error {
		header := []string{"source_a", "record_id_a", "source_b", "record_id_b", "probability", "weight"}
		for _, f := range ix.Config().Fields {
			header = append(header, f.Name+"_a", f.Name+"_b", f.Name+"_weight")
		}
		w.Write(append(header, "cluster_id_a", "cluster_id_b", "why_not_linked"))
		for _, p := range pairs {
			a, b := ix.Record(p.A), ix.Record(p.B)
			ex := ix.Explain(p.Pair)
			row := []string{a.Source, ids[p.A], b.Source, ids[p.B], strconv.FormatFloat(ex.Probability, 'f', 4, 64), strconv.FormatFloat(ex.Weight, 'f', 2, 64)}
			for _, c := range ex.Fields {
				row = append(row, c.A, c.B, strconv.FormatFloat(c.Weight, 'f', 2, 64))
			}
			why := fmt.Sprintf("probability below the match threshold %g", match)
			if p.Probability >= match {
				why = "kept apart: other records of the two clusters disagree (chaining guard), or the cluster would be too large"
			}
			row = append(row, name[p.A], name[p.B], why)
			if err := w.Write(row); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeCSV(path string, fill func(*csv.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := fill(w); err != nil {
		f.Close()
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// boundHeap sets the garbage collector for linking a whole data set, unless
// GOMEMLIMIT or GOGC say otherwise: a million records hold about 2 GB
// live, and collecting garbage at twice that would cost a quarter of the
// run and need more than 4 GB; so collect less often, but never let the
// heap pass 3 GiB.
func boundHeap() {
	if os.Getenv("GOMEMLIMIT") == "" && os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
		debug.SetMemoryLimit(3 << 30)
	}
}
