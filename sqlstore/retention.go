package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"peyvand"
)

// Retention (docs/DATA.md): a family's contact is kept while the registry
// may still have to reach them. Once their inquiry is closed, or the news
// was delivered (its case is "told"), and nothing has happened on the
// inquiry for the retention period, the inquiry's contact and the case's
// delivery note (how and where the family was reached) are deleted. The
// rows stay, so the counts, the case's state and the audit chain are
// unchanged; only the sealed values become "".

// RetentionPolicy says what to delete and when.
type RetentionPolicy struct {
	// ContactsAfter is how long after the last activity on a closed
	// inquiry or a told case its contact details are kept.
	ContactsAfter time.Duration
	// DryRun counts what would be deleted and changes nothing.
	DryRun bool
	// Now is the time the period is counted to (zero: the store's clock).
	Now time.Time
	// Batch is the most inquiries one transaction clears (default 500).
	Batch int
}

// RetentionReport counts what retention did, or would do; it never holds
// the data.
type RetentionReport struct {
	InquiryContacts int // inquiries whose contact was deleted
	CaseDeliveries  int // cases whose delivery note was deleted
	// NotYetDue are closed inquiries and told cases that still hold
	// contact details, kept because their period has not run out.
	NotYetDue int
	// Changed are inquiries that were due but changed while retention
	// ran; a later run takes them up.
	Changed int
}

// retentionCandidate is an inquiry whose contact details retention may
// delete, with the entries that last wrote its rows, to notice a change
// between the selection and the deletion.
type retentionCandidate struct {
	id                    string
	inquirySeq, caseSeq   int64
	contact, delivery     bool
	createdAt, caseUpdate int64
}

// ApplyRetention deletes the contact details that the policy says are no
// longer needed, in batches, each a transaction with a "retention" audit
// entry that counts what it deleted. Running it again deletes nothing more.
func (s *Store) ApplyRetention(ctx context.Context, actor string, p RetentionPolicy) (RetentionReport, error) {
	var rep RetentionReport
	if p.ContactsAfter < 0 {
		return rep, peyvand.Errorf(peyvand.EINVALID, "retention period is negative")
	}
	if p.Now.IsZero() {
		p.Now = s.now()
	}
	if p.Batch <= 0 {
		p.Batch = 500
	}
	cands, err := s.retentionCandidates(ctx)
	if err != nil {
		return rep, err
	}
	last, err := s.lastActivity(ctx)
	if err != nil {
		return rep, err
	}
	cutoff := micro(p.Now.Add(-p.ContactsAfter))
	var due []retentionCandidate
	for _, c := range cands {
		// The latest of: the inquiry's creation, its case's last update,
		// and the last audited change naming the inquiry (a case opened
		// or updated, the inquiry closed). Retention's and key rotation's
		// own entries name no inquiry, so they do not restart the period.
		at := max(c.createdAt, c.caseUpdate, last["inquiry:"+c.id])
		if at > cutoff {
			rep.NotYetDue++
			continue
		}
		due = append(due, c)
	}
	if p.DryRun {
		for _, c := range due {
			rep.InquiryContacts += b2iInt(c.contact)
			rep.CaseDeliveries += b2iInt(c.delivery)
		}
		return rep, nil
	}
	days := int64(p.ContactsAfter / (24 * time.Hour))
	for len(due) > 0 {
		n := min(len(due), p.Batch)
		if err := s.retentionBatch(ctx, actor, days, due[:n], &rep); err != nil {
			return rep, err
		}
		due = due[n:]
	}
	return rep, nil
}

func b2iInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// retentionCandidates are the closed inquiries and the inquiries whose
// case is told that still hold a contact or a delivery note.
func (s *Store) retentionCandidates(ctx context.Context) ([]retentionCandidate, error) {
	var out []retentionCandidate
	err := s.walk(ctx, `SELECT i.id, i.audit_seq, i.created_at,
			CASE WHEN i.contact_sealed <> '' THEN 1 ELSE 0 END,
			COALESCE(c.audit_seq, 0), COALESCE(c.updated_at, 0),
			CASE WHEN c.delivery_sealed <> '' THEN 1 ELSE 0 END
		FROM inquiries i LEFT JOIN cases c ON c.inquiry_id = i.id
		WHERE (i.state = ? OR c.state = ?) AND (i.contact_sealed <> '' OR c.delivery_sealed <> '')
		ORDER BY i.id`, []any{string(peyvand.InquiryClosed), string(peyvand.CaseTold)}, func(r scanner) error {
		var c retentionCandidate
		var contact, delivery int64
		if err := r.Scan(&c.id, &c.inquirySeq, &c.createdAt, &contact, &c.caseSeq, &c.caseUpdate, &delivery); err != nil {
			return err
		}
		c.contact, c.delivery = contact != 0, delivery != 0
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("select inquiries for retention: %w", err)
	}
	return out, nil
}

// lastActivity returns, per entity that names an inquiry ("inquiry:…"),
// the time of its latest audit entry: one pass over the log.
func (s *Store) lastActivity(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	err := s.walk(ctx, "SELECT entity, MAX(at) FROM audit_log WHERE entity LIKE 'inquiry:%' GROUP BY entity", nil, func(r scanner) error {
		var e string
		var at int64
		if err := r.Scan(&e, &at); err != nil {
			return err
		}
		out[e] = at
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read inquiries' last activity: %w", err)
	}
	return out, nil
}

// retentionBatch clears one batch in one transaction. A row whose audit_seq
// moved since the selection was changed meanwhile (a case reopened, say):
// it is left for the next run, which judges it afresh.
func (s *Store) retentionBatch(ctx context.Context, actor string, days int64, batch []retentionCandidate, rep *RetentionReport) error {
	var contacts, deliveries, changed int
	err := s.change(ctx, actor, func(w *writer) error {
		for _, c := range batch {
			inq, err := w.rowByKey(ctx, "inquiries", inquiryCols, c.id)
			if err != nil {
				return err
			}
			var cs []any
			if c.caseSeq != 0 {
				if cs, err = w.rowByKey(ctx, "cases", caseCols, c.id); err != nil {
					return err
				}
			}
			if inq == nil || seqOf(inq) != c.inquirySeq || (c.caseSeq != 0 && (cs == nil || seqOf(cs) != c.caseSeq)) {
				changed++
				continue
			}
			if c.contact {
				if err := w.clearSealed(ctx, "inquiries", inquiryCols, inq, "contact_sealed"); err != nil {
					return err
				}
				contacts++
			}
			if c.delivery {
				if err := w.clearSealed(ctx, "cases", caseCols, cs, "delivery_sealed"); err != nil {
					return err
				}
				deliveries++
			}
		}
		if contacts+deliveries == 0 {
			return nil // nothing written: no entry
		}
		w.describe("retention", "", map[string]any{"contacts_after_days": days,
			"inquiry_contacts": contacts, "case_deliveries": deliveries})
		return nil
	})
	if err != nil {
		return fmt.Errorf("retention: %w", err)
	}
	rep.InquiryContacts += contacts
	rep.CaseDeliveries += deliveries
	rep.Changed += changed
	return nil
}

// rowByKey reads a row's stored columns (audit_seq last) by its primary
// key inside the transaction; nil if there is none.
func (w *writer) rowByKey(ctx context.Context, table string, cols []string, key string) ([]any, error) {
	rows, err := w.query(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+table+" WHERE "+cols[0]+" = ?", key)
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", table, key, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, nil
	}
	return scanAny(rows, len(cols))
}

func seqOf(vals []any) int64 {
	n, _ := strconv.ParseInt(canonical(vals[len(vals)-1]), 10, 64)
	return n
}

// clearSealed rewrites a row (vals, audit_seq last) with one sealed column
// emptied.
func (w *writer) clearSealed(ctx context.Context, table string, cols []string, vals []any, column string) error {
	out := append([]any(nil), vals[:len(vals)-1]...)
	for i, c := range cols[:len(cols)-1] {
		if c == column {
			out[i] = ""
		}
	}
	return w.write(ctx, table, out, rewriteRow, seqOf(vals))
}
