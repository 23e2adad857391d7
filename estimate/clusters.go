package estimate

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"peyvand"
	"peyvand/persian"
)

// ReadClusters builds capture histories from a clusters file, as peyvand
// link writes it (source,record_id,cluster_id) or as a spreadsheet keeps
// it: each source is a list and each cluster a person, seen on the lists
// of its records. The file is read as ReadCounts reads one (any encoding,
// delimiter or XLSX), and its header may name the columns in other ways
// (list for source; record or id for record_id; person, person_id or
// cluster for cluster_id; منبع, فهرست, شناسه, خوشه, شخص), ignoring case,
// spaces and underscores.
//
// Sources spelt differently only in case or spacing (NGO_B, ngo_b, "ngo b")
// are one list, named by the most common spelling, with a warning. With
// strata, a person falls in the stratum most of its records name (the
// first such on a tie), compared as ReadStrata compares them (so Tehran
// and تهران are one province), and a stratum is named by the spelling
// most of its persons' records give (the first on a tie); a person
// whose records disagree is a warning, and one whose records name none
// falls in a stratum named "unknown". A line that cannot be read is a
// warning, not the end of the run, and so is a record (source and
// record_id) listed on several lines.
func ReadClusters(path, strata string) (Strata, []Warning, error) {
	f, err := os.Open(path)
	if err != nil {
		return Strata{}, nil, err
	}
	defer f.Close()
	st, warns, err := readClusters(f, strata)
	if err != nil {
		return st, warns, fmt.Errorf("%s: %w", path, err)
	}
	return st, warns, nil
}

// clusterColumns are the header's columns; -1 when absent.
type clusterColumns struct{ source, record, cluster, stratum int }

// headerKey is how a clusters header is matched: lower case, without
// spaces, underscores, hyphens or ZWNJ, Persian letters normalised.
func headerKey(h string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '\u200c':
			return -1
		}
		return r
	}, strings.ToLower(persian.Normalize(h)))
}

// findClusterColumns maps a header to its columns. Persian headers are
// matched by their words, as "شناسه خوشه" (cluster id) and "شناسه سابقه"
// (record id) share one.
func findClusterColumns(header []string, strata string) (clusterColumns, error) {
	cols := clusterColumns{-1, -1, -1, -1}
	set := func(c *int, i int) {
		if *c < 0 {
			*c = i
		}
	}
	for i, h := range header {
		k := headerKey(h)
		switch {
		case strata != "" && k == headerKey(strata):
			set(&cols.stratum, i)
		case k == "source" || k == "list" || strings.Contains(k, "منبع") || strings.Contains(k, "فهرست"):
			set(&cols.source, i)
		case k == "clusterid" || k == "cluster" || k == "person" || k == "personid" || strings.Contains(k, "خوشه") || strings.Contains(k, "شخص"):
			set(&cols.cluster, i)
		case k == "recordid" || k == "record" || k == "id" || strings.Contains(k, "شناسه"):
			set(&cols.record, i)
		}
	}
	if cols.source < 0 || cols.cluster < 0 {
		return cols, peyvand.Errorf(peyvand.EINVALID, "the header needs source and cluster_id columns (has %q)", header)
	}
	if strata != "" && cols.stratum < 0 {
		return cols, peyvand.Errorf(peyvand.EINVALID, "no column named %q to stratify by", strata)
	}
	return cols, nil
}

// clusterRead is what the rows of a clusters file say.
type clusterRead struct {
	sources     *sourceNames
	seen        map[string]map[string]bool // cluster → source keys
	strata      map[string][]string        // cluster → the stratum of each record, "" if blank
	lines       map[string][]int           // cluster → its lines
	order       []string                   // clusters in the order first seen
	records     map[recordKey]*recordLines // to find a record listed twice
	recordOrder []recordKey
}

type recordKey struct{ source, id string }

func readClusters(r io.Reader, strata string) (Strata, []Warning, error) {
	rd, _, err := openTable(readerName(r, "clusters.csv"), r)
	if err != nil {
		return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "no header: %v", err)
	}
	defer rd.Close()
	cols, err := findClusterColumns(rd.Header(), strata)
	if err != nil {
		return Strata{}, nil, err
	}
	rows, warns, err := readTableRows(rd)
	if err != nil {
		return Strata{}, warns, peyvand.Errorf(peyvand.EINVALID, "%v", err)
	}
	cr := clusterRead{sources: newSourceNames(), seen: map[string]map[string]bool{}, strata: map[string][]string{},
		lines: map[string][]int{}, records: map[recordKey]*recordLines{}}
	for _, row := range rows {
		src, cl := row.cells[cols.source], row.cells[cols.cluster]
		if src == "" || cl == "" {
			warns = append(warns, Warning{Line: row.line, Message: "skipped: no source or cluster_id"})
			continue
		}
		sk := cr.sources.key(src, row.line)
		if cr.seen[cl] == nil {
			cr.seen[cl] = map[string]bool{}
			cr.order = append(cr.order, cl)
		}
		cr.seen[cl][sk] = true
		cr.lines[cl] = append(cr.lines[cl], row.line)
		if cols.stratum >= 0 {
			cr.strata[cl] = append(cr.strata[cl], row.cells[cols.stratum])
		}
		if cols.record >= 0 && row.cells[cols.record] != "" {
			k := recordKey{sk, row.cells[cols.record]}
			if cr.records[k] == nil {
				cr.records[k] = &recordLines{}
				cr.recordOrder = append(cr.recordOrder, k)
			}
			cr.records[k].add(row.line, cl)
		}
	}
	warns = append(warns, cr.sources.warnings()...)
	for _, k := range cr.recordOrder {
		if w, ok := cr.records[k].warning(cr.sources.name(k.source), k.id); ok {
			warns = append(warns, w)
		}
	}
	st, ws, err := cr.tables(cols.stratum >= 0)
	return st, append(warns, ws...), err
}

// tables counts the clusters by history, per stratum.
func (cr clusterRead) tables(stratified bool) (Strata, []Warning, error) {
	keys := cr.sources.byName()
	lists := make([]string, len(keys))
	for i, k := range keys {
		lists[i] = cr.sources.name(k)
	}
	if len(lists) > MaxLists {
		return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "%d sources; estimation takes at most %d lists", len(lists), MaxLists)
	}
	if len(lists) == 1 {
		return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "one source (%s); estimation needs at least two lists, each a source, and the persons they share", lists[0])
	}
	bit := map[string]uint32{}
	for i, k := range keys {
		bit[k] = 1 << i
	}
	names := newStratumNames()
	var conflicts []string
	nConflicts := 0
	tables := map[string]Table{} // by stratum key
	var strata []string          // stratum keys in the order first seen
	for _, cl := range cr.order {
		var h uint32
		for s := range cr.seen[cl] {
			h |= bit[s]
		}
		key := ""
		if stratified {
			value, line, conflict := personStratum(cr.strata[cl], cr.lines[cl])
			key = names.key(value, line)
			// The person's other records spelling its stratum count
			// towards the stratum's name and its merged spellings.
			chosen := false
			for _, v := range cr.strata[cl] {
				if !chosen && v == value {
					chosen = true
					continue
				}
				if strings.TrimSpace(v) != "" && stratumKey(v) == key {
					names.spell(key, v)
				}
			}
			if conflict != "" {
				if nConflicts++; len(conflicts) < 3 {
					conflicts = append(conflicts, fmt.Sprintf("cluster %q: %s", cl, conflict))
				}
			}
		}
		t, ok := tables[key]
		if !ok {
			t = Table{Lists: lists, Counts: map[uint32]int{}}
			tables[key] = t
			strata = append(strata, key)
		}
		t.Counts[h]++
	}
	st := Strata{Tables: map[string]Table{}}
	for _, key := range strata {
		name := ""
		if stratified {
			name = names.name(key)
		}
		st.Names = append(st.Names, name)
		st.Tables[name] = tables[key]
	}
	warns := names.warnings()
	if nConflicts > 0 {
		more := ""
		if nConflicts > len(conflicts) {
			more = fmt.Sprintf(" and %d more", nConflicts-len(conflicts))
		}
		have := "persons have"
		if nConflicts == 1 {
			have = "person has"
		}
		warns = append(warns, Warning{Message: fmt.Sprintf("%d %s records in different strata (%s%s): each is counted in the stratum most of its records give, the first of them on a tie",
			nConflicts, have, strings.Join(conflicts, "; "), more)})
	}
	for _, name := range st.Names {
		if err := st.Tables[name].Validate(); err != nil {
			if name == "" {
				return st, warns, err
			}
			return st, warns, fmt.Errorf("stratum %q: %w", name, err)
		}
	}
	if len(st.Names) == 0 {
		return st, warns, peyvand.Errorf(peyvand.EINVALID, "no clusters")
	}
	return st, warns, nil
}

// personStratum picks a person's stratum from its records' values: the
// most common non-blank one (the first seen on a tie), with the line of
// its first record, or a blank value and the first line if none has one.
// conflict describes the values when they differ.
func personStratum(values []string, lines []int) (value string, line int, conflict string) {
	count := map[string]int{}
	first := map[string]int{} // key → index of its first record
	var keys []string
	for i, v := range values {
		if strings.TrimSpace(v) == "" {
			continue
		}
		k := stratumKey(v)
		if _, ok := first[k]; !ok {
			first[k] = i
			keys = append(keys, k)
		}
		count[k]++
	}
	if len(keys) == 0 {
		return "", lines[0], ""
	}
	best := keys[0]
	for _, k := range keys[1:] {
		if count[k] > count[best] {
			best = k
		}
	}
	if len(keys) > 1 {
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%q ×%d", strings.TrimSpace(values[first[k]]), count[k])
		}
		conflict = strings.Join(parts, ", ")
	}
	return values[first[best]], lines[first[best]], conflict
}

// sourceNames reads source names that differ only in case or spacing as
// one list, named by its most common spelling.
type sourceNames struct{ *spellings }

func newSourceNames() *sourceNames { return &sourceNames{newSpellings()} }

// key returns the list that source spelling s on line belongs to.
func (n *sourceNames) key(s string, line int) string {
	k := strings.ToLower(persian.Normalize(strings.ReplaceAll(s, "_", " ")))
	n.add(k, s, line)
	return k
}

// byName returns the lists' keys, sorted by name as the old reader sorted
// source names, so lists keep their order.
func (n *sourceNames) byName() []string {
	keys := append([]string(nil), n.keys...)
	sort.Slice(keys, func(i, j int) bool { return n.name(keys[i]) < n.name(keys[j]) })
	return keys
}

// warnings name each list written in more than one way, with the lines of
// the less common spellings.
func (n *sourceNames) warnings() []Warning {
	var w []Warning
	for _, k := range n.byName() {
		if len(n.order[k]) < 2 {
			continue
		}
		name := n.name(k)
		var others []string
		for _, s := range n.order[k] {
			if s != name {
				others = append(others, fmt.Sprintf("%q (%d record%s, line%s %s)", s, n.uses[k][s], plural(n.uses[k][s]),
					plural(len(n.lines[k][s])), joinLines(n.lines[k][s])))
			}
		}
		w = append(w, Warning{Message: fmt.Sprintf("source %q is also written %s: read as one list, %q; if they are different sources, give them different names",
			name, andList(others), name)})
	}
	return w
}

// recordLines are the lines and clusters one source's record_id appears
// with in a clusters file.
type recordLines struct {
	lines    []int
	clusters []string // distinct, in the order seen
}

func (r *recordLines) add(line int, cluster string) {
	r.lines = append(r.lines, line)
	for _, c := range r.clusters {
		if c == cluster {
			return
		}
	}
	r.clusters = append(r.clusters, cluster)
}

// warning says what a record listed more than once does to the counts: in
// one cluster, nothing (a person is on a list or not); in several, each of
// those persons is seen on the record's source, which is right only if the
// lines are distinct records that share an id (peyvand link keeps those).
func (r *recordLines) warning(source, id string) (Warning, bool) {
	if len(r.lines) < 2 {
		return Warning{}, false
	}
	lines := make([]string, len(r.lines))
	for i, l := range r.lines {
		lines[i] = strconv.Itoa(l)
	}
	if len(r.clusters) == 1 {
		return Warning{Message: fmt.Sprintf("record %q of source %q appears on lines %s, in cluster %q each time: it counts once", id, source, andList(lines), r.clusters[0])}, true
	}
	clusters := make([]string, len(r.clusters))
	for i, c := range r.clusters {
		clusters[i] = strconv.Quote(c)
	}
	return Warning{Message: fmt.Sprintf("record %q of source %q appears on lines %s, in clusters %s: each of those persons counts as seen on %q; if the lines are one record, the clusters file is wrong", id, source, andList(lines), andList(clusters), source)}, true
}
