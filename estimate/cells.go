package estimate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"peyvand/persian"
)

// cellKey is how a list cell is matched: Persian digits and letters as
// persian.Normalize writes them, in lower case.
func cellKey(v string) string {
	return strings.ToLower(persian.Normalize(v))
}

func isListCell(v string) bool {
	k := cellKey(v)
	for _, st := range cellStyles {
		if st.isOn(k) || st.isOff(k) {
			return true
		}
	}
	return false
}

// isOffCell reports whether v says "not on the list" in any style.
func isOffCell(v string) bool {
	k := cellKey(v)
	for _, st := range cellStyles {
		if st.isOff(k) {
			return true
		}
	}
	return false
}

// cellStyle is how a list column writes "on the list" and "not on it".
type cellStyle struct {
	name    string   // for messages
	on, off []string // as cellKey writes them
	// plainOn and plainOff are the marks that need no note in this style;
	// other marks (ja, -, بله) are named in the note.
	plainOn, plainOff []string
	onText, offText   string // the note for the plain marks
}

func (st cellStyle) isOn(k string) bool  { return equalFoldAny(k, st.on) }
func (st cellStyle) isOff(k string) bool { return equalFoldAny(k, st.off) || equalFoldAny(k, dashes) }

// dashes say "not on the list" in any style.
var dashes = []string{"-", "–", "—", "−"}

// cellStyles are the ways spreadsheets write list membership, in the
// languages of the people who use peyvand. A mark's absence is a blank
// cell.
var cellStyles = []cellStyle{
	{name: "0 or 1", on: []string{"1", "1.0", "1.00", "1,0"}, off: []string{"0", "0.0", "0.00", "0,0"},
		plainOn: []string{"1", "1.0", "1.00", "1,0"}, plainOff: []string{"0", "0.0", "0.00", "0,0"}, onText: "1", offText: "0"},
	{name: "yes or no",
		on:      []string{"yes", "y", "true", "بله", "آری", "اری", "دارد", "ja", "wahr", "oui", "vrai", "si", "sí"},
		off:     []string{"no", "n", "false", "خیر", "نه", "ندارد", "nein", "falsch", "non", "faux"},
		plainOn: []string{"yes", "y", "true"}, plainOff: []string{"no", "n", "false"}, onText: "yes or true", offText: "no or false"},
	{name: "a mark (x, ✓) or blank", on: []string{"x", "✓", "✔", "☑"},
		plainOn: []string{"x", "✓", "✔", "☑"}, onText: "x or ✓", offText: "blank"},
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
		var marks []string // distinct cell keys, in the order seen
		for _, row := range rows {
			v := row.cells[col]
			blank = blank || v == ""
			k := cellKey(v)
			if v != "" && !equalFoldAny(k, marks) {
				marks = append(marks, k)
			}
			for s, st := range cellStyles {
				if st.isOn(k) {
					votes[s]++
				}
				if st.isOff(k) {
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
		if note := styleNote(cols[i], marks); note != "" {
			named = append(named, fmt.Sprintf("%q: %s", lay.lists[i], note))
		}
	}
	if len(named) == 0 {
		return cols, nil
	}
	return cols, []Warning{{Message: "list columns not written 0/1, read as " + strings.Join(named, "; ")}}
}

// styleNote says how a column was read, or "" for plain 0 and 1. The
// marks are named as the column writes them when they are not the plain
// ones of the style (ja/nein, بله/خیر, 1/-).
func styleNote(c listColumn, marks []string) string {
	st := c.style
	var on, off []string
	plain := true
	for _, m := range marks {
		switch {
		case st.isOn(m):
			on = append(on, m)
			plain = plain && equalFoldAny(m, st.plainOn)
		case st.isOff(m):
			off = append(off, m)
			plain = plain && equalFoldAny(m, st.plainOff)
		}
	}
	onText, offText := st.onText, st.offText
	if !plain {
		onText, offText = strings.Join(on, " or "), strings.Join(off, " or ")
	}
	switch {
	case c.blankZero && offText != "" && offText != st.offText && !plain:
		offText += " or blank"
	case c.blankZero:
		offText = "blank"
	}
	if st.name == cellStyles[0].name {
		if plain && !c.blankZero {
			return ""
		}
		return fmt.Sprintf("%s, %s = 0", onText, offText)
	}
	return fmt.Sprintf("%s = 1, %s = 0", onText, offText)
}

// maxCellCount bounds one row's count far above any real toll, so that sums
// of counts cannot overflow.
const maxCellCount = 1_000_000_000_000

// parseCountRow decodes one data row into its history and count. A row
// with a malformed list cell and a count of 0 gives a zeroRowError: it
// adds no one, so it leaves no hole in the table.
func parseCountRow(rec []string, lay countsLayout, cols []listColumn) (uint32, int, error) {
	var h uint32
	var cellErr error
	for i, col := range lay.listCols {
		v, c := rec[col], cols[i]
		k := cellKey(v)
		switch {
		case c.style.isOn(k):
			h |= 1 << i
		case c.style.isOff(k), v == "" && c.blankZero:
		default:
			if cellErr == nil {
				cellErr = fmt.Errorf("column %q (column %d): %q is not %s", lay.header[col], col+1, v, c.style.name)
			}
		}
	}
	c, err := ParseCount(rec[lay.countCol])
	if cellErr != nil {
		if err == nil && c == 0 {
			return 0, 0, zeroRowError{cellErr}
		}
		return 0, 0, cellErr
	}
	if err != nil && h == 0 {
		return 0, -1, nil // no one can be on no list, so the count does not matter
	}
	if err != nil {
		return 0, 0, fmt.Errorf("column %q (column %d): %w", lay.header[lay.countCol], lay.countCol+1, err)
	}
	return h, c, nil
}

// zeroRowError is a malformed list cell in a row whose count is 0.
type zeroRowError struct{ err error }

func (e zeroRowError) Error() string { return e.err.Error() }

// ParseCount reads a count of persons as spreadsheets write it: with
// Persian or Arabic-Indic digits, with thousands separators ("1,234",
// "1.234.567", "1 234", "1'234", "۱٬۲۳۴") and with a zero fraction
// ("120.0"), a plus sign ("+120") or a minus zero ("-0", "−0", which is
// 0). A separator followed by other than three digits is read as a
// decimal point, so "1.5" is a fraction, an error, and "1.234" is 1234,
// as in German and Persian spreadsheets. Negative counts, fractions, text
// and counts above 10^12 are errors that say which.
func ParseCount(s string) (int, error) {
	v := strings.TrimSpace(persian.Digits(s))
	if v == "" {
		return 0, errors.New("the count is blank")
	}
	if strings.HasPrefix(v, "+") {
		// An explicit plus sign, as some exports write positive numbers.
		v = strings.TrimSpace(v[1:])
		if v == "" || strings.ContainsAny(v[:1], "+-") || strings.HasPrefix(v, "−") {
			return 0, fmt.Errorf("%q is not a number of persons", s)
		}
	}
	if strings.HasPrefix(v, "-") || strings.HasPrefix(v, "−") {
		if n, err := ParseCount(strings.TrimLeft(v, "-−")); err == nil {
			if n == 0 {
				return 0, nil // -0 is 0, as a spreadsheet may round to it
			}
			return 0, fmt.Errorf("%q is negative: a count of persons is 0 or more", s)
		}
	}
	n, ok := parseGrouped(v)
	if !ok && strings.Trim(v, "0123456789") == "" {
		n, ok = maxCellCount+1, true // too many digits for an int
	}
	if !ok {
		if _, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64); err == nil {
			return 0, fmt.Errorf("%q is a fraction, not a whole number of persons", s)
		}
		return 0, fmt.Errorf("%q is not a number of persons", s)
	}
	if n > maxCellCount {
		return 0, fmt.Errorf("%q is more than %d", s, maxCellCount)
	}
	return n, nil
}

// parseGrouped reads digits with thousands separators and an optional
// zero fraction.
func parseGrouped(v string) (int, bool) {
	v = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009', '\'', '’':
			return '_' // only ever a thousands separator
		}
		return r
	}, v)
	// The last . or , is a decimal point if what follows it is not a group
	// of three digits, or if the other one groups the thousands before it
	// ("1,234.000"); it must then be followed by zeros only.
	if i := strings.LastIndexAny(v, ".,"); i >= 0 {
		frac, point, before := v[i+1:], v[i:i+1], v[:i]
		if len(frac) != 3 || !strings.Contains(before, point) && strings.ContainsAny(before, ".,") {
			if strings.Contains(before, point) || frac == "" || strings.Trim(frac, "0") != "" {
				return 0, false
			}
			v = before
		}
	}
	var sep byte
	var groups []string
	start := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= '0' && c <= '9' {
			continue
		}
		if c != '.' && c != ',' && c != '_' || sep != 0 && c != sep {
			return 0, false
		}
		sep = c
		groups = append(groups, v[start:i])
		start = i + 1
	}
	groups = append(groups, v[start:])
	if len(groups) > 1 {
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false
			}
		}
	}
	digits := strings.Join(groups, "")
	if digits == "" || len(digits) > 18 {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil
}
