package estimate

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"peyvand"
	"peyvand/table"
)

// ReadCounts reads a table of capture-history counts as CSV: a header naming
// one column per list plus a column "count", then one row per history with 0
// or 1 under each list and a non-negative integer count, e.g.
//
//	amnesty,hengaw,hrana,count
//	1,0,0,412
//	1,1,0,57
//
// The delimiter is sniffed from the header line (comma, semicolon, tab or
// |, as spreadsheets save CSV in different locales). The count column may
// also be headed n, freq, frequency, Anzahl, nombre or تعداد; list cells may
// be written yes/no, true/false, x or ✓, and a blank cell is 0 in a column
// that never writes 0.
//
// Rows repeating a history are summed, with one warning per repeated history
// naming its lines (a history may be split over rows, by source batch for
// one, but a repeat is more often a copy-paste slip). A row on no list is
// skipped with a warning, since nobody can be observed on no list, and so
// is a row with a malformed cell, naming its line and column: this is an
// analyst's tool, and one odd row must not end the run. A header without
// lists or a count column, or a table with no one observed, is an error.
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
}

// countRow is one data row as read, with its line.
type countRow struct {
	line  int
	cells []string
}

// ReadStrata reads counts like ReadCounts, split by the values of the
// column named stratum ("" for no split: one stratum named ""). A stratum
// in which no one is observed is dropped with a warning.
func ReadStrata(r io.Reader, stratum string) (Strata, []Warning, error) {
	cr, comma, err := newCountsReader(r)
	if err != nil {
		return Strata{}, nil, err
	}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "counts file is empty: want a header such as list1,list2,count")
	}
	if err != nil {
		return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "read counts header: %v", err)
	}
	lay, err := readCountsHeader(header, stratum, comma)
	if err != nil {
		return Strata{}, nil, err
	}
	rows, warnings, err := readCountRows(cr, len(header))
	if err != nil {
		return Strata{}, warnings, err
	}
	if err := notAList(rows, lay); err != nil {
		return Strata{}, warnings, err
	}
	listCols, ws := readListColumns(rows, lay)
	warnings = append(warnings, ws...)

	st := Strata{Tables: map[string]Table{}}
	type cell struct {
		stratum string
		h       uint32
	}
	linesOf := map[cell][]int{}
	var cells []cell // in the order first seen
	for _, row := range rows {
		h, c, err := parseCountRow(row.cells, lay, listCols)
		if err != nil {
			warnings = append(warnings, Warning{Line: row.line, Message: "skipped: " + err.Error()})
			continue
		}
		if h == 0 {
			if c > 0 {
				warnings = append(warnings, Warning{Line: row.line, Message: fmt.Sprintf("%d people on no list ignored: the unobserved cell is what is estimated", c)})
			}
			continue
		}
		name := ""
		if lay.strataCol >= 0 {
			name = strings.TrimSpace(row.cells[lay.strataCol])
		}
		t, ok := st.Tables[name]
		if !ok {
			t = Table{Lists: lay.lists, Counts: map[uint32]int{}}
			st.Tables[name] = t
			st.Names = append(st.Names, name)
		}
		t.Counts[h] += c
		k := cell{name, h}
		if linesOf[k] == nil {
			cells = append(cells, k)
		}
		linesOf[k] = append(linesOf[k], row.line)
	}
	for _, k := range cells {
		if lines := linesOf[k]; len(lines) > 1 {
			where := ""
			if lay.strataCol >= 0 {
				where = fmt.Sprintf(" in stratum %q", k.stratum)
			}
			warnings = append(warnings, Warning{Message: fmt.Sprintf("history %s%s appears on lines %s: their counts are added",
				historyString(k.h, len(lay.lists)), where, joinLines(lines))})
		}
	}
	kept := st.Names[:0]
	for _, name := range st.Names {
		if err := st.Tables[name].Validate(); err != nil {
			warnings = append(warnings, Warning{Message: fmt.Sprintf("stratum %q dropped: %v", name, err)})
			delete(st.Tables, name)
			continue
		}
		kept = append(kept, name)
	}
	st.Names = kept
	if len(st.Names) == 0 {
		return st, warnings, peyvand.Errorf(peyvand.EINVALID, "no one is observed in the counts (%d rows skipped)", len(warnings))
	}
	return st, warnings, nil
}

// readCountRows reads every data row; a row that cannot be parsed or has
// the wrong number of fields is a warning. Counts tables are small (one
// row per history and stratum), so holding them lets readListColumns look
// at whole columns first.
func readCountRows(cr *csv.Reader, fields int) ([]countRow, []Warning, error) {
	var rows []countRow
	var warnings []Warning
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, warnings, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				warnings = append(warnings, Warning{Line: pe.StartLine, Message: "skipped: " + pe.Err.Error()})
				continue
			}
			return nil, warnings, peyvand.Errorf(peyvand.EINVALID, "read counts: %v", err)
		}
		line, _ := cr.FieldPos(0) // only for a record that was read: FieldPos panics after an error
		if len(rec) != fields {
			warnings = append(warnings, Warning{Line: line, Message: fmt.Sprintf("skipped: %d fields, the header has %d", len(rec), fields)})
			continue
		}
		rows = append(rows, countRow{line: line, cells: rec})
	}
}

// newCountsReader returns a CSV reader for r with the delimiter sniffed
// as the import sniffs it (table.SniffComma), from the file's first 64 KB.
func newCountsReader(r io.Reader) (*csv.Reader, rune, error) {
	const sample = 1 << 16
	br := bufio.NewReaderSize(r, sample+1)
	head, err := br.Peek(sample)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, 0, peyvand.Errorf(peyvand.EINVALID, "read counts header: %v", err)
	}
	comma := table.SniffComma(head, err != nil)
	cr := csv.NewReader(br)
	cr.Comma = comma
	// With a tab delimiter, trimming leading space would swallow empty
	// fields; cells are trimmed when parsed anyway.
	cr.TrimLeadingSpace = comma != '\t'
	cr.FieldsPerRecord = -1
	return cr, comma, nil
}

func delimiterName(c rune) string {
	switch c {
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

// readCountsHeader finds the lists, the count column and the stratum
// column. A column headed "count" wins over the other names, which can then
// name lists; two columns of the same standing are an error.
func readCountsHeader(header []string, stratum string, comma rune) (countsLayout, error) {
	lay := countsLayout{header: header, countCol: -1, strataCol: -1}
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if stratum != "" && strings.EqualFold(names[i], stratum) {
			lay.strataCol = i
		}
	}
	for _, want := range [][]string{countNames[:1], countNames[1:]} {
		for i, name := range names {
			if i == lay.strataCol || !equalFoldAny(name, want) {
				continue
			}
			if lay.countCol >= 0 {
				return lay, peyvand.Errorf(peyvand.EINVALID, "line 1: two count columns, %q and %q: rename the one that is a list", names[lay.countCol], name)
			}
			lay.countCol = i
		}
		if lay.countCol >= 0 {
			break
		}
	}
	if lay.countCol < 0 {
		return lay, noCountError(names, comma)
	}
	if stratum != "" && lay.strataCol < 0 {
		return lay, peyvand.Errorf(peyvand.EINVALID, "line 1: no column named %q to stratify by", stratum)
	}
	for i, name := range names {
		if i != lay.countCol && i != lay.strataCol {
			lay.lists = append(lay.lists, name)
			lay.listCols = append(lay.listCols, i)
		}
	}
	if len(lay.lists) < MinLists || len(lay.lists) > MaxLists {
		return lay, peyvand.Errorf(peyvand.EINVALID, "line 1: %d list columns, need between %d and %d", len(lay.lists), MinLists, MaxLists)
	}
	if err := (Table{Lists: lay.lists}).validateLists(); err != nil {
		return lay, err
	}
	return lay, nil
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
		words := strings.FieldsFunc(strings.ToLower(n), func(r rune) bool { return !unicode.IsLetter(r) })
		for _, w := range words {
			if equalFoldAny(w, countNames) || equalFoldAny(w, []string{"counts", "number", "total", "persons", "people"}) {
				return n, true
			}
		}
	}
	return "", false
}

// notAList is an error for a list column none of whose cells marks a
// list (a province, a date): every row would be skipped, one warning each,
// when the column is what is wrong.
func notAList(rows []countRow, lay countsLayout) error {
	for i, col := range lay.listCols {
		example, line := "", 0
		for _, row := range rows {
			v := strings.TrimSpace(row.cells[col])
			if v == "" || isListCell(v) {
				example = ""
				break
			}
			if example == "" {
				example, line = v, row.line
			}
		}
		if example != "" {
			return peyvand.Errorf(peyvand.EINVALID, "column %q is not a list: none of its cells is 0 or 1 (%q on line %d); if it divides the table, make it the stratum column (--strata %s), or else remove it",
				lay.lists[i], example, line, lay.lists[i])
		}
	}
	return nil
}

func isListCell(v string) bool {
	for _, st := range cellStyles {
		if equalFoldAny(v, st.on) || equalFoldAny(v, st.off) {
			return true
		}
	}
	return false
}

// cellStyle is how a list column writes "on the list" and "not on it".
type cellStyle struct {
	name    string // for messages
	on, off []string
}

// cellStyles are the ways spreadsheets write list membership; matching
// ignores case. A mark's absence is a blank cell.
var cellStyles = []cellStyle{
	{"0 or 1", []string{"1"}, []string{"0"}},
	{"yes or no", []string{"yes", "y", "true"}, []string{"no", "n", "false"}},
	{"a mark (x, ✓) or blank", []string{"x", "✓", "✔"}, nil},
}

// listColumn is how one list column is read.
type listColumn struct {
	style     cellStyle
	blankZero bool // a blank cell is "not on the list"
}

// readListColumns decides how each list column is written. A column is
// read in the style most of its cells use (0/1 on a tie), so that a stray
// x in a 0/1 column is an error rather than a 1. A blank cell means "not on
// the list" only in a column that never writes its "not" (1/blank, yes/
// blank, x/blank); where a column also writes 0, a blank is a gap and its
// row is skipped. One warning names the columns not written 0/1.
func readListColumns(rows []countRow, lay countsLayout) ([]listColumn, []Warning) {
	cols := make([]listColumn, len(lay.listCols))
	var named []string
	for i, col := range lay.listCols {
		votes := make([]int, len(cellStyles))
		off := make([]bool, len(cellStyles))
		blank := false
		for _, row := range rows {
			v := strings.TrimSpace(row.cells[col])
			blank = blank || v == ""
			for s, st := range cellStyles {
				if equalFoldAny(v, st.on) {
					votes[s]++
				}
				if equalFoldAny(v, st.off) {
					votes[s]++
					off[s] = true
				}
			}
		}
		best := 0
		for s := range votes {
			if votes[s] > votes[best] {
				best = s
			}
		}
		cols[i] = listColumn{style: cellStyles[best], blankZero: blank && !off[best]}
		switch {
		case best == 2:
			named = append(named, fmt.Sprintf("%q: x or ✓ = 1, blank = 0", lay.lists[i]))
		case best == 1 && cols[i].blankZero:
			named = append(named, fmt.Sprintf("%q: yes or true = 1, blank = 0", lay.lists[i]))
		case best == 1:
			named = append(named, fmt.Sprintf("%q: yes or true = 1, no or false = 0", lay.lists[i]))
		case cols[i].blankZero:
			named = append(named, fmt.Sprintf("%q: 1, blank = 0", lay.lists[i]))
		}
	}
	if len(named) == 0 {
		return cols, nil
	}
	return cols, []Warning{{Message: "list columns not written 0/1, read as " + strings.Join(named, "; ")}}
}

// maxCellCount bounds one row's count far above any real toll, so that sums
// of counts cannot overflow.
const maxCellCount = 1_000_000_000_000

// parseCountRow decodes one data row into its history and count.
func parseCountRow(rec []string, lay countsLayout, cols []listColumn) (uint32, int, error) {
	var h uint32
	for i, col := range lay.listCols {
		v, c := strings.TrimSpace(rec[col]), cols[i]
		switch {
		case equalFoldAny(v, c.style.on):
			h |= 1 << i
		case equalFoldAny(v, c.style.off), v == "" && c.blankZero:
		default:
			return 0, 0, fmt.Errorf("column %q: %q is not %s", lay.header[col], rec[col], c.style.name)
		}
	}
	c, err := strconv.Atoi(strings.TrimSpace(rec[lay.countCol]))
	if err != nil || c < 0 || c > maxCellCount {
		return 0, 0, fmt.Errorf("column %q: %q is not an integer between 0 and %d", lay.header[lay.countCol], rec[lay.countCol], maxCellCount)
	}
	return h, c, nil
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
func joinLines(lines []int) string {
	const show = 6
	s := make([]string, 0, show+1)
	for i, l := range lines {
		if i == show-1 && len(lines) > show {
			s = append(s, fmt.Sprintf("%d more", len(lines)-i))
			break
		}
		s = append(s, strconv.Itoa(l))
	}
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
