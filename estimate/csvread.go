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
// Rows repeating a history are summed, and a row on no list is skipped with a
// warning, since nobody can be observed on no list. A malformed cell is an
// error naming its line and column.
func ReadCounts(r io.Reader) (Table, []Warning, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Table{}, nil, peyvand.Errorf(peyvand.EINVALID, "counts file is empty: want a header such as list1,list2,count")
	}
	if err != nil {
		return Table{}, nil, peyvand.Errorf(peyvand.EINVALID, "read counts header: %v", err)
	}
	countCol := -1
	var lists []string
	var listCols []int
	for i, name := range header {
		name = strings.TrimSpace(name)
		if strings.EqualFold(name, "count") {
			if countCol >= 0 {
				return Table{}, nil, peyvand.Errorf(peyvand.EINVALID, "line 1: two count columns")
			}
			countCol = i
			continue
		}
		lists = append(lists, name)
		listCols = append(listCols, i)
	}
	if countCol < 0 {
		return Table{}, nil, peyvand.Errorf(peyvand.EINVALID, "line 1: no column named count")
	}
	t := Table{Lists: lists, Counts: make(map[uint32]int)}
	if len(lists) < MinLists || len(lists) > MaxLists {
		return Table{}, nil, peyvand.Errorf(peyvand.EINVALID, "line 1: %d list columns, need between %d and %d", len(lists), MinLists, MaxLists)
	}
	var warnings []Warning
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Table{}, warnings, peyvand.Errorf(peyvand.EINVALID, "read counts: %v", err)
		}
		line, _ := cr.FieldPos(0)
		h, c, err := parseCountRow(rec, header, listCols, countCol)
		if err != nil {
			return Table{}, warnings, peyvand.Errorf(peyvand.EINVALID, "line %d, %v", line, err)
		}
		if h == 0 {
			if c > 0 {
				warnings = append(warnings, Warning{Line: line, Message: fmt.Sprintf("%d people on no list ignored: the unobserved cell is what is estimated", c)})
			}
			continue
		}
		t.Counts[h] += c
	}
	return t, warnings, t.Validate()
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
