package estimate

import (
	"fmt"
	"strings"

	"peyvand"
)

// Limits on the number of lists in a Table. Two lists is the least from
// which any overlap can be seen; past fifteen the 2^k cells of the table
// make the log-linear design matrix impractically large.
const (
	MinLists = 2
	MaxLists = 15
)

// Table holds the observed capture histories of an MSE problem: Counts maps a
// history to the number of people with it, where bit i of the history is set
// when the person appears on Lists[i]. The all-zero history (on no list) is
// never observed and must be absent; it is what the estimators infer.
type Table struct {
	Lists  []string
	Counts map[uint32]int
}

// Row is one capture history and how many people share it.
type Row struct {
	Seen  []bool // Seen[i] reports presence on list i
	Count int
}

// Warning is a non-fatal problem found while reading or fitting. Line is the
// input line it concerns, or 0.
type Warning struct {
	Line    int
	Message string
}

// String renders w with its line number when it has one.
func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("line %d: %s", w.Line, w.Message)
	}
	return w.Message
}

// NewTable returns a validated copy of lists and counts; zero counts are
// dropped.
func NewTable(lists []string, counts map[uint32]int) (Table, error) {
	t := Table{Lists: append([]string(nil), lists...), Counts: make(map[uint32]int, len(counts))}
	for h, c := range counts {
		if c != 0 {
			t.Counts[h] = c
		}
	}
	return t, t.Validate()
}

// FromRows builds a validated Table from capture histories, summing rows that
// share a history. A row on no list is an error: such people cannot have
// been observed.
func FromRows(lists []string, rows []Row) (Table, error) {
	t := Table{Lists: append([]string(nil), lists...), Counts: make(map[uint32]int)}
	for r, row := range rows {
		if len(row.Seen) != len(lists) {
			return Table{}, peyvand.Errorf(peyvand.EINVALID, "row %d has %d lists, want %d", r+1, len(row.Seen), len(lists))
		}
		var h uint32
		for i, seen := range row.Seen {
			if seen {
				h |= 1 << i
			}
		}
		if h == 0 {
			return Table{}, peyvand.Errorf(peyvand.EINVALID, "row %d is on no list: such people cannot be observed", r+1)
		}
		t.Counts[h] += row.Count
	}
	return t, t.Validate()
}

// K returns the number of lists.
func (t Table) K() int { return len(t.Lists) }

// Observed returns the number of distinct people seen on at least one list.
func (t Table) Observed() int {
	n := 0
	for _, c := range t.Counts {
		n += c
	}
	return n
}

// Validate reports whether t is a well-formed MSE table: between MinLists
// and MaxLists uniquely named lists, histories within range and not all-zero,
// non-negative counts, and at least one person observed.
func (t Table) Validate() error {
	if err := t.validateLists(); err != nil {
		return err
	}
	k := len(t.Lists)
	for h, c := range t.Counts {
		if h == 0 || h >= 1<<k {
			return peyvand.Errorf(peyvand.EINVALID, "capture history %b is not a non-empty subset of %d lists", h, k)
		}
		if c < 0 {
			return peyvand.Errorf(peyvand.EINVALID, "capture history %b has negative count %d", h, c)
		}
	}
	if t.Observed() == 0 {
		return peyvand.Errorf(peyvand.EINVALID, "no one is observed on any list")
	}
	return nil
}

// validateLists checks the number and the names of the lists.
func (t Table) validateLists() error {
	k := len(t.Lists)
	if k < MinLists || k > MaxLists {
		return peyvand.Errorf(peyvand.EINVALID, "%d lists: need between %d and %d", k, MinLists, MaxLists)
	}
	seen := make(map[string]bool, k)
	for _, name := range t.Lists {
		key := strings.ToLower(strings.TrimSpace(name))
		if key == "" {
			return peyvand.Errorf(peyvand.EINVALID, "a list has an empty name")
		}
		if seen[key] {
			return peyvand.Errorf(peyvand.EINVALID, "list %q appears twice", name)
		}
		seen[key] = true
	}
	return nil
}

// dense returns the counts indexed by history, cell 0 included as zero.
func (t Table) dense() []float64 {
	y := make([]float64, 1<<len(t.Lists))
	for h, c := range t.Counts {
		y[h] = float64(c)
	}
	return y
}

// DropEmptyLists returns t without the lists no one is on (in a stratum a
// list did not cover, say) and the names of those dropped. An empty list
// adds nothing to an estimate but parameters, and to a log-linear model a
// margin of zero, which no model can fit.
func (t Table) DropEmptyLists() (Table, []string) {
	var on uint32
	for h, c := range t.Counts {
		if c > 0 {
			on |= h
		}
	}
	var keep []int
	var dropped []string
	for i, name := range t.Lists {
		if on>>i&1 == 1 {
			keep = append(keep, i)
		} else {
			dropped = append(dropped, name)
		}
	}
	if len(dropped) == 0 {
		return t, nil
	}
	out := Table{Counts: make(map[uint32]int, len(t.Counts))}
	for _, i := range keep {
		out.Lists = append(out.Lists, t.Lists[i])
	}
	for h, c := range t.Counts {
		var g uint32
		for j, i := range keep {
			g |= (h >> i & 1) << j
		}
		out.Counts[g] += c
	}
	return out, dropped
}
