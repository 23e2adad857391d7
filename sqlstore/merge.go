package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"peyvand"
)

// MergePersons puts each group of records (by record id) into one person:
// of the persons the group's records belong to, the oldest stands and the
// others are merged into it (merged_into), their records moving over. A
// person's id thus never changes meaning, and links to a merged person lead
// to the one that stands. Groups already in one person change nothing, so
// linking again is harmless. It returns how many persons were merged away.
func (s *Store) MergePersons(ctx context.Context, actor string, groups [][]string) (int, error) {
	merged := 0
	err := s.change(ctx, actor, func(w *writer) error {
		w.describe("person.merge", "", map[string]any{})
		personOf, err := w.recordPersons(ctx)
		if err != nil {
			return err
		}
		persons, err := w.standingPersons(ctx)
		if err != nil {
			return err
		}
		recordsOf := map[string][]string{}
		for rid, p := range personOf {
			recordsOf[p] = append(recordsOf[p], rid)
		}
		for _, g := range groups {
			var ids []string
			seen := map[string]bool{}
			for _, rid := range g {
				p, ok := personOf[rid]
				if !ok {
					return peyvand.Errorf(peyvand.ENOTFOUND, "record %q not found", rid)
				}
				if !seen[p] {
					seen[p] = true
					ids = append(ids, p)
				}
			}
			if len(ids) < 2 {
				continue
			}
			// The oldest person stands: the one families and staff have
			// known longest.
			sort.Slice(ids, func(i, j int) bool {
				a, b := persons[ids[i]], persons[ids[j]]
				if a.created != b.created {
					return a.created < b.created
				}
				return ids[i] < ids[j]
			})
			for _, p := range ids[1:] {
				if err := w.mergeInto(ctx, p, ids[0], persons[p]); err != nil {
					return err
				}
				for _, rid := range recordsOf[p] {
					personOf[rid] = ids[0]
				}
				recordsOf[ids[0]] = append(recordsOf[ids[0]], recordsOf[p]...)
				delete(recordsOf, p)
				merged++
			}
		}
		w.detail["persons_merged"] = merged
		return nil
	})
	return merged, err
}

type personRow struct {
	created, seq int64
}

func (w *writer) recordPersons(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	rows, err := w.query(ctx, "SELECT id, person_id FROM records")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, p string
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, rows.Err()
}

func (w *writer) standingPersons(ctx context.Context) (map[string]personRow, error) {
	out := map[string]personRow{}
	rows, err := w.query(ctx, "SELECT id, created_at, audit_seq FROM persons WHERE merged_into IS NULL")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var p personRow
		if err := rows.Scan(&id, &p.created, &p.seq); err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, rows.Err()
}

// mergeInto merges person from into person to: from's records move over,
// and from records where it went.
func (w *writer) mergeInto(ctx context.Context, from, to string, row personRow) error {
	p := peyvand.Person{ID: from, CreatedAt: fromMicro(row.created), MergedInto: to}
	if err := w.write(ctx, "persons", w.s.personValues(p), rewriteRow, row.seq); err != nil {
		return err
	}
	moves, seqs, err := w.personRecords(ctx, from)
	if err != nil {
		return err
	}
	for i, vals := range moves {
		vals[3] = to // person_id
		if err := w.write(ctx, "records", vals, rewriteRow, seqs[i]); err != nil {
			return fmt.Errorf("move record %v to person %s: %w", vals[0], to, err)
		}
	}
	return nil
}

// personRecords reads the stored rows of a person's records (every column
// but audit_seq, which write sets) and the entry that last wrote each, for
// rewriting them.
func (w *writer) personRecords(ctx context.Context, person string) (rows [][]any, seqs []int64, err error) {
	cols := recordCols[:len(recordCols)-1]
	rs, err := w.query(ctx, "SELECT "+strings.Join(cols, ", ")+", audit_seq FROM records WHERE person_id = ?", person)
	if err != nil {
		return nil, nil, err
	}
	defer rs.Close()
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols)+1)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var seq int64
		ptrs[len(cols)] = &seq
		if err := rs.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		rows, seqs = append(rows, vals), append(seqs, seq)
	}
	return rows, seqs, rs.Err()
}

// query runs a query in the transaction once everything buffered is
// written.
func (w *writer) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := w.drain(ctx); err != nil {
		return nil, err
	}
	return w.tx.QueryContext(ctx, w.s.q(query), args...)
}
