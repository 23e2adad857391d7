package peyvand

import "time"

// SourceKind says what kind of source a record came from.
type SourceKind string

// The kinds of source.
const (
	SourceList    SourceKind = "list"    // an organisation's list
	SourceInquiry SourceKind = "inquiry" // families' inquiries
	SourceWitness SourceKind = "witness" // witness reports
	SourceNews    SourceKind = "news"    // news items, published lists
)

// Valid reports whether k is one of the known kinds.
func (k SourceKind) Valid() bool {
	switch k {
	case SourceList, SourceInquiry, SourceWitness, SourceNews:
		return true
	}
	return false
}

// Source is where records come from: one organisation's list, the stream of
// family inquiries, witness reports, a news outlet. Multiple systems
// estimation treats each independent source as one list, so whether a source
// is independent of the others is recorded, not guessed.
type Source struct {
	ID           string
	Name         string // unique, chosen by the importer ("hrana-2026-01")
	Kind         SourceKind
	Organisation string // owner organisation
	Independent  bool   // compiled independently of the other sources
	ReceivedAt   time.Time
	CreatedAt    time.Time
}

// Validate reports the first thing wrong with s.
func (s Source) Validate() error {
	switch {
	case s.Name == "":
		return Errorf(EINVALID, "source needs a name")
	case len(s.Name) > 200:
		return Errorf(EINVALID, "source name is longer than 200 bytes")
	case !s.Kind.Valid():
		return Errorf(EINVALID, "source kind %q is not one of list, inquiry, witness, news", s.Kind)
	}
	return nil
}
