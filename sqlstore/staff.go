package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"

	"peyvand"
)

var _ peyvand.Staff = (*Store)(nil)

func (s *Store) accountValues(a peyvand.Account) []any {
	return []any{a.ID, a.Username, string(a.Role), a.Organisation, a.PasswordHash,
		s.seal(a.TOTPSecret, "accounts", "totp", a.ID), b2i(a.Disabled), int64(a.FailedLogins),
		micro(a.LockedUntil), micro(a.CreatedAt)}
}

func validAccount(a peyvand.Account) error {
	switch {
	case a.Username == "" || len(a.Username) > 64 || strings.ContainsAny(a.Username, " \t\r\n"):
		return peyvand.Errorf(peyvand.EINVALID, "username: 1 to 64 characters without spaces")
	case !a.Role.Valid():
		return peyvand.Errorf(peyvand.EINVALID, "role: %q is not verifier, caseworker, analyst or admin", a.Role)
	case a.PasswordHash == "":
		return peyvand.Errorf(peyvand.EINVALID, "account needs a password")
	case len(a.Organisation) > 200:
		return peyvand.Errorf(peyvand.EINVALID, "organisation: longer than 200 bytes")
	}
	return nil
}

// CreateAccount stores a new staff account.
func (s *Store) CreateAccount(ctx context.Context, actor string, a peyvand.Account) (peyvand.Account, error) {
	if err := validAccount(a); err != nil {
		return a, err
	}
	err := s.change(ctx, actor, func(w *writer) error {
		found, err := w.exists(ctx, "SELECT 1 FROM accounts WHERE username = ?", a.Username)
		if err != nil {
			return err
		}
		if found {
			return peyvand.Errorf(peyvand.ECONFLICT, "an account named %q exists", a.Username)
		}
		a.ID, a.CreatedAt = w.ids.Next("acc"), w.at
		w.describe("account.create", "account:"+a.ID, map[string]any{"role": a.Role})
		return w.write(ctx, "accounts", s.accountValues(a), insertRow, 0)
	})
	return a, err
}

// UpdateAccount rewrites an account. Failed sign-ins are audited too: a
// run of them is what an attack looks like.
func (s *Store) UpdateAccount(ctx context.Context, actor string, a peyvand.Account) error {
	if err := validAccount(a); err != nil {
		return err
	}
	return s.change(ctx, actor, func(w *writer) error {
		row, err := w.queryRow(ctx, "SELECT username, created_at, audit_seq FROM accounts WHERE id = ?", a.ID)
		if err != nil {
			return err
		}
		var name string
		var created, seq int64
		if err := row.Scan(&name, &created, &seq); err != nil {
			return notFound(err, "account", a.ID)
		}
		a.Username, a.CreatedAt = name, fromMicro(created) // neither ever changes
		w.describe("account.update", "account:"+a.ID, map[string]any{"role": a.Role, "disabled": a.Disabled,
			"failed_logins": a.FailedLogins})
		return w.write(ctx, "accounts", s.accountValues(a), rewriteRow, seq)
	})
}

func (s *Store) scanAccount(r scanner) (peyvand.Account, error) {
	var a peyvand.Account
	var role, totp string
	var disabled, failed, locked, created, seq int64
	if err := r.Scan(&a.ID, &a.Username, &role, &a.Organisation, &a.PasswordHash, &totp,
		&disabled, &failed, &locked, &created, &seq); err != nil {
		return a, err
	}
	a.Role, a.Disabled, a.FailedLogins = peyvand.Role(role), disabled != 0, int(failed)
	a.LockedUntil, a.CreatedAt = fromMicro(locked), fromMicro(created)
	o := opener{k: s.keys, table: "accounts", id: a.ID}
	a.TOTPSecret = o.open("totp", totp)
	return a, o.err
}

var accountSelect = "SELECT " + strings.Join(accountCols, ", ") + " FROM accounts"

// AccountByName returns the account with this username.
func (s *Store) AccountByName(ctx context.Context, username string) (peyvand.Account, error) {
	a, err := s.scanAccount(s.queryRow(ctx, accountSelect+" WHERE username = ?", username))
	return a, notFound(err, "account", username)
}

// AccountByID returns the account with this id.
func (s *Store) AccountByID(ctx context.Context, id string) (peyvand.Account, error) {
	a, err := s.scanAccount(s.queryRow(ctx, accountSelect+" WHERE id = ?", id))
	return a, notFound(err, "account", id)
}

// Accounts lists every account by username.
func (s *Store) Accounts(ctx context.Context) ([]peyvand.Account, error) {
	var out []peyvand.Account
	err := s.walk(ctx, accountSelect+" ORDER BY username", nil, func(r scanner) error {
		a, err := s.scanAccount(r)
		out = append(out, a)
		return err
	})
	return out, err
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss peyvand.Session) error {
	_, err := s.db.ExecContext(ctx, s.q("INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)"),
		ss.TokenHash, ss.AccountID, micro(ss.CreatedAt), micro(ss.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	// Expired sessions are of no use to anyone; clearing them here keeps
	// the table small without a janitor.
	_, err = s.db.ExecContext(ctx, s.q("DELETE FROM sessions WHERE expires_at < ?"), micro(s.now()))
	return err
}

// SessionByHash returns an unexpired session.
func (s *Store) SessionByHash(ctx context.Context, hash string) (peyvand.Session, error) {
	ss := peyvand.Session{TokenHash: hash}
	var created, expires int64
	err := s.queryRow(ctx, "SELECT account_id, created_at, expires_at FROM sessions WHERE token_hash = ?", hash).
		Scan(&ss.AccountID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && expires < micro(s.now())) {
		return ss, peyvand.Errorf(peyvand.ENOTFOUND, "no such session")
	} else if err != nil {
		return ss, fmt.Errorf("read session: %w", err)
	}
	ss.CreatedAt, ss.ExpiresAt = fromMicro(created), fromMicro(expires)
	return ss, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.db.ExecContext(ctx, s.q("DELETE FROM sessions WHERE token_hash = ?"), hash)
	return err
}

// UseTOTPStep records that an account signed in with the one-time code of
// time step step, and refuses (ECONFLICT) a step at or before the last one
// used: a code is good once. The conditional upsert is one statement, so
// two servers checking the same code at once cannot both accept it.
func (s *Store) UseTOTPStep(ctx context.Context, accountID string, step int64) error {
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO totp_steps (account_id, step) VALUES (?, ?)
		ON CONFLICT (account_id) DO UPDATE SET step = excluded.step WHERE totp_steps.step < excluded.step`), accountID, step)
	if err != nil {
		return fmt.Errorf("record one-time code: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("record one-time code: %w", err)
	} else if n == 0 {
		return peyvand.Errorf(peyvand.ECONFLICT, "this one-time code was used already: wait for the next one")
	}
	return nil
}

// Decide records a reviewer's decision on a pair of records. Decisions are
// never edited: a later one on the same pair replaces it for the linkage.
func (s *Store) Decide(ctx context.Context, actor string, d peyvand.PairDecision) error {
	if !d.Decision.Valid() {
		return peyvand.Errorf(peyvand.EINVALID, "decision: %q is not same, different or unsure", d.Decision)
	}
	if d.RecordA == d.RecordB || d.RecordA == "" || d.RecordB == "" {
		return peyvand.Errorf(peyvand.EINVALID, "a decision needs two different records")
	}
	if d.RecordB < d.RecordA {
		d.RecordA, d.RecordB = d.RecordB, d.RecordA
	}
	return s.change(ctx, actor, func(w *writer) error {
		for _, id := range []string{d.RecordA, d.RecordB} {
			found, err := w.exists(ctx, "SELECT 1 FROM records WHERE id = ?", id)
			if err != nil {
				return err
			}
			if !found {
				return peyvand.Errorf(peyvand.ENOTFOUND, "record %q not found", id)
			}
		}
		id := w.ids.Next("dec")
		w.describe("pair.decide", "decision:"+id, map[string]any{"a": d.RecordA, "b": d.RecordB, "decision": d.Decision})
		return w.write(ctx, "decisions", []any{id, d.RecordA, d.RecordB, string(d.Decision), actor, micro(w.at)}, insertRow, 0)
	})
}

// Decisions returns the latest decision on each pair.
func (s *Store) Decisions(ctx context.Context) ([]peyvand.PairDecision, error) {
	latest := map[[2]string]peyvand.PairDecision{}
	err := s.walk(ctx, "SELECT record_a, record_b, decision, actor, at FROM decisions ORDER BY at, id", nil, func(r scanner) error {
		var d peyvand.PairDecision
		var dec string
		var at int64
		if err := r.Scan(&d.RecordA, &d.RecordB, &dec, &d.Actor, &at); err != nil {
			return err
		}
		d.Decision, d.At = peyvand.Decision(dec), fromMicro(at)
		latest[[2]string{d.RecordA, d.RecordB}] = d
		return nil
	})
	out := make([]peyvand.PairDecision, 0, len(latest))
	for _, d := range latest {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].RecordA != out[j].RecordA {
			return out[i].RecordA < out[j].RecordA
		}
		return out[i].RecordB < out[j].RecordB
	})
	return out, err
}

// SplitPerson moves the records out of their person into a new person. All
// must belong to the same person, and some records must stay behind.
func (s *Store) SplitPerson(ctx context.Context, actor string, recordIDs []string) (string, error) {
	if len(recordIDs) == 0 {
		return "", peyvand.Errorf(peyvand.EINVALID, "split: no records given")
	}
	var newID string
	err := s.change(ctx, actor, func(w *writer) error {
		want := map[string]bool{}
		for _, id := range recordIDs {
			want[id] = true
		}
		var person string
		for id := range want {
			row, err := w.queryRow(ctx, "SELECT person_id FROM records WHERE id = ?", id)
			if err != nil {
				return err
			}
			var p string
			if err := row.Scan(&p); err != nil {
				return notFound(err, "record", id)
			}
			if person != "" && p != person {
				return peyvand.Errorf(peyvand.EINVALID, "split: the records belong to different persons")
			}
			person = p
		}
		all, allSeqs, err := w.personRecords(ctx, person)
		if err != nil {
			return err
		}
		var moves [][]any
		var seqs []int64
		for i, vals := range all {
			if want[canonical(vals[0])] {
				moves, seqs = append(moves, vals), append(seqs, allSeqs[i])
			}
		}
		total := len(all)
		if len(moves) == total {
			return peyvand.Errorf(peyvand.EINVALID, "split: every record of the person was named; leave at least one behind")
		}
		newID = w.ids.Next("per")
		w.describe("person.split", "person:"+person, map[string]any{"new_person": newID, "records": len(moves)})
		if err := w.write(ctx, "persons", s.personValues(peyvand.Person{ID: newID, CreatedAt: w.at}), insertRow, 0); err != nil {
			return err
		}
		if err := w.drain(ctx); err != nil { // the person row must exist before records point at it
			return err
		}
		for i, vals := range moves {
			vals[3] = newID
			if err := w.write(ctx, "records", vals, rewriteRow, seqs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return newID, err
}

func (s *Store) caseValues(c peyvand.Case) []any {
	return []any{c.InquiryID, string(c.State), c.AssignedTo, string(c.Reason),
		s.seal(c.Delivery, "cases", "delivery", c.InquiryID), micro(c.CreatedAt), micro(c.UpdatedAt)}
}

// OpenCase queues an inquiry for a caseworker, once.
func (s *Store) OpenCase(ctx context.Context, actor, inquiryID string, reason peyvand.Status) (peyvand.Case, error) {
	if c, err := s.CaseOf(ctx, inquiryID); err == nil {
		return c, nil
	}
	c := peyvand.Case{InquiryID: inquiryID, State: peyvand.CaseQueued, Reason: reason}
	err := s.change(ctx, actor, func(w *writer) error {
		found, err := w.exists(ctx, "SELECT 1 FROM cases WHERE inquiry_id = ?", inquiryID)
		if err != nil {
			return err
		}
		if found { // opened meanwhile by another request
			return nil
		}
		c.CreatedAt, c.UpdatedAt = w.at, w.at
		w.describe("case.open", "inquiry:"+inquiryID, map[string]any{"reason": reason})
		return w.write(ctx, "cases", s.caseValues(c), insertRow, 0)
	})
	if err != nil {
		return c, err
	}
	return s.CaseOf(ctx, inquiryID)
}

// UpdateCase stores a case's new state, assignee and delivery record. c
// must be the case as read (its UpdatedAt is the version): if it changed
// meanwhile, UpdateCase refuses with ECONFLICT.
func (s *Store) UpdateCase(ctx context.Context, actor string, c peyvand.Case) error {
	switch c.State {
	case peyvand.CaseQueued, peyvand.CaseAssigned, peyvand.CaseTold:
	default:
		return peyvand.Errorf(peyvand.EINVALID, "case state: %q is not queued, assigned or told", c.State)
	}
	if len(c.Delivery) > 64<<10 {
		return peyvand.Errorf(peyvand.EINVALID, "delivery: longer than 64 KiB")
	}
	return s.change(ctx, actor, func(w *writer) error {
		row, err := w.queryRow(ctx, "SELECT reason, created_at, updated_at, audit_seq FROM cases WHERE inquiry_id = ?", c.InquiryID)
		if err != nil {
			return err
		}
		var reason string
		var created, updated, seq int64
		if err := row.Scan(&reason, &created, &updated, &seq); err != nil {
			return notFound(err, "case", c.InquiryID)
		}
		// Optimistic concurrency: two caseworkers who read the same
		// queued case must not both take it, the second silently
		// overwriting the first. Writers are serialised, so comparing
		// the version read with the one stored is enough.
		if updated != micro(c.UpdatedAt) {
			return peyvand.Errorf(peyvand.ECONFLICT, "case %s changed since it was read: read it again", c.InquiryID)
		}
		c.Reason, c.CreatedAt, c.UpdatedAt = peyvand.Status(reason), fromMicro(created), w.at
		w.describe("case.update", "inquiry:"+c.InquiryID, map[string]any{"state": c.State, "assigned_to": c.AssignedTo})
		return w.write(ctx, "cases", s.caseValues(c), rewriteRow, seq)
	})
}

func (s *Store) scanCase(r scanner) (peyvand.Case, error) {
	var c peyvand.Case
	var state, reason, delivery string
	var created, updated, seq int64
	if err := r.Scan(&c.InquiryID, &state, &c.AssignedTo, &reason, &delivery, &created, &updated, &seq); err != nil {
		return c, err
	}
	c.State, c.Reason = peyvand.CaseState(state), peyvand.Status(reason)
	c.CreatedAt, c.UpdatedAt = fromMicro(created), fromMicro(updated)
	o := opener{k: s.keys, table: "cases", id: c.InquiryID}
	c.Delivery = o.open("delivery", delivery)
	return c, o.err
}

var caseSelect = "SELECT " + strings.Join(caseCols, ", ") + " FROM cases"

// Cases lists every case, oldest first.
func (s *Store) Cases(ctx context.Context) ([]peyvand.Case, error) {
	var out []peyvand.Case
	err := s.walk(ctx, caseSelect+" ORDER BY created_at, inquiry_id", nil, func(r scanner) error {
		c, err := s.scanCase(r)
		out = append(out, c)
		return err
	})
	return out, err
}

// CaseOf returns the case of an inquiry.
func (s *Store) CaseOf(ctx context.Context, inquiryID string) (peyvand.Case, error) {
	c, err := s.scanCase(s.queryRow(ctx, caseSelect+" WHERE inquiry_id = ?", inquiryID))
	return c, notFound(err, "case", inquiryID)
}

// Inquiry returns an inquiry by id (for staff; families use their code).
func (s *Store) Inquiry(ctx context.Context, id string) (peyvand.Inquiry, error) {
	var in peyvand.Inquiry
	var state, contact string
	var created int64
	err := s.queryRow(ctx, `SELECT id, record_id, relationship, contact_sealed, state, created_at
		FROM inquiries WHERE id = ?`, id).Scan(&in.ID, &in.RecordID, &in.Relationship, &contact, &state, &created)
	if err != nil {
		return in, notFound(err, "inquiry", id)
	}
	in.State, in.CreatedAt = peyvand.InquiryState(state), fromMicro(created)
	o := opener{k: s.keys, table: "inquiries", id: in.ID}
	in.Contact = o.open("contact", contact)
	return in, o.err
}

// SetPublished allows or withdraws a person's publication.
func (s *Store) SetPublished(ctx context.Context, actor, personID string, allowed bool) error {
	return s.change(ctx, actor, func(w *writer) error {
		found, err := w.exists(ctx, "SELECT 1 FROM persons WHERE id = ? AND merged_into IS NULL", personID)
		if err != nil {
			return err
		}
		if !found {
			return peyvand.Errorf(peyvand.ENOTFOUND, "person %q not found", personID)
		}
		w.describe("person.publish", "person:"+personID, map[string]any{"allowed": allowed})
		vals := []any{personID, b2i(allowed), actor, micro(w.at)}
		row, err := w.queryRow(ctx, "SELECT audit_seq FROM publications WHERE person_id = ?", personID)
		if err != nil {
			return err
		}
		var seq int64
		switch err := row.Scan(&seq); {
		case errors.Is(err, sql.ErrNoRows):
			return w.write(ctx, "publications", vals, insertRow, 0)
		case err != nil:
			return err
		}
		return w.write(ctx, "publications", vals, rewriteRow, seq)
	})
}

// Published returns the persons whose publication was decided, and how.
func (s *Store) Published(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	err := s.walk(ctx, "SELECT person_id, allowed FROM publications", nil, func(r scanner) error {
		var id string
		var allowed int64
		err := r.Scan(&id, &allowed)
		out[id] = allowed != 0
		return err
	})
	return out, err
}

// exists reports whether query (a SELECT of one row) finds a row.
func (w *writer) exists(ctx context.Context, query string, args ...any) (bool, error) {
	row, err := w.queryRow(ctx, query, args...)
	if err != nil {
		return false, err
	}
	var one int
	switch err := row.Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// maxAttachment bounds one file: the store is not a file server.
const maxAttachment = 16 << 20

// AddAttachment stores a file with a record, sealed.
func (s *Store) AddAttachment(ctx context.Context, actor string, a peyvand.Attachment) (peyvand.Attachment, error) {
	if len(a.Data) == 0 || len(a.Data) > maxAttachment {
		return a, peyvand.Errorf(peyvand.EINVALID, "attachment: empty or larger than %d bytes", maxAttachment)
	}
	if a.ContentType == "" || len(a.ContentType) > 100 {
		return a, peyvand.Errorf(peyvand.EINVALID, "attachment: content type")
	}
	err := s.change(ctx, actor, func(w *writer) error {
		found, err := w.exists(ctx, "SELECT 1 FROM records WHERE id = ?", a.RecordID)
		if err != nil {
			return err
		}
		if !found {
			return peyvand.Errorf(peyvand.ENOTFOUND, "record %q not found", a.RecordID)
		}
		a.ID, a.CreatedAt = w.ids.Next("att"), w.at
		w.describe("attachment.create", "record:"+a.RecordID, map[string]any{"bytes": len(a.Data), "type": a.ContentType})
		return w.write(ctx, "attachments", []any{a.ID, a.RecordID, a.ContentType,
			s.seal(base64.StdEncoding.EncodeToString(a.Data), "attachments", "data", a.ID), micro(a.CreatedAt)}, insertRow, 0)
	})
	return a, err
}

// Attachments returns a record's files, opened.
func (s *Store) Attachments(ctx context.Context, recordID string) ([]peyvand.Attachment, error) {
	var out []peyvand.Attachment
	err := s.walk(ctx, "SELECT id, record_id, content_type, data_sealed, created_at FROM attachments WHERE record_id = ? ORDER BY created_at, id",
		[]any{recordID}, func(r scanner) error {
			var a peyvand.Attachment
			var sealed string
			var created int64
			if err := r.Scan(&a.ID, &a.RecordID, &a.ContentType, &sealed, &created); err != nil {
				return err
			}
			a.CreatedAt = fromMicro(created)
			o := opener{k: s.keys, table: "attachments", id: a.ID}
			text := o.open("data", sealed)
			if o.err != nil {
				return o.err
			}
			data, err := base64.StdEncoding.DecodeString(text)
			if err != nil {
				return peyvand.Errorf(peyvand.EINTEGRITY, "attachment %s: %v", a.ID, err)
			}
			a.Data = data
			out = append(out, a)
			return nil
		})
	return out, err
}
