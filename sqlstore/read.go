package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"peyvand"
	"peyvand/seal"
)

var (
	recordSelect = strings.Join(recordCols, ", ")
	eventSelect  = strings.Join(eventCols, ", ")
)

// scanRecord reads a row of recordCols and opens its sealed fields. A field
// that does not open is an integrity error, never silently empty.
func (s *Store) scanRecord(r scanner) (peyvand.Record, error) {
	var rec peyvand.Record
	var gender, ageDate, contact, reporter, notes, digest string
	var birth, age, valid, rev, recorded, updated, seq int64
	err := r.Scan(&rec.ID, &rec.SourceID, &rec.ExternalID, &rec.PersonID,
		&rec.FullName, &rec.GivenName, &rec.FamilyName, &rec.FatherName, &rec.OtherNames,
		&gender, &birth, &age, &ageDate, &rec.City, &rec.Province,
		&rec.NationalID, &valid, &contact, &reporter, &notes, &digest, &rev, &recorded, &updated, &seq)
	if err != nil {
		return rec, err
	}
	rec.Gender, rec.BirthYear, rec.Age = peyvand.Gender(gender), int(birth), int(age)
	rec.NationalIDValid, rec.Revision = valid != 0, int(rev)
	rec.RecordedAt, rec.UpdatedAt, rec.AuditSeq = fromMicro(recorded), fromMicro(updated), seq
	if rec.AgeDate, err = peyvand.ParseISODate(ageDate); err != nil {
		return rec, err
	}
	o := opener{k: s.keys, table: "records", id: rec.ID}
	rec.Contact, rec.Reporter, rec.Notes = o.open("contact", contact), o.open("reporter", reporter), o.open("notes", notes)
	return rec, o.err
}

func (s *Store) scanEvent(r scanner) (peyvand.StatusEvent, error) {
	var e peyvand.StatusEvent
	var status, date, verification, text, reporter, contact string
	var supersedes sql.NullString
	var recorded, seq int64
	err := r.Scan(&e.ID, &e.RecordID, &e.ExternalID, &status, &date, &e.Place,
		&verification, &e.Evidence, &supersedes, &text, &reporter, &contact, &e.Actor, &recorded, &seq)
	if err != nil {
		return e, err
	}
	e.Status, e.Verification, e.Supersedes = peyvand.Status(status), peyvand.Verification(verification), supersedes.String
	e.RecordedAt = fromMicro(recorded)
	if e.Date, err = peyvand.ParseISODate(date); err != nil {
		return e, err
	}
	o := opener{k: s.keys, table: "status_events", id: e.ID}
	e.Text, e.Reporter, e.Contact = o.open("text", text), o.open("reporter", reporter), o.open("contact", contact)
	return e, o.err
}

// opener opens the sealed fields of one row and keeps the first failure.
type opener struct {
	k         *seal.Keys
	table, id string
	err       error
}

func (o *opener) open(column, sealed string) string {
	v, err := o.k.Open(sealed, ad(o.table, column, o.id))
	if err != nil && o.err == nil {
		o.err = peyvand.Errorf(peyvand.EINTEGRITY, "%s.%s of %s: %v", o.table, column, o.id, err)
	}
	return v
}

// Record returns one record by id.
func (s *Store) Record(ctx context.Context, id string) (peyvand.Record, error) {
	rec, err := s.scanRecord(s.queryRow(ctx, "SELECT "+recordSelect+" FROM records WHERE id = ?", id))
	return rec, notFound(err, "record", id)
}

// WalkRecords calls fn for each record the filter selects, in a stable order.
func (s *Store) WalkRecords(ctx context.Context, f peyvand.RecordFilter, fn func(peyvand.Record) error) error {
	where, args := []string{}, []any{}
	if f.SourceID != "" {
		where, args = append(where, "source_id = ?"), append(args, f.SourceID)
	}
	if f.PersonID != "" {
		where, args = append(where, "person_id = ?"), append(args, f.PersonID)
	}
	if f.ExternalID != "" {
		where, args = append(where, "external_id = ?"), append(args, f.ExternalID)
	}
	if f.AfterSeq > 0 {
		where, args = append(where, "audit_seq > ?"), append(args, f.AfterSeq)
	}
	return s.walk(ctx, "SELECT "+recordSelect+" FROM records"+whereSQL(where)+" ORDER BY source_id, external_id", args,
		func(r scanner) error {
			rec, err := s.scanRecord(r)
			if err != nil {
				return err
			}
			return fn(rec)
		})
}

// WalkEvents calls fn for each status event the filter selects, oldest first.
func (s *Store) WalkEvents(ctx context.Context, f peyvand.EventFilter, fn func(peyvand.StatusEvent) error) error {
	where, args := []string{}, []any{}
	if f.RecordID != "" {
		where, args = append(where, "record_id = ?"), append(args, f.RecordID)
	}
	return s.walk(ctx, "SELECT "+eventSelect+" FROM status_events"+whereSQL(where)+" ORDER BY recorded_at, id", args,
		func(r scanner) error {
			e, err := s.scanEvent(r)
			if err != nil {
				return err
			}
			return fn(e)
		})
}

// WalkPersons calls fn for each person, merged ones included.
func (s *Store) WalkPersons(ctx context.Context, fn func(peyvand.Person) error) error {
	return s.walk(ctx, "SELECT id, created_at, merged_into FROM persons ORDER BY created_at, id", nil,
		func(r scanner) error {
			p, err := scanPerson(r)
			if err != nil {
				return err
			}
			return fn(p)
		})
}

func scanPerson(r scanner) (peyvand.Person, error) {
	var p peyvand.Person
	var created int64
	var merged sql.NullString
	err := r.Scan(&p.ID, &created, &merged)
	p.CreatedAt, p.MergedInto = fromMicro(created), merged.String
	return p, err
}

// Dossier returns a person with all their records and events. A person
// merged into another is followed to the one that stands.
func (s *Store) Dossier(ctx context.Context, personID string) (peyvand.Dossier, error) {
	var d peyvand.Dossier
	id := personID
	for hops := 0; ; hops++ {
		p, err := scanPerson(s.queryRow(ctx, "SELECT id, created_at, merged_into FROM persons WHERE id = ?", id))
		if err != nil {
			return d, notFound(err, "person", personID)
		}
		if p.MergedInto == "" {
			d.Person = p
			break
		}
		if hops > 100 {
			return d, peyvand.Errorf(peyvand.EINTEGRITY, "person %s: merge chain loops", personID)
		}
		id = p.MergedInto
	}
	err := s.WalkRecords(ctx, peyvand.RecordFilter{PersonID: d.Person.ID}, func(r peyvand.Record) error {
		d.Records = append(d.Records, r)
		return nil
	})
	if err != nil {
		return d, err
	}
	err = s.walk(ctx, `SELECT `+prefixed("e", eventCols)+` FROM status_events e JOIN records r ON r.id = e.record_id
		WHERE r.person_id = ? ORDER BY e.recorded_at, e.id`, []any{d.Person.ID}, func(r scanner) error {
		e, err := s.scanEvent(r)
		d.Events = append(d.Events, e)
		return err
	})
	return d, err
}

func (s *Store) walk(ctx context.Context, query string, args []any, fn func(scanner) error) error {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func whereSQL(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

func prefixed(alias string, cols []string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = alias + "." + c
	}
	return strings.Join(out, ", ")
}
