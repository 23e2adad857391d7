package estimate

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"peyvand"
	"peyvand/persian"
	"peyvand/table"
)

// ReadCounts reads a table of capture-history counts: a header naming one
// column per list plus a column "count", then one row per history with 0
// or 1 under each list and a non-negative integer count, e.g.
//
//	amnesty,hengaw,hrana,count
//	1,0,0,412
//	1,1,0,57
//
// The file is read as the registry import reads lists (package table): CSV
// in UTF-8 (with or without a byte order mark), UTF-16 (Excel's "Unicode
// text") or Windows-1256, its delimiter sniffed, or an XLSX workbook. A
// leading Excel "sep=;" line sets the delimiter, and lines starting with #
// before the header are comments. The count column may also be headed n,
// freq, frequency, Anzahl, nombre or تعداد, and its cells may use Persian
// digits and thousands separators ("1,234", "1.234", "۱٬۲۳۴"). List cells
// may be written yes/no in several languages, true/false, x or ✓, - for
// "not on the list", and a blank cell is 0 in a column that never writes 0.
//
// A column that is not a list (notes, a province or year the user did not
// name with --strata) is left out with a warning rather than read as one.
// Rows repeating a history are summed, with one warning per repeated history
// naming its lines (a history may be split over rows, by source batch for
// one, but a repeat is more often a copy-paste slip). A row on no list is
// skipped with a warning, since nobody can be observed on no list, and so
// is a total row. A row with a malformed cell is skipped too, naming its
// line and column, and then the first warning says plainly that the table
// is incomplete: this is an analyst's tool, and one odd row must not end
// the run, but nor may it pass unnoticed. A row whose count is 0 adds no
// one, so a malformed cell in it is a warning only. A header without lists
// or a count column, with two columns that could each be the count
// (count,B,C,n), or a table with no one observed, is an error.
func ReadCounts(r io.Reader) (Table, []Warning, error) {
	st, warnings, err := ReadStrata(r, "")
	if err != nil {
		return Table{}, warnings, err
	}
	return st.Tables[""], warnings, nil
}

// Strata are capture-history tables of the same lists, one per stratum
// (a province, a period), in the order the strata first appear.
type Strata struct {
	Names  []string
	Tables map[string]Table
}

// countsLayout is where a counts header puts the lists, the count and the
// stratum.
type countsLayout struct {
	header    []string
	lists     []string
	listCols  []int
	countCol  int
	strataCol int
	ignored   []int // columns that are neither lists, count nor stratum
}

// countRow is one data row as read, with its line.
type countRow struct {
	line  int
	cells []string
}

// ReadStrata reads counts like ReadCounts, split by the values of the
// column named stratum ("" for no split: one stratum named ""). Stratum
// values are compared as stratumKey compares them: as persian.Normalize
// leaves them and ignoring case, so that کردستان typed with an Arabic ك is
// the same province, and a province is one stratum in either script
// (Tehran, تهران). A stratum is named by its most common spelling as
// written (the first on a tie), with a warning listing the spellings
// merged. A blank value puts its rows in a stratum named "unknown", with a
// warning. A row with a stratum and a count but no list marks is the
// stratum's subtotal, ignored with a warning that says whether it matches
// the stratum's rows. A stratum in which no one is observed is dropped
// with a warning.
func ReadStrata(r io.Reader, stratum string) (Strata, []Warning, error) {
	rd, comma, err := openTable(readerName(r, "counts"), r)
	if errors.Is(err, errNoHeader) {
		return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "counts file is empty: want a header such as list1,list2,count")
	}
	if err != nil {
		return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "read counts: %v", err)
	}
	defer rd.Close()
	rows, warnings, err := readTableRows(rd)
	if err != nil {
		return Strata{}, warnings, peyvand.Errorf(peyvand.EINVALID, "read counts: %v", err)
	}
	header, rows, err := dropEmptyColumns(rd.Header(), rows)
	if err != nil {
		return Strata{}, warnings, err
	}
	lay, err := readCountsHeader(header, stratum, comma)
	if err != nil {
		return Strata{}, warnings, err
	}
	totals, ws := totalRows(rows, lay)
	warnings = append(warnings, ws...)
	lay, ws, err = chooseLists(rows, totals, lay)
	warnings = append(warnings, ws...)
	if err != nil {
		return Strata{}, warnings, err
	}
	var data []countRow
	for i, row := range rows {
		if !totals[i] {
			data = append(data, row)
		}
	}
	listCols, ws := readListColumns(data, lay)
	warnings = append(warnings, ws...)
	return buildStrata(data, lay, listCols, warnings)
}

// buildStrata sums the rows into one table per stratum. Tables are keyed
// by stratumKey while the rows are read, and named by stratumNames once
// every spelling has been seen.
func buildStrata(rows []countRow, lay countsLayout, listCols []listColumn, warnings []Warning) (Strata, []Warning, error) {
	tables := map[string]Table{} // by stratum key
	var keys []string            // stratum keys in the order first seen
	names := newStratumNames()
	type cell struct {
		stratum string // key
		h       uint32
		other   string // the stratum as written and the values of ignored columns: rows differing there are no repeat
	}
	linesOf := map[cell][]int{}
	var cells []cell // in the order first seen
	var skipped []int
	type noList struct{ line, count int }
	var noLists []noList
	type subtotal struct {
		line, count int
		stratum     string // key; "" for a row that has no stratum either
	}
	var subtotals []subtotal
	total := 0
	for _, row := range rows {
		if lay.strataCol >= 0 && blankLists(row.cells, lay) {
			// A stratum and a count alone: the stratum's subtotal, or with
			// no stratum, the file's total. Neither is a cell of the table.
			if c, err := ParseCount(row.cells[lay.countCol]); err == nil {
				st := subtotal{line: row.line, count: c}
				if strings.TrimSpace(row.cells[lay.strataCol]) != "" {
					st.stratum = names.key(row.cells[lay.strataCol], row.line)
				}
				subtotals = append(subtotals, st)
				continue
			}
		}
		h, c, err := parseCountRow(row.cells, lay, listCols)
		var zero zeroRowError
		if errors.As(err, &zero) {
			warnings = append(warnings, Warning{Line: row.line, Message: "ignored: its count is 0, so it adds no one, but " + zero.err.Error()})
			continue
		}
		if err != nil {
			warnings = append(warnings, Warning{Line: row.line, Message: "skipped: " + err.Error()})
			skipped = append(skipped, row.line)
			continue
		}
		if h == 0 {
			if c != 0 {
				noLists = append(noLists, noList{row.line, c})
			}
			continue
		}
		total += c
		key := ""
		if lay.strataCol >= 0 {
			key = names.key(row.cells[lay.strataCol], row.line)
		}
		t, ok := tables[key]
		if !ok {
			t = Table{Lists: lay.lists, Counts: map[uint32]int{}}
			tables[key] = t
			keys = append(keys, key)
		}
		t.Counts[h] += c
		var other []string
		if lay.strataCol >= 0 {
			// Rows of one stratum spelt differently (Tehran, تهران) come
			// from different sources, not from a pasted row.
			other = append(other, strings.TrimSpace(row.cells[lay.strataCol]))
		}
		for _, col := range lay.ignored {
			other = append(other, stratumKey(row.cells[col]))
		}
		k := cell{key, h, strings.Join(other, "\x00")}
		if linesOf[k] == nil {
			cells = append(cells, k)
		}
		linesOf[k] = append(linesOf[k], row.line)
	}
	nameOf := func(key string) string {
		if lay.strataCol < 0 {
			return ""
		}
		return names.name(key)
	}
	for _, n := range noLists {
		msg := fmt.Sprintf("%s on no list ignored: the unobserved cell is what is estimated", persons(n.count))
		switch {
		case n.count < 0:
			msg = "a row on no list ignored: the unobserved cell is what is estimated"
		case n.count == total:
			msg = fmt.Sprintf("a row on no list with count %d, the sum of the other rows, ignored as a total row", n.count)
		}
		warnings = append(warnings, Warning{Line: n.line, Message: msg})
	}
	for _, s := range subtotals {
		warnings = append(warnings, subtotalWarning(s.line, s.count, s.stratum != "", nameOf(s.stratum), tables[s.stratum], total))
	}
	warnings = append(warnings, names.warnings()...)
	for _, k := range cells {
		if lines := linesOf[k]; len(lines) > 1 {
			where := ""
			if lay.strataCol >= 0 {
				where = fmt.Sprintf(" in stratum %q", nameOf(k.stratum))
			}
			warnings = append(warnings, Warning{Message: fmt.Sprintf("history %s%s appears on lines %s: their counts are added",
				historyString(k.h, len(lay.lists)), where, joinLines(lines))})
		}
	}
	st := Strata{Tables: map[string]Table{}}
	for _, key := range keys {
		name := nameOf(key)
		if err := tables[key].Validate(); err != nil {
			warnings = append(warnings, Warning{Message: fmt.Sprintf("stratum %q dropped: %v", name, err)})
			continue
		}
		st.Names = append(st.Names, name)
		st.Tables[name] = tables[key]
	}
	if len(skipped) > 0 {
		warnings = append([]Warning{incompleteWarning(skipped)}, warnings...)
	}
	if len(st.Names) == 0 {
		return st, warnings, peyvand.Errorf(peyvand.EINVALID, "no one is observed in the counts (%d row%s skipped)", len(skipped), plural(len(skipped)))
	}
	return st, warnings, nil
}

// blankLists reports whether every list cell of a row is blank.
func blankLists(cells []string, lay countsLayout) bool {
	for _, col := range lay.listCols {
		if strings.TrimSpace(cells[col]) != "" {
			return false
		}
	}
	return true
}

// subtotalWarning says why a row of a stratified file with a count but no
// list marks was ignored: with a stratum, it is that stratum's subtotal
// (t is the stratum's table, empty if it has no other rows); without one,
// the file's total. A count that is not the sum of the rows it totals is
// said, as it points at a row missing or added.
func subtotalWarning(line, count int, hasStratum bool, name string, t Table, total int) Warning {
	if !hasStratum {
		msg := fmt.Sprintf("a row with no stratum and no list, count %d, ignored as a total row", count)
		if count != total {
			msg += fmt.Sprintf(": it differs from %d, the sum of the other rows", total)
		}
		return Warning{Line: line, Message: msg}
	}
	sum := t.Observed()
	var msg string
	switch {
	case len(t.Counts) == 0:
		msg = fmt.Sprintf("a subtotal row of stratum %q ignored: the stratum has no rows by list, so there is no overlap to estimate it from, and the estimate leaves out its %s", name, persons(count))
	case count == sum:
		msg = fmt.Sprintf("a subtotal row of stratum %q (count %d, the sum of its rows) ignored", name, count)
	default:
		msg = fmt.Sprintf("a subtotal row of stratum %q ignored: its count, %d, differs from %d, the sum of the stratum's rows; check that no row of the stratum is missing or extra", name, count, sum)
	}
	return Warning{Line: line, Message: msg}
}

// persons writes a number of persons: "1 person", "2 people".
func persons(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}

// incompleteWarning heads the warnings when rows were skipped: each row of
// a counts file is a cell of the table, so a skipped row is not one odd
// record among thousands but a hole in the data, which changes the overlaps
// every estimate rests on.
func incompleteWarning(lines []int) Warning {
	rows := "1 row"
	if len(lines) > 1 {
		rows = fmt.Sprintf("%d rows", len(lines))
	}
	return Warning{Message: fmt.Sprintf("THE TABLE IS INCOMPLETE: %s of the file could not be read (line%s %s, see below) and the estimate leaves their people out; it is not an estimate for the whole file: fix those rows and run again",
		rows, plural(len(lines)), joinLinesMax(lines, 10))}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// readTableRows reads every data row, with what lenient reading repaired
// as warnings, leaving out comment rows (first cell starting with #).
// Counts tables are small (one row per history and stratum), so holding
// them lets the columns be judged whole first.
func readTableRows(rd table.Reader) ([]countRow, []Warning, error) {
	var rows []countRow
	var warnings []Warning
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return rows, warnings, nil
		}
		if err != nil {
			return nil, warnings, err
		}
		if len(row.Cells) > 0 && strings.HasPrefix(row.Cells[0], "#") {
			continue
		}
		for _, w := range row.Warnings {
			warnings = append(warnings, Warning{Line: row.Line, Message: w})
		}
		rows = append(rows, countRow{line: row.Line, cells: row.Cells})
	}
}

// dropEmptyColumns leaves out columns with no name and nothing in them
// (a trailing comma on every line, or an empty column between two lists).
// A column with no name but values is an error, as it cannot be told apart
// from a list.
func dropEmptyColumns(header []string, rows []countRow) ([]string, []countRow, error) {
	var keep []int
	for i, h := range header {
		if h != "" {
			keep = append(keep, i)
			continue
		}
		for _, row := range rows {
			if v := row.cells[i]; v != "" {
				return nil, nil, peyvand.Errorf(peyvand.EINVALID, "line 1, column %d: the column has no name, yet holds %q on line %d: name it (a list, or count), or remove it",
					i+1, v, row.line)
			}
		}
	}
	if len(keep) == len(header) {
		return header, rows, nil
	}
	h := make([]string, len(keep))
	for j, i := range keep {
		h[j] = header[i]
	}
	for r, row := range rows {
		cells := make([]string, len(keep))
		for j, i := range keep {
			cells[j] = row.cells[i]
		}
		rows[r].cells = cells
	}
	return h, rows, nil
}

func delimiterName(c rune) string {
	switch c {
	case 0:
		return "an XLSX sheet, not"
	case ',':
		return "comma"
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	}
	return fmt.Sprintf("%q", c)
}

// countNames head a count column: "count" first, then what the column is
// called elsewhere (statistics packages, German, French and Persian
// spreadsheets). Matching ignores case and surrounding space.
var countNames = []string{"count", "n", "freq", "frequency", "anzahl", "nombre", "تعداد"}

// readCountsHeader finds the count column and the stratum column; every
// other column is a list unless chooseLists finds otherwise. Two columns
// that could each be the count ("count" and "n", say) are an error: one of
// them is a list, and only the user knows which.
func readCountsHeader(header []string, stratum string, comma rune) (countsLayout, error) {
	lay := countsLayout{header: header, countCol: -1, strataCol: -1}
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = persian.Normalize(h)
		if stratum != "" && strings.EqualFold(names[i], persian.Normalize(stratum)) {
			lay.strataCol = i
		}
	}
	var cands []int
	for i, name := range names {
		if i != lay.strataCol && equalFoldAny(name, countNames) {
			cands = append(cands, i)
		}
	}
	if len(cands) > 1 {
		return lay, ambiguousCountError(names, cands)
	}
	if len(cands) == 1 {
		lay.countCol = cands[0]
	}
	if lay.countCol < 0 {
		return lay, noCountError(names, comma)
	}
	if stratum != "" && lay.strataCol < 0 {
		return lay, peyvand.Errorf(peyvand.EINVALID, "line 1: no column named %q to stratify by", stratum)
	}
	for i := range names {
		if i != lay.countCol && i != lay.strataCol {
			lay.listCols = append(lay.listCols, i)
			lay.lists = append(lay.lists, names[i])
		}
	}
	return lay, nil
}

// ambiguousCountError names the columns that could each be the count: a
// list may be headed "count" or "n" as well as the counts, and taking one
// would drop the other as not a list (or read the counts as one).
func ambiguousCountError(names []string, cols []int) error {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = strconv.Quote(names[c])
	}
	how := "two"
	if len(cols) > 2 {
		how = strconv.Itoa(len(cols))
	}
	return peyvand.Errorf(peyvand.EINVALID, "line 1: %s count columns, %s: each could hold the counts; rename the one that is a list (a list may not be headed count, n, freq, frequency, Anzahl, nombre or تعداد)",
		how, andList(q))
}

func equalFoldAny(s string, set []string) bool {
	for _, w := range set {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

// noCountError says which columns the header has and what most likely
// went wrong.
func noCountError(names []string, comma rune) error {
	quoted := make([]string, 0, len(names))
	for i, n := range names {
		if i == 12 {
			quoted = append(quoted, fmt.Sprintf("… (%d in all)", len(names)))
			break
		}
		quoted = append(quoted, strconv.Quote(n))
	}
	msg := fmt.Sprintf("line 1: no count column among the %d columns read (%s delimited): %s", len(names), delimiterName(comma), strings.Join(quoted, ", "))
	hint := "name the column that holds how many persons share each row's lists \"count\" (n, freq, frequency, Anzahl, nombre or تعداد are read too); if each row is one person, add a column count with 1 on every row"
	if equalFoldAny("source", names) && equalFoldAny("cluster_id", names) {
		hint = "this is a clusters file (source,record_id,cluster_id, as peyvand link writes it): give it with --clusters"
	} else if len(names) == 1 {
		hint = "the header is one column: the file is likely delimited by something other than a comma, semicolon, tab or |; save it as CSV with commas"
	} else if n, ok := countLike(names); ok {
		hint = fmt.Sprintf("column %q looks like the count: rename it count", n)
	}
	return peyvand.Errorf(peyvand.EINVALID, "%s; %s", msg, hint)
}

// countLike returns the first column whose name has a word for a count in
// it ("person_count", "Count of persons"; not "country").
func countLike(names []string) (string, bool) {
	for _, n := range names {
		for _, w := range words(n) {
			if equalFoldAny(w, countNames) || equalFoldAny(w, []string{"counts", "number", "total", "persons", "people"}) {
				return n, true
			}
		}
	}
	return "", false
}

// words splits a header into its lower-case words.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && r != '\u200c' })
}

// stratumWords name columns that divide a table rather than list people:
// a province or region, a city, a year, a month or period, in English,
// Persian, German and French. Such a column is never read as a list, even
// coded 0/1, as a list named "region" is almost surely a forgotten
// --strata.
var stratumWords = []string{
	"province", "region", "city", "district", "year", "period", "month", "quarter",
	"استان", "شهر", "منطقه", "شهرستان", "سال", "ماه", "دوره",
	"provinz", "jahr", "monat", "stadt", "bezirk", "zeitraum",
	"région", "année", "annee", "ville", "mois", "période", "periode",
}

// totalWords label a row that sums the others.
var totalWords = []string{"total", "totals", "sum", "summe", "gesamt", "insgesamt", "somme", "جمع", "مجموع", "جمع کل", "کل"}

// totalRows finds rows that sum the table, labelled Total, Summe, جمع in a
// list or stratum cell with the other list cells blank or 0: reading them as
// data would double the people, and skipping them as malformed would call
// the table incomplete.
func totalRows(rows []countRow, lay countsLayout) ([]bool, []Warning) {
	totals := make([]bool, len(rows))
	var warnings []Warning
	for r, row := range rows {
		label := ""
		for i, v := range row.cells {
			if i != lay.countCol && equalFoldAny(persian.Normalize(v), totalWords) {
				label = v
				break
			}
		}
		if label == "" {
			continue
		}
		total := true
		for _, col := range lay.listCols {
			if v := row.cells[col]; v != label && v != "" && !isOffCell(v) {
				total = false
			}
		}
		if total {
			totals[r] = true
			warnings = append(warnings, Warning{Line: row.line, Message: fmt.Sprintf("a total row (%q) ignored", label)})
		}
	}
	return totals, warnings
}

// chooseLists leaves out of the lists each column that is not one: a
// column whose header names a stratum, or one too many of whose cells are
// not list marks (notes, a region coded 1/2/3, a year). Reading such a
// column as a list would make up a list, or skip every row whose cell is
// not a mark, which is worse than leaving the column out: its rows are
// then added over its values, the table the other lists give.
func chooseLists(rows []countRow, totals []bool, lay countsLayout) (countsLayout, []Warning, error) {
	var warnings []Warning
	var lists []string
	var listCols []int
	for j, col := range lay.listCols {
		name := lay.lists[j]
		var values []string // distinct, as written
		seen := map[string]bool{}
		nonBlank, notMark := 0, 0
		for r, row := range rows {
			v := row.cells[col]
			if totals[r] || v == "" {
				continue
			}
			nonBlank++
			if !isListCell(v) {
				notMark++
			}
			if k := stratumKey(v); !seen[k] {
				seen[k] = true
				values = append(values, v)
			}
		}
		stratumLike := false
		for _, w := range words(name) {
			stratumLike = stratumLike || equalFoldAny(w, stratumWords)
		}
		// A mark is expected in every list column; a stray 2 or note in one
		// row is a typo to skip with a warning, but two or more in a
		// quarter of the cells are the column's own values.
		other := notMark >= 2 && 4*notMark >= nonBlank || nonBlank > 0 && 2*notMark >= nonBlank
		if !stratumLike && !other {
			lists = append(lists, name)
			listCols = append(listCols, col)
			continue
		}
		lay.ignored = append(lay.ignored, col)
		why := "its header names a stratum, not a list"
		if !stratumLike {
			why = fmt.Sprintf("%d of its %d filled cells are not list marks such as 1, 0, x or yes", notMark, nonBlank)
		}
		advice := "; the column is left out"
		if stratumLike || len(values) <= 12 && len(values) < nonBlank {
			advice = fmt.Sprintf("; the column is left out and its rows are added together: if it divides the table, estimate each part with --strata %s", quoteFlag(name))
		}
		warnings = append(warnings, Warning{Message: fmt.Sprintf("column %q is not a list: %s (values %s)%s", name, why, quoteSome(values, 4), advice)})
	}
	lay.lists, lay.listCols = lists, listCols
	if len(lists) < MinLists || len(lists) > MaxLists {
		return lay, warnings, peyvand.Errorf(peyvand.EINVALID, "line 1: %d list columns, need between %d and %d", len(lists), MinLists, MaxLists)
	}
	if err := (Table{Lists: lists}).validateLists(); err != nil {
		return lay, warnings, err
	}
	return lay, warnings, nil
}

// quoteFlag quotes a column name for a command line when it needs it.
func quoteFlag(s string) string {
	if strings.ContainsAny(s, " \t'\"") {
		return strconv.Quote(s)
	}
	return s
}

// quoteSome quotes the first n values, and counts the rest.
func quoteSome(values []string, n int) string {
	q := make([]string, 0, n+1)
	for i, v := range values {
		if i == n {
			q = append(q, fmt.Sprintf("%d more", len(values)-n))
			break
		}
		q = append(q, strconv.Quote(v))
	}
	return strings.Join(q, ", ")
}

// historyString writes history h over k lists as its 0/1 cells, e.g. 1,0,1.
func historyString(h uint32, k int) string {
	cells := make([]string, k)
	for i := range cells {
		cells[i] = strconv.Itoa(int(h >> i & 1))
	}
	return strings.Join(cells, ",")
}

// joinLines lists line numbers as prose: "3 and 9", "3, 9 and 12"; past
// six, the rest are counted, not listed.
func joinLines(lines []int) string { return joinLinesMax(lines, 6) }

// joinLinesMax is joinLines listing at most show lines.
func joinLinesMax(lines []int, show int) string {
	s := make([]string, 0, show+1)
	for i, l := range lines {
		if i == show-1 && len(lines) > show {
			s = append(s, fmt.Sprintf("%d more", len(lines)-i))
			break
		}
		s = append(s, strconv.Itoa(l))
	}
	return andList(s)
}

// andList joins items as prose: "a and b", "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
