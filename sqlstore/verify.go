package sqlstore

import (
	"context"
	"crypto/hmac"
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
		if err := r.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Entity, &e.ContentMAC, &e.Detail, &e.Prev, &e.MAC); err != nil {
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

// verifyRows compares each row of a table with the latest audit entry that
// names it, and looks for entities the chain names that are gone.
func (s *Store) verifyRows(ctx context.Context, k kind, rep *peyvand.AuditReport, add func(string, ...any)) error {
	prefix := k.name + ":"
	query := "SELECT " + prefixed("t", k.cols) + `,
		a.seq, a.content_mac FROM ` + k.table + ` t LEFT JOIN audit_log a ON a.seq =
		(SELECT max(x.seq) FROM audit_log x WHERE x.entity = '` + prefix + `' || t.id) ORDER BY a.seq`
	n := len(k.cols)
	err := s.walk(ctx, query, nil, func(r scanner) error {
		vals := make([]any, n+2)
		ptrs := make([]any, n+2)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return err
		}
		rep.Rows++
		id := canonical(vals[0])
		if vals[n] == nil {
			add("%s %s: not in the audit chain (inserted behind the application's back)", k.table, id)
			return nil
		}
		seq, mac := canonical(vals[n]), canonical(vals[n+1])
		if !hmac.Equal([]byte(s.chain.Content(k.name, canonicalAll(vals[:n]))), []byte(mac)) {
			add("entry %s: %s %s no longer matches it (edited behind the application's back)", seq, k.table, id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("verify %s: %w", k.table, err)
	}
	return s.walk(ctx, `SELECT a.entity, min(a.seq) FROM audit_log a WHERE a.entity LIKE '`+prefix+`%'
		AND NOT EXISTS (SELECT 1 FROM `+k.table+` t WHERE t.id = substr(a.entity, `+strconv.Itoa(len(prefix)+1)+`))
		GROUP BY a.entity ORDER BY 2 LIMIT `+strconv.Itoa(maxProblems), nil, func(r scanner) error {
		var entity string
		var seq int64
		if err := r.Scan(&entity, &seq); err != nil {
			return err
		}
		add("entry %d: names %s, which is no longer in the database (deleted behind the application's back)", seq, entity)
		return nil
	})
}

// verifyHistory checks that each kept revision of a record is one the chain
// once vouched for.
func (s *Store) verifyHistory(ctx context.Context, rep *peyvand.AuditReport, add func(string, ...any)) error {
	n := len(recordCols)
	var bad [][2]string
	err := s.walk(ctx, "SELECT "+strings.Join(recordCols, ", ")+" FROM record_history", nil, func(r scanner) error {
		vals := make([]any, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return err
		}
		rep.Rows++
		bad = append(bad, [2]string{canonical(vals[0]), s.chain.Content("record", canonicalAll(vals))})
		return nil
	})
	if err != nil {
		return fmt.Errorf("verify record_history: %w", err)
	}
	for _, b := range bad {
		var found int
		err := s.db.QueryRowContext(ctx, s.q("SELECT count(*) FROM audit_log WHERE entity = ? AND content_mac = ?"),
			"record:"+b[0], b[1]).Scan(&found)
		if err != nil {
			return err
		}
		if found == 0 {
			add("record_history %s: a revision the audit chain never recorded (edited behind the application's back)", b[0])
		}
	}
	return nil
}
