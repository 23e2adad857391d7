// Package pfif reads and writes the People Finder Interchange Format
// (PFIF 1.1 to 1.4, http://zesty.ca/pfif/1.4/), the XML in which people-finder
// services exchange records of missing and found people.
//
// It knows the format, not what the records mean: values come out as the
// document gives them, trimmed of surrounding space, with the names of
// PFIF 1.1 and 1.2 mapped to those of 1.4. Record ids are kept as given.
package pfif

import (
	"fmt"
	"strings"
)

// Person is a PFIF person record.
type Person struct {
	PersonRecordID, EntryDate, ExpiryDate           string
	AuthorName, AuthorEmail, AuthorPhone            string
	SourceName, SourceDate, SourceURL               string
	FullName, GivenName, FamilyName, AlternateNames string // FullName and AlternateNames: one name a line
	Description, Sex, DateOfBirth, Age              string
	HomeStreet, HomeNeighborhood, HomeCity          string
	HomeState, HomePostalCode, HomeCountry          string
	PhotoURL, ProfileURLs                           string // ProfileURLs: one URL a line

	Notes []Note // the notes nested in the person
	Line  int    // line of the document where <person> starts, for errors; not written
}

// Note is a PFIF note record: what someone learned about a person.
type Note struct {
	NoteRecordID, PersonRecordID, LinkedPersonRecordID, EntryDate string
	AuthorName, AuthorEmail, AuthorPhone, SourceDate              string
	AuthorMadeContact                                             string // "true", "false" or ""; <found> in PFIF 1.1 and 1.2
	Status                                                        string // one of the Status constants, or ""
	EmailOfFoundPerson, PhoneOfFoundPerson, LastKnownLocation     string
	Text, PhotoURL                                                string

	Line int // line of the document where <note> starts, for errors; not written
}

// The values of Note.Status.
const (
	InformationSought = "information_sought"
	IsNoteAuthor      = "is_note_author"
	BelievedAlive     = "believed_alive"
	BelievedMissing   = "believed_missing"
	BelievedDead      = "believed_dead"
)

// Namespace is the XML namespace of PFIF 1.4, which the Encoder writes;
// version 1.N has namespacePrefix + "1.N".
const (
	Namespace       = namespacePrefix + "1.4"
	namespacePrefix = "http://zesty.ca/pfif/"
)

// MaxField is the longest value of a field, in bytes. Nothing in a person
// record needs more, and the limit keeps a hostile document from filling memory.
const MaxField = 64 << 10

// Error is a problem in a PFIF document, at a line when it is known.
type Error struct {
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// field is one PFIF element holding a value of record R.
type field[R any] struct {
	name  string
	get   func(*R) *string
	lines bool // a list, one item a line
}

// personFields are the fields of a person in the order PFIF 1.4 writes them.
var personFields = []field[Person]{
	{name: "person_record_id", get: func(p *Person) *string { return &p.PersonRecordID }},
	{name: "entry_date", get: func(p *Person) *string { return &p.EntryDate }},
	{name: "expiry_date", get: func(p *Person) *string { return &p.ExpiryDate }},
	{name: "author_name", get: func(p *Person) *string { return &p.AuthorName }},
	{name: "author_email", get: func(p *Person) *string { return &p.AuthorEmail }},
	{name: "author_phone", get: func(p *Person) *string { return &p.AuthorPhone }},
	{name: "source_name", get: func(p *Person) *string { return &p.SourceName }},
	{name: "source_date", get: func(p *Person) *string { return &p.SourceDate }},
	{name: "source_url", get: func(p *Person) *string { return &p.SourceURL }},
	{name: "full_name", get: func(p *Person) *string { return &p.FullName }, lines: true},
	{name: "given_name", get: func(p *Person) *string { return &p.GivenName }},
	{name: "family_name", get: func(p *Person) *string { return &p.FamilyName }},
	{name: "alternate_names", get: func(p *Person) *string { return &p.AlternateNames }, lines: true},
	{name: "description", get: func(p *Person) *string { return &p.Description }},
	{name: "sex", get: func(p *Person) *string { return &p.Sex }},
	{name: "date_of_birth", get: func(p *Person) *string { return &p.DateOfBirth }},
	{name: "age", get: func(p *Person) *string { return &p.Age }},
	{name: "home_street", get: func(p *Person) *string { return &p.HomeStreet }},
	{name: "home_neighborhood", get: func(p *Person) *string { return &p.HomeNeighborhood }},
	{name: "home_city", get: func(p *Person) *string { return &p.HomeCity }},
	{name: "home_state", get: func(p *Person) *string { return &p.HomeState }},
	{name: "home_postal_code", get: func(p *Person) *string { return &p.HomePostalCode }},
	{name: "home_country", get: func(p *Person) *string { return &p.HomeCountry }},
	{name: "photo_url", get: func(p *Person) *string { return &p.PhotoURL }},
	{name: "profile_urls", get: func(p *Person) *string { return &p.ProfileURLs }, lines: true},
}

// noteFields are the fields of a note in the order PFIF 1.4 writes them.
var noteFields = []field[Note]{
	{name: "note_record_id", get: func(n *Note) *string { return &n.NoteRecordID }},
	{name: "person_record_id", get: func(n *Note) *string { return &n.PersonRecordID }},
	{name: "linked_person_record_id", get: func(n *Note) *string { return &n.LinkedPersonRecordID }},
	{name: "entry_date", get: func(n *Note) *string { return &n.EntryDate }},
	{name: "author_name", get: func(n *Note) *string { return &n.AuthorName }},
	{name: "author_email", get: func(n *Note) *string { return &n.AuthorEmail }},
	{name: "author_phone", get: func(n *Note) *string { return &n.AuthorPhone }},
	{name: "source_date", get: func(n *Note) *string { return &n.SourceDate }},
	{name: "author_made_contact", get: func(n *Note) *string { return &n.AuthorMadeContact }},
	{name: "status", get: func(n *Note) *string { return &n.Status }},
	{name: "email_of_found_person", get: func(n *Note) *string { return &n.EmailOfFoundPerson }},
	{name: "phone_of_found_person", get: func(n *Note) *string { return &n.PhoneOfFoundPerson }},
	{name: "last_known_location", get: func(n *Note) *string { return &n.LastKnownLocation }},
	{name: "text", get: func(n *Note) *string { return &n.Text }},
	{name: "photo_url", get: func(n *Note) *string { return &n.PhotoURL }},
}

// lookup finds the field named name, also by its PFIF 1.1 or 1.2 name, and
// reports whether name is such an older name.
func lookup[R any](fields []field[R], name string) (f field[R], old, ok bool) {
	if newer := renamed(name); newer != "" {
		name, old = newer, true
	}
	for _, f := range fields {
		if f.name == name {
			return f, old, true
		}
	}
	return f, false, false
}

// renamed gives the PFIF 1.4 name of a field that PFIF 1.1 or 1.2 names
// otherwise, or "".
func renamed(name string) string {
	switch name {
	case "first_name":
		return "given_name"
	case "last_name":
		return "family_name"
	case "home_zip":
		return "home_postal_code"
	case "other":
		return "description"
	case "found":
		return "author_made_contact"
	}
	return ""
}

// validStatus reports whether s is a PFIF note status or empty.
func validStatus(s string) bool {
	switch s {
	case "", InformationSought, IsNoteAuthor, BelievedAlive, BelievedMissing, BelievedDead:
		return true
	}
	return false
}

// trimLines trims every line of a list field and drops blank lines.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}
