package sqlstore

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"peyvand"
)

// maxProblems bounds a report: after tampering, the first few problems say
// what happened; thousands more say nothing new.
const maxProblems = 20

// VerifyAudit checks the audit chain link by link, its sealed head, and then
// every data row against the last entry the chain holds for it: a row edited,
// inserted or deleted without the application shows up as a row whose
// content the chain does not vouch for.
func (s *Store) VerifyAudit(ctx context.Context) (peyvand.AuditReport, error) {
	var rep peyvand.AuditReport
	add := func(format string, args ...any) {
		if len(rep.Problems) < maxProblems {
			rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...))
		}
	}
	v := s.chain.NewVerifier()
	err := s.walk(ctx, "SELECT "+strings.Join(auditCols, ", ")+" FROM audit_log ORDER BY seq", nil, func(r scanner) error {
		var e peyvand.AuditEntry
		var at int64
		if err := r.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Entity, &e.ContentMAC, &e.Detail, &e.MAC); err != nil {
			return err
		}
		e.At = fromMicro(at)
		v.Entry(e)
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
	for _, k := range kinds {
		if err := s.verifyRows(ctx, k, &rep, add); err != nil {
			return rep, err
		}
	}
	if err := s.verifyHistory(ctx, &rep, add); err != nil {
		return rep, err
	}
	return rep, nil
}

// verifyRows checks a table against the chain: each row's content against
// the entry its audit_seq names, which must be about that row; and, per
// entity, that the row carries the chain's last word on it (not an older
// version put back) and exists unless the chain deleted it.
func (s *Store) verifyRows(ctx context.Context, k kind, rep *peyvand.AuditReport, add func(string, ...any)) error {
	if err := s.checkRows(ctx, k, rep, add); err != nil {
		return err
	}
	prefix := k.name + ":"
	// The last entry about each entity, against the row that stands.
	query := `SELECT l.entity, l.seq, a.action, t.audit_seq FROM
		(SELECT entity, max(seq) AS seq FROM audit_log WHERE entity LIKE '` + prefix + `%' GROUP BY entity) l
		JOIN audit_log a ON a.seq = l.seq
		LEFT JOIN ` + k.table + ` t ON t.id = substr(l.entity, ` + strconv.Itoa(len(prefix)+1) + `)
		ORDER BY l.seq`
	return s.walk(ctx, query, nil, func(r scanner) error {
		var entity, action string
		var last int64
		var seq sql.NullInt64
		if err := r.Scan(&entity, &last, &action, &seq); err != nil {
			return err
		}
		deleted := strings.HasSuffix(action, ".delete")
		switch {
		case !seq.Valid && !deleted:
			add("entry %d: names %s, which is no longer in the database (deleted behind the application's back)", last, entity)
		case seq.Valid && deleted:
			add("entry %d: deleted %s, which is in the database again (inserted behind the application's back)", last, entity)
		case seq.Valid && seq.Int64 != last:
			add("entry %d: is the last word on %s, but the row is the version of entry %d (put back behind the application's back)", last, entity, seq.Int64)
		}
		return nil
	})
}

// checkRow checks one row (its columns, then the entity and content MAC
// of the entry its audit_seq names).
func (s *Store) checkRow(k kind, vals []any, add func(string, ...any)) {
	n := len(k.cols)
	id, seq := canonical(vals[0]), canonical(vals[n-1])
	switch {
	case vals[n] == nil:
		add("%s %s: not in the audit chain (inserted behind the application's back)", k.table, id)
	case canonical(vals[n]) != k.name+":"+id:
		add("entry %s: is not about %s %s, which claims it (inserted or edited behind the application's back)", seq, k.table, id)
	case !hmac.Equal([]byte(s.chain.Content(k.name, canonicalAll(vals[:n]))), []byte(canonical(vals[n+1]))):
		add("entry %s: %s %s no longer matches it (edited behind the application's back)", seq, k.table, id)
	}
}

// checkRows checks each row of k's table against the entry its audit_seq
// names.
func (s *Store) checkRows(ctx context.Context, k kind, rep *peyvand.AuditReport, add func(string, ...any)) error {
	n := len(k.cols)
	query := "SELECT " + prefixed("t", k.cols) + `, a.entity, a.content_mac
		FROM ` + k.table + ` t LEFT JOIN audit_log a ON a.seq = t.audit_seq ORDER BY t.audit_seq`
	err := s.walk(ctx, query, nil, func(r scanner) error {
		vals, err := scanAny(r, n+2)
		if err != nil {
			return err
		}
		rep.Rows++
		s.checkRow(k, vals, add)
		return nil
	})
	if err != nil {
		return fmt.Errorf("verify %s: %w", k.table, err)
	}
	return nil
}

// verifyHistory checks that each kept revision of a record is the version
// an entry of the chain once vouched for.
func (s *Store) verifyHistory(ctx context.Context, rep *peyvand.AuditReport, add func(string, ...any)) error {
	return s.checkRows(ctx, kind{"record", "record_history", recordCols}, rep, add)
}

func scanAny(r scanner, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, r.Scan(ptrs...)
}
