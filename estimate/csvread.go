package estimate

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"peyvand"
)

// ReadCounts reads a table of capture-history counts as CSV: a header naming
// one column per list plus a column "count", then one row per history with 0
// or 1 under each list and a non-negative integer count, e.g.
//
//	amnesty,hengaw,hrana,count
//	1,0,0,412
//	1,1,0,57
//
// Rows repeating a history are summed. A row on no list is skipped with a
// warning, since nobody can be observed on no list, and so is a row with a
// malformed cell, naming its line and column: this is an analyst's tool, and
// one odd row must not end the run. A header without lists or a count
// column, or a table with no one observed, is an error.
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

// ReadStrata reads counts like ReadCounts, split by the values of the
// column named stratum ("" for no split: one stratum named ""). A stratum
// in which no one is observed is dropped with a warning.
func ReadStrata(r io.Reader, stratum string) (Strata, []Warning, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "counts file is empty: want a header such as list1,list2,count")
	}
	if err != nil {
		return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "read counts header: %v", err)
	}
	countCol, strataCol := -1, -1
	var lists []string
	var listCols []int
	for i, name := range header {
		name = strings.TrimSpace(strings.TrimPrefix(name, "\ufeff"))
		switch {
		case strings.EqualFold(name, "count"):
			if countCol >= 0 {
				return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "line 1: two count columns")
			}
			countCol = i
		case stratum != "" && strings.EqualFold(name, stratum):
			strataCol = i
		default:
			lists = append(lists, name)
			listCols = append(listCols, i)
		}
	}
	if countCol < 0 {
		return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "line 1: no column named count")
	}
	if stratum != "" && strataCol < 0 {
		return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "line 1: no column named %q to stratify by", stratum)
	}
	if len(lists) < MinLists || len(lists) > MaxLists {
		return Strata{}, nil, peyvand.Errorf(peyvand.EINVALID, "line 1: %d list columns, need between %d and %d", len(lists), MinLists, MaxLists)
	}
	if err := (Table{Lists: lists}).validateLists(); err != nil {
		return Strata{}, nil, err
	}
	st := Strata{Tables: map[string]Table{}}
	var warnings []Warning
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				warnings = append(warnings, Warning{Line: pe.StartLine, Message: "skipped: " + pe.Err.Error()})
				continue
			}
			return Strata{}, warnings, peyvand.Errorf(peyvand.EINVALID, "read counts: %v", err)
		}
		line, _ := cr.FieldPos(0) // only for a record that was read: FieldPos panics after an error
		if len(rec) != len(header) {
			warnings = append(warnings, Warning{Line: line, Message: fmt.Sprintf("skipped: %d fields, the header has %d", len(rec), len(header))})
			continue
		}
		h, c, err := parseCountRow(rec, header, listCols, countCol)
		if err != nil {
			warnings = append(warnings, Warning{Line: line, Message: "skipped: " + err.Error()})
			continue
		}
		if h == 0 {
			if c > 0 {
				warnings = append(warnings, Warning{Line: line, Message: fmt.Sprintf("%d people on no list ignored: the unobserved cell is what is estimated", c)})
			}
			continue
		}
		name := ""
		if strataCol >= 0 {
			name = strings.TrimSpace(rec[strataCol])
		}
		t, ok := st.Tables[name]
		if !ok {
			t = Table{Lists: lists, Counts: map[uint32]int{}}
			st.Tables[name] = t
			st.Names = append(st.Names, name)
		}
		t.Counts[h] += c
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

// maxCellCount bounds one row's count far above any real toll, so that sums
// of counts cannot overflow.
const maxCellCount = 1_000_000_000_000

// parseCountRow decodes one data row into its history and count.
func parseCountRow(rec, header []string, listCols []int, countCol int) (uint32, int, error) {
	var h uint32
	for i, col := range listCols {
		switch strings.TrimSpace(rec[col]) {
		case "0":
		case "1":
			h |= 1 << i
		default:
			return 0, 0, fmt.Errorf("column %q: %q is not 0 or 1", header[col], rec[col])
		}
	}
	c, err := strconv.Atoi(strings.TrimSpace(rec[countCol]))
	if err != nil || c < 0 || c > maxCellCount {
		return 0, 0, fmt.Errorf("column %q: %q is not an integer between 0 and %d", header[countCol], rec[countCol], maxCellCount)
	}
	return h, c, nil
}
