package peyvand

import (
	"context"
	"time"
)

// Store keeps the registry. Implementations (sqlite, postgres) pass the same
// conformance suite (store/storetest). Every change a Store makes is
// attributed to an actor and appended to the audit chain in the same
// transaction, and sealed fields are encrypted before they reach the
// database.
type Store interface {
	// EnsureSource returns the source with s.Name, creating it if needed.
	EnsureSource(ctx context.Context, actor string, s Source) (Source, error)
	SourceByName(ctx context.Context, name string) (Source, error)
	Sources(ctx context.Context) ([]Source, error)

	// BeginImport starts one import: everything put through the returned
	// transaction lands together on Commit, or not at all.
	BeginImport(ctx context.Context, actor string, meta ImportMeta) (ImportTx, error)

	Record(ctx context.Context, id string) (Record, error)
	WalkRecords(ctx context.Context, f RecordFilter, fn func(Record) error) error
	WalkEvents(ctx context.Context, f EventFilter, fn func(StatusEvent) error) error
	WalkPersons(ctx context.Context, fn func(Person) error) error
	Dossier(ctx context.Context, personID string) (Dossier, error)

	// MergePersons puts each group of records (by record id) into one
	// person, the oldest of theirs; the others are merged into it. It
	// returns how many persons were merged away.
	MergePersons(ctx context.Context, actor string, groups [][]string) (int, error)

	// AddEvent appends a status event to an existing record; corrections
	// name the event they supersede.
	AddEvent(ctx context.Context, actor string, e StatusEvent) (StatusEvent, error)

	// CreateInquiry stores a family's inquiry with the record describing
	// the person sought (in the inquiries source). The code is hashed
	// with a key before it is stored.
	CreateInquiry(ctx context.Context, actor string, in Inquiry, r Record, code string) (Inquiry, error)
	// InquiryByCode finds an inquiry by its private code. Every failure is
	// ENOTFOUND, whatever the reason, so the answer reveals nothing.
	InquiryByCode(ctx context.Context, code string) (Inquiry, error)

	Stats(ctx context.Context) (Stats, error)

	// PersonStatus is what a family's lookup needs, read lightly: the
	// person a record belongs to now, how many records the registry
	// links to them, and their status events with the sealed fields
	// (testimony, reporters, contacts) left closed.
	PersonStatus(ctx context.Context, recordID string) (PersonStatus, error)

	// Disclose records in the audit chain that data left the registry:
	// a bundle to a peer, an export. It writes no row, only the entry, so
	// that an organisation can always say what it gave to whom, under
	// which rules.
	Disclose(ctx context.Context, actor string, d Disclosure) error
	// LastDisclosure returns when the last disclosure what ("bundle") to
	// the recipient to was recorded; ENOTFOUND if there was none.
	LastDisclosure(ctx context.Context, what, to string) (time.Time, error)

	// VerifyAudit checks the audit chain and that every stored row is the
	// one the chain last recorded for it.
	VerifyAudit(ctx context.Context) (AuditReport, error)

	// Staff is the staff side: accounts, sessions, decisions, cases.
	Staff

	Close() error
}

// PersonStatus is a person's status as a family's lookup sees it.
type PersonStatus struct {
	PersonID string
	Records  int
	Events   []StatusEvent // without Text, Reporter and Contact
}

// Current returns the person's current status event, as Dossier.Current.
func (p PersonStatus) Current() (StatusEvent, bool) { return CurrentStatus(p.Events) }

// Disclosure describes data that left the registry, for the audit chain.
// Like every audit detail it holds ids, counts and rules, never names or
// sealed data.
type Disclosure struct {
	What   string         // "bundle", "export": the entry's action is "disclose.<what>"
	To     string         // the recipient: a peer's name and fingerprint, "download", a file
	Detail map[string]any // what was sent and under which rules
}

// ImportMeta describes an import for the audit chain.
type ImportMeta struct {
	File   string // base name of the file
	SHA256 string // hex digest of the file's bytes
	Format string
}

// ImportRow is one row to import: a record and the status events it reports.
type ImportRow struct {
	Record Record
	Events []StatusEvent
	Line   int // where the row came from, for errors
	// EventsOnly adds the events to the record the source sent before
	// without touching the record; a record the source never sent is
	// created as given. (A PFIF note about a person sent earlier.)
	EventsOnly bool
}

// Outcome says what an import did with one row.
type Outcome int

// The outcomes of putting one row.
const (
	Created   Outcome = iota + 1 // a new record
	Updated                      // a new revision of a record the source sent before
	Unchanged                    // the same record again: nothing stored
)

// ImportTx is one import in progress.
type ImportTx interface {
	// Source returns the source named s.Name, creating it if needed, as
	// part of this import.
	Source(ctx context.Context, s Source) (Source, error)
	// Put stores a row, keyed by its source and the source's own record
	// id: a row seen before is unchanged or becomes a new revision; new
	// status events are added, known ones are not repeated.
	Put(ctx context.Context, row ImportRow) (Outcome, error)
	Commit(ctx context.Context) (ImportSummary, error)
	Rollback() error
}

// ImportSummary counts what an import did.
type ImportSummary struct {
	Created, Updated, Unchanged int
	Events                      int // new status events
}

// RecordFilter selects records; zero fields select everything.
type RecordFilter struct {
	SourceID   string
	PersonID   string
	ExternalID string // with SourceID, at most one record
	// AfterSeq selects the records written (created, changed or moved to
	// another person) by audit entries after this one.
	AfterSeq int64
}

// EventFilter selects status events; zero fields select everything.
type EventFilter struct {
	RecordID string
}

// Stats are the registry's totals, safe to show to staff.
type Stats struct {
	Sources, Records, Persons, Events, Inquiries int
}

// AuditEntry is one link of the audit chain: one transaction — who did
// what, when, to which entity, and (in Detail) how many rows of each table
// it wrote — chained to the entry before by Prev and sealed by MAC. Every
// row it wrote carries its Seq and a keyed MAC of the row. Details never
// hold names or sealed data.
type AuditEntry struct {
	Seq    int64
	At     time.Time
	Actor  string
	Action string // "record.create", "record.update", "event.create", "import"…
	Entity string // "record:rec_…", "" for actions on no single entity
	Detail string // JSON: ids, counts, kinds; no sealed data
	Prev   string // MAC of the entry before, hex
	MAC    string
}

// AuditReport is the result of an audit verification.
type AuditReport struct {
	Entries  int64 // audit entries checked
	Rows     int64 // data rows checked against the chain
	Problems []string
}

// OK reports whether verification found nothing wrong.
func (r AuditReport) OK() bool { return len(r.Problems) == 0 }
