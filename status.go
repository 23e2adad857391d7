package peyvand

import (
	"sort"
	"time"
)

// Status is what happened to a person, as one source reports it.
type Status string

// The statuses a status event can report.
const (
	StatusMissing   Status = "missing"
	StatusDetained  Status = "detained"
	StatusInjured   Status = "injured"
	StatusKilled    Status = "killed"
	StatusExecuted  Status = "executed"
	StatusSentenced Status = "sentenced"
	StatusReleased  Status = "released"
	StatusSafe      Status = "safe"
	StatusUnknown   Status = "unknown"
)

// Statuses lists every status, in the order reports and counts show them.
var Statuses = []Status{
	StatusKilled, StatusExecuted, StatusInjured, StatusDetained, StatusSentenced,
	StatusMissing, StatusReleased, StatusSafe, StatusUnknown,
}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Sensitive reports whether news of this status must reach a family through
// a caseworker rather than a status page.
func (s Status) Sensitive() bool {
	return s == StatusKilled || s == StatusExecuted
}

// Verification is how well a status event is established.
type Verification string

// The verification levels, weakest first.
const (
	Reported     Verification = "reported"     // one source says so
	Corroborated Verification = "corroborated" // independent sources agree
	Verified     Verification = "verified"     // a verifier confirmed it with evidence
)

// Rank orders verification levels: 1 reported, 2 corroborated, 3 verified,
// 0 for an unknown value.
func (v Verification) Rank() int {
	switch v {
	case Reported:
		return 1
	case Corroborated:
		return 2
	case Verified:
		return 3
	}
	return 0
}

// Valid reports whether v is one of the known levels.
func (v Verification) Valid() bool { return v.Rank() > 0 }

// StatusEvent is one source's statement that something happened to a person.
// Events are never edited: a correction, or a change of verification level,
// is a new event that names the one it Supersedes.
type StatusEvent struct {
	ID         string
	RecordID   string
	ExternalID string // the source's id for the statement (a PFIF note id) or a content key; unique per record
	Status     Status
	Date       Date
	Place      string
	// Verification and the Evidence behind it: sources, documents,
	// references a reader can check (not identities: those are sealed).
	Verification Verification
	Evidence     string
	Supersedes   string

	// Sealed at rest.
	Text     string // testimony as given
	Reporter string // who said so
	Contact  string // contact details given with the statement

	Actor      string // account or process that stored the event
	RecordedAt time.Time
}

// Validate reports the first thing wrong with e, naming the field.
func (e StatusEvent) Validate() error {
	switch {
	case !e.Status.Valid():
		return Errorf(EINVALID, "status: %q is not a known status", e.Status)
	case !e.Verification.Valid():
		return Errorf(EINVALID, "verification: %q is not reported, corroborated or verified", e.Verification)
	case !e.Date.Valid():
		return Errorf(EINVALID, "event_date: %v is not a date", e.Date)
	case len(e.Place) > MaxNameBytes:
		return Errorf(EINVALID, "place: longer than %d bytes", MaxNameBytes)
	case len(e.ExternalID) > MaxNameBytes:
		return Errorf(EINVALID, "event id: longer than %d bytes", MaxNameBytes)
	case len(e.Evidence) > MaxTextBytes || len(e.Text) > MaxTextBytes ||
		len(e.Reporter) > MaxTextBytes || len(e.Contact) > MaxTextBytes:
		return Errorf(EINVALID, "event text: longer than %d bytes", MaxTextBytes)
	}
	return nil
}

// CurrentStatus derives a person's status from all the events of all their
// records: events superseded by a later one are set aside, "unknown" never
// hides a known status, and the rest are ordered by the date of the event
// (an undated event counts from the day it was recorded), then by
// verification level, then by when it was recorded. The last one wins.
// ok is false when no event says anything.
func CurrentStatus(events []StatusEvent) (current StatusEvent, ok bool) {
	superseded := make(map[string]bool)
	for _, e := range events {
		if e.Supersedes != "" {
			superseded[e.Supersedes] = true
		}
	}
	var live []StatusEvent
	for _, e := range events {
		if !superseded[e.ID] && e.Status != StatusUnknown {
			live = append(live, e)
		}
	}
	if len(live) == 0 {
		for _, e := range events {
			if !superseded[e.ID] {
				return e, true
			}
		}
		return StatusEvent{}, false
	}
	sort.SliceStable(live, func(i, j int) bool {
		a, b := live[i], live[j]
		if c := effectiveDate(a).Compare(effectiveDate(b)); c != 0 {
			return c < 0
		}
		if a.Verification.Rank() != b.Verification.Rank() {
			return a.Verification.Rank() < b.Verification.Rank()
		}
		return a.RecordedAt.Before(b.RecordedAt)
	})
	return live[len(live)-1], true
}

func effectiveDate(e StatusEvent) Date {
	if !e.Date.IsZero() {
		return e.Date
	}
	t := e.RecordedAt.UTC()
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}
