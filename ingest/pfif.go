package ingest

import (
	"fmt"
	"io"
	"strings"

	"peyvand"
	"peyvand/persian"
	"peyvand/pfif"
)

// PFIF mapping. A PFIF person is a record of the importing source; its
// notes are status events (a note is someone's statement about the
// person). Who wrote the record or the note, their contact details and the
// note's text are sealed. Top-level notes about persons not in the file
// become events of the record the source sent before, or of a record
// holding only the person's id until the person arrives.
var pfifStatus = map[string]peyvand.Status{
	"":                   peyvand.StatusUnknown,
	"information_sought": peyvand.StatusMissing,
	"believed_missing":   peyvand.StatusMissing,
	"believed_alive":     peyvand.StatusSafe,
	"is_note_author":     peyvand.StatusSafe,
	"believed_dead":      peyvand.StatusKilled,
}

type pfifRows struct {
	dec     *pfif.Decoder
	file    string
	pending []*pfif.Note // top-level notes, applied after every person
	done    bool
}

func newPFIFRows(name string, r io.Reader) (*pfifRows, error) {
	return &pfifRows{dec: pfif.NewDecoder(r), file: name}, nil
}

func (p *pfifRows) Header() []string {
	return []string{"kind", "record_id", "full_name"}
}
func (p *pfifRows) Format() string {
	if v := p.dec.Version(); v != "" {
		return "pfif " + v
	}
	return "pfif"
}
func (p *pfifRows) Unknown() []string { return nil }
func (p *pfifRows) Close() error      { return nil }

func (p *pfifRows) Next(opt ParseOptions) ([]string, Row, error) {
	for !p.done {
		person, note, err := p.dec.Next()
		if err == io.EOF {
			p.done = true
			break
		}
		if err != nil {
			return nil, Row{}, fmt.Errorf("%s: %w", p.file, err)
		}
		if note != nil {
			p.pending = append(p.pending, note)
			continue
		}
		row, err := pfifPerson(person)
		raw := []string{"person", person.PersonRecordID, person.FullName}
		if err != nil {
			return raw, row, &RowError{File: p.file, Line: person.Line, Err: err}
		}
		return raw, row, nil
	}
	if len(p.pending) == 0 {
		return nil, Row{}, io.EOF
	}
	n := p.pending[0]
	p.pending = p.pending[1:]
	raw := []string{"note", n.PersonRecordID, ""}
	if n.PersonRecordID == "" {
		return raw, Row{}, &RowError{File: p.file, Line: n.Line, Err: peyvand.Errorf(peyvand.EINVALID, "note %q names no person_record_id", n.NoteRecordID)}
	}
	e, err := pfifNote(n)
	if err != nil {
		return raw, Row{}, &RowError{File: p.file, Line: n.Line, Err: err}
	}
	row := Row{ImportRow: peyvand.ImportRow{Line: n.Line, EventsOnly: true,
		Record: peyvand.Record{ExternalID: n.PersonRecordID}, Events: []peyvand.StatusEvent{e}}}
	return raw, row, nil
}

func pfifPerson(p *pfif.Person) (Row, error) {
	r := peyvand.Record{ExternalID: strings.TrimSpace(p.PersonRecordID),
		GivenName: persian.Normalize(p.GivenName), FamilyName: persian.Normalize(p.FamilyName),
		City: persian.Normalize(p.HomeCity), Province: persian.Normalize(p.HomeState),
		Reporter: p.AuthorName, Contact: joinLines(p.AuthorEmail, p.AuthorPhone), Notes: p.Description}
	// full_name may hold several names, one per line: the first is the
	// name, the others are aliases, like alternate_names.
	names := strings.Split(p.FullName, "\n")
	r.FullName = persian.Normalize(names[0])
	var others []string
	for _, n := range append(names[1:], strings.Split(p.AlternateNames, "\n")...) {
		if n = persian.Normalize(n); n != "" {
			others = append(others, n)
		}
	}
	r.OtherNames = strings.Join(others, "\n")
	var ok bool
	if r.Gender, ok = ParseGender(p.Sex); !ok {
		return Row{}, peyvand.Errorf(peyvand.EINVALID, "person %q: sex %q is not male, female or other", p.PersonRecordID, p.Sex)
	}
	if p.DateOfBirth != "" {
		y, err := ParseBirthYear(p.DateOfBirth)
		if err != nil {
			return Row{}, peyvand.Errorf(peyvand.EINVALID, "person %q: date_of_birth: %v", p.PersonRecordID, err)
		}
		r.BirthYear = y
	}
	if p.Age != "" {
		a, err := ParseAge(p.Age)
		if err != nil {
			return Row{}, peyvand.Errorf(peyvand.EINVALID, "person %q: age: %v", p.PersonRecordID, err)
		}
		r.Age = a
		if d, err := persian.ParseDate(p.SourceDate); err == nil {
			r.AgeDate = peyvand.Date{Year: d.Year, Month: d.Month, Day: d.Day}
		}
	}
	row := Row{ImportRow: peyvand.ImportRow{Line: p.Line, Record: r}}
	for i := range p.Notes {
		e, err := pfifNote(&p.Notes[i])
		if err != nil {
			return Row{}, err
		}
		row.Events = append(row.Events, e)
	}
	return row, nil
}

func pfifNote(n *pfif.Note) (peyvand.StatusEvent, error) {
	st, ok := pfifStatus[strings.TrimSpace(n.Status)]
	if !ok {
		return peyvand.StatusEvent{}, peyvand.Errorf(peyvand.EINVALID, "note %q: status %q is not a PFIF status", n.NoteRecordID, n.Status)
	}
	kv, text := pfif.SplitExtension(n.Text)
	e := peyvand.StatusEvent{ExternalID: strings.TrimSpace(n.NoteRecordID), Status: st, Verification: peyvand.Reported,
		Place: persian.Normalize(n.LastKnownLocation), Text: text, Reporter: n.AuthorName,
		Contact: joinLines(n.AuthorEmail, n.AuthorPhone, n.EmailOfFoundPerson, n.PhoneOfFoundPerson)}
	// What PFIF cannot say, Peyvand writes on an extension line.
	if v := peyvand.Status(kv["status"]); v.Valid() {
		e.Status = v
	}
	if v := peyvand.Verification(kv["verification"]); v.Valid() {
		e.Verification = v
	}
	// source_date is when the author learned what the note says: the
	// nearest PFIF has to the date of the event. entry_date is only when a
	// server stored the note, so it is not used.
	if date := n.SourceDate; date != "" {
		d, err := persian.ParseDate(date)
		if err != nil {
			return e, peyvand.Errorf(peyvand.EINVALID, "note %q: source_date: %v", n.NoteRecordID, err)
		}
		e.Date = peyvand.Date{Year: d.Year, Month: d.Month, Day: d.Day}
	}
	if v, err := peyvand.ParseISODate(kv["date"]); err == nil && !v.IsZero() {
		e.Date = v
	}
	return e, nil
}

func joinLines(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}
