package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"peyvand"
	"peyvand/audit"
)

// maxProblems bounds a report: after tampering, the first few problems say
// what happened; thousands more say nothing new.
const maxProblems = 20

// tally counts rows per entry and table.
type tally map[int64]map[string]int

func (t tally) add(seq int64, table string, n int) {
	if t[seq] == nil {
		t[seq] = map[string]int{}
	}
	t[seq][table] += n
}

// VerifyAudit checks the audit chain entry by entry and its sealed head;
// then every row of every table against its row MAC; then that every entry
// still has exactly the rows it wrote, less those later entries rewrote
// (moved into record_history). A row edited, inserted, deleted or put back
// from an older version behind the application's back fails one of these.
func (s *Store) VerifyAudit(ctx context.Context) (peyvand.AuditReport, error) {
	var rep peyvand.AuditReport
	add := func(format string, args ...any) {
		if len(rep.Problems) < maxProblems {
			rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...))
		}
	}
	want, kept := tally{}, tally{}
	// The chain's key changes at each key rotation (rotate.go).
	v, err := s.newChainVerifier(ctx)
	if err != nil {
		return rep, err
	}
	err = s.walk(ctx, "SELECT "+strings.Join(auditCols, ", ")+" FROM audit_log ORDER BY seq", nil, func(r scanner) error {
		var e peyvand.AuditEntry
		var at int64
		if err := r.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Entity, &e.Detail, &e.MAC); err != nil {
			return err
		}
		e.At = fromMicro(at)
		v.Entry(e)
		if err := expectRows(e, want, kept); err != nil {
			add("entry %d: %v", e.Seq, err)
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("read audit log: %w", err)
	}
	var head string
	if err := s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'audit_head'").Scan(&head); err != nil {
		add("chain head: missing (%v)", err)
	} else if f := strings.Fields(head); len(f) != 3 {
		add("chain head: malformed")
	} else {
		seq, _ := strconv.ParseInt(f[0], 10, 64)
		v.Head(seq, f[1], f[2])
	}
	if p := v.Problem(); p != "" {
		rep.Problems = append([]string{p}, rep.Problems...)
	}
	rep.Entries = v.Entries()
	have, history := tally{}, tally{}
	keys := v.rowKeys()
	for _, k := range kinds {
		if err := s.checkRows(ctx, k, k.table, k.table, keys, have, &rep, add); err != nil {
			return rep, err
		}
	}
	if err := s.checkRows(ctx, kind{"record", "record_history", recordCols}, "record_history", "records", keys, history, &rep, add); err != nil {
		return rep, err
	}
	compareTallies(want, have, "", add)
	compareTallies(kept, history, "earlier revisions kept in record_history of ", add)
	return rep, nil
}

// expectRows adds what entry e says it wrote to want, takes away from the
// entries it names the rows it rewrote, and counts those in kept.
func expectRows(e peyvand.AuditEntry, want, kept tally) error {
	var d struct {
		Rows      map[string]int            `json:"rows"`
		Moved     map[string]map[string]int `json:"moved"`
		Rewritten map[string]map[string]int `json:"rewritten"`
	}
	if e.Detail == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(e.Detail), &d); err != nil {
		return fmt.Errorf("its detail is not readable: %v", err)
	}
	for table, n := range d.Rows {
		want.add(e.Seq, table, n)
	}
	for _, m := range []struct {
		from map[string]map[string]int
		kept bool
	}{{d.Moved, true}, {d.Rewritten, false}} {
		for table, from := range m.from {
			for seqText, n := range from {
				seq, err := strconv.ParseInt(seqText, 10, 64)
				if err != nil {
					return fmt.Errorf("its detail names entry %q", seqText)
				}
				want.add(seq, table, -n)
				if m.kept {
					kept.add(seq, table, n)
				}
			}
		}
	}
	return nil
}

// checkRows checks the row MAC of every row of table (whose columns are
// k's) under one of keys (the chain's current key, and during a key
// rotation the key it replaces) and counts the rows per entry, as rows of
// countAs.
func (s *Store) checkRows(ctx context.Context, k kind, table, countAs string, keys []*audit.Chain, counts tally, rep *peyvand.AuditReport, add func(string, ...any)) error {
	n := len(k.cols)
	var f audit.Fields
	err := s.walk(ctx, "SELECT "+strings.Join(k.cols, ", ")+", row_mac FROM "+table, nil, func(r scanner) error {
		vals, err := scanAny(r, n+1)
		if err != nil {
			return err
		}
		rep.Rows++
		seq, _ := strconv.ParseInt(canonical(vals[n-1]), 10, 64)
		if !macUnderAny(keys, k.name, vals[:n], canonical(vals[n]), &f) {
			add("%s %s: does not match its MAC (edited or inserted behind the application's back; it claims entry %d)", table, canonical(vals[0]), seq)
		}
		counts.add(seq, countAs, 1)
		return nil
	})
	if err != nil {
		return fmt.Errorf("verify %s: %w", table, err)
	}
	return nil
}

// compareTallies reports, entry by entry in order, where the rows found
// differ from the rows the chain says there should be.
func compareTallies(want, have tally, what string, add func(string, ...any)) {
	seqs := map[int64]bool{}
	for seq := range want {
		seqs[seq] = true
	}
	for seq := range have {
		seqs[seq] = true
	}
	order := make([]int64, 0, len(seqs))
	for seq := range seqs {
		order = append(order, seq)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	for _, seq := range order {
		tables := map[string]bool{}
		for t := range want[seq] {
			tables[t] = true
		}
		for t := range have[seq] {
			tables[t] = true
		}
		names := make([]string, 0, len(tables))
		for t := range tables {
			names = append(names, t)
		}
		sort.Strings(names)
		for _, t := range names {
			if w, h := want[seq][t], have[seq][t]; w != h {
				add("entry %d: should have %d %s%s rows, the database has %d (rows deleted, inserted or put back behind the application's back)", seq, w, what, t, h)
			}
		}
	}
}

func scanAny(r scanner, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, r.Scan(ptrs...)
}
