package peyvand

import (
	"time"
	"unicode/utf8"
)

// Gender as recorded by a source. The empty value means not recorded.
type Gender string

// The genders a record can carry.
const (
	GenderUnknown Gender = ""
	GenderMale    Gender = "male"
	GenderFemale  Gender = "female"
	GenderOther   Gender = "other"
)

// Valid reports whether g is one of the known values.
func (g Gender) Valid() bool {
	switch g {
	case GenderUnknown, GenderMale, GenderFemale, GenderOther:
		return true
	}
	return false
}

// Record is what one source says about one person. Records are never merged
// or edited into each other: linkage groups them into a Person, and a newer
// version of the same list row becomes a new revision of the same record.
type Record struct {
	ID         string
	SourceID   string
	ExternalID string // the source's own id for the row; unique within the source
	PersonID   string

	// Names as written (in Persian or Latin script, normalised only in
	// letter forms and spacing). OtherNames holds aliases, one per line.
	FullName, GivenName, FamilyName, FatherName string
	OtherNames                                  string

	Gender    Gender
	BirthYear int  // Gregorian; 0 when unknown (a Jalali year is converted on import)
	Age       int  // age in years on AgeDate; 0 when unknown (infants carry a birth year)
	AgeDate   Date // when Age was true: the event date or the date of the source

	City, Province string

	NationalID      string // as written when invalid, ten ASCII digits when valid
	NationalIDValid bool

	// Sealed at rest: a stolen database must not reveal them.
	Contact  string // how to reach the family or the author
	Reporter string // who gave this record (a witness's identity)
	Notes    string // free text, testimony

	Revision   int
	RecordedAt time.Time
	UpdatedAt  time.Time
	// AuditSeq is the audit entry that last wrote the record (set by the
	// store): it grows with every change, whichever instance made it, so
	// a reader can ask for what changed after the entry it last saw.
	AuditSeq int64
}

// Field limits: names and ids to MaxNameBytes, texts (sealed testimony,
// contact, notes) to MaxTextBytes; generous, but bounded so that one row
// cannot fill the database.
const (
	MaxNameBytes = 500
	MaxTextBytes = 64 << 10
)

// Validate reports the first thing wrong with r, naming the field.
func (r Record) Validate() error {
	if r.ExternalID == "" {
		return Errorf(EINVALID, "record_id: empty")
	}
	for _, f := range []struct{ name, v string }{
		{"record_id", r.ExternalID}, {"full_name", r.FullName}, {"given_name", r.GivenName},
		{"family_name", r.FamilyName}, {"father_name", r.FatherName}, {"city", r.City},
		{"province", r.Province}, {"national_id", r.NationalID},
	} {
		if len(f.v) > MaxNameBytes {
			return Errorf(EINVALID, "%s: longer than %d bytes", f.name, MaxNameBytes)
		}
		if !utf8.ValidString(f.v) {
			return Errorf(EINVALID, "%s: not valid UTF-8", f.name)
		}
	}
	for _, f := range []struct{ name, v string }{
		{"other_names", r.OtherNames}, {"contact", r.Contact}, {"reporter", r.Reporter}, {"notes", r.Notes},
	} {
		if len(f.v) > MaxTextBytes {
			return Errorf(EINVALID, "%s: longer than %d bytes", f.name, MaxTextBytes)
		}
	}
	switch {
	case !r.Gender.Valid():
		return Errorf(EINVALID, "gender: %q is not male, female or other", r.Gender)
	case r.BirthYear != 0 && (r.BirthYear < 1850 || r.BirthYear > 2200):
		return Errorf(EINVALID, "birth_year: %d is not a plausible Gregorian year", r.BirthYear)
	case r.Age < 0 || r.Age > 130:
		return Errorf(EINVALID, "age: %d is not between 0 and 130", r.Age)
	case !r.AgeDate.Valid():
		return Errorf(EINVALID, "age date: %v is not a date", r.AgeDate)
	}
	return nil
}

// HasName reports whether the record names the person at all.
func (r Record) HasName() bool {
	return r.FullName != "" || r.GivenName != "" || r.FamilyName != "" || r.OtherNames != ""
}

// DisplayName is the best single name to show for the record.
func (r Record) DisplayName() string {
	switch {
	case r.FullName != "":
		return r.FullName
	case r.GivenName != "" && r.FamilyName != "":
		return r.GivenName + " " + r.FamilyName
	case r.FamilyName != "":
		return r.FamilyName
	}
	return r.GivenName
}
