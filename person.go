package peyvand

import "time"

// Person is a cluster of records that describe the same human being. Its ID
// is stable: when linkage merges two persons the older ID survives and the
// other records where it went (MergedInto), so links and bookmarks that
// name either keep working.
type Person struct {
	ID         string
	CreatedAt  time.Time
	MergedInto string // "" while the person stands on its own
}

// Dossier is everything the registry holds about one person.
type Dossier struct {
	Person  Person
	Records []Record
	Events  []StatusEvent
}

// Current returns the person's derived current status.
func (d Dossier) Current() (StatusEvent, bool) { return CurrentStatus(d.Events) }
