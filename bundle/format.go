// Package bundle carries records between Peyvand instances when the network
// cannot: a bundle is a file, encrypted to one recipient and signed by its
// sender, that travels on a USB stick, through a messenger or over a
// satellite link, and is imported exactly once however often it arrives.
// docs/BUNDLE.md specifies the format.
package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"peyvand"
	"peyvand/identity"
)

// Format and Version name the bundle format inside the encryption.
const (
	Format  = "peyvand-bundle"
	Version = 1
)

// MaxLine bounds one line of a bundle (a record with all its events): the
// reader holds one line at a time, so this is its memory bound.
const MaxLine = 8 << 20

// Header is the first line of a bundle: who sent it to whom, and when.
type Header struct {
	Format    string    `json:"format"`
	Version   int       `json:"version"`
	ID        string    `json:"id"` // 32 hex digits, random
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
	Sender    string    `json:"sender"`    // the sender's public line
	Recipient string    `json:"recipient"` // the recipient's age recipient, "age1…"
	Rules     Rules     `json:"rules"`
}

// Rules say what the sender chose to include. Sealed fields and the
// accounts that stored events stay out by default: a bundle travels.
type Rules struct {
	Contacts  bool `json:"contacts"`  // Record.Contact, StatusEvent.Contact
	Reporters bool `json:"reporters"` // Record.Reporter, StatusEvent.Reporter: witnesses' identities
	Texts     bool `json:"texts"`     // Record.Notes, StatusEvent.Text: testimony
	Actors    bool `json:"actors"`    // StatusEvent.Actor: the sender's staff accounts
	// Kinds are the kinds of source to send; by default list, witness
	// and news. Families' inquiries are sent only when named: who is
	// searching for whom is what an adversary most wants.
	Kinds []peyvand.SourceKind `json:"-"`
}

// Source is a source as a bundle carries it.
type Source struct {
	CID          string             `json:"cid"`
	Name         string             `json:"name"`
	Kind         peyvand.SourceKind `json:"kind"`
	Organisation string             `json:"organisation,omitempty"`
	Independent  bool               `json:"independent,omitempty"`
	ReceivedAt   time.Time          `json:"received_at,omitzero"`
}

// Record is a record and its status events as a bundle carries them. The
// sender's ids (ID, PersonID) are carried for reference: which records the
// sender holds for one person. Revision is the sender's revision of the
// record: a recipient that holds a later one ignores this one, so bundles
// can arrive in any order.
type Record struct {
	CID             string    `json:"cid"`
	Source          string    `json:"source"` // the sender's name of the source
	ID              string    `json:"id,omitempty"`
	ExternalID      string    `json:"external_id"`
	PersonID        string    `json:"person_id,omitempty"`
	FullName        string    `json:"full_name,omitempty"`
	GivenName       string    `json:"given_name,omitempty"`
	FamilyName      string    `json:"family_name,omitempty"`
	FatherName      string    `json:"father_name,omitempty"`
	OtherNames      string    `json:"other_names,omitempty"`
	Gender          string    `json:"gender,omitempty"`
	BirthYear       int       `json:"birth_year,omitempty"`
	Age             int       `json:"age,omitempty"`
	AgeDate         string    `json:"age_date,omitempty"`
	City            string    `json:"city,omitempty"`
	Province        string    `json:"province,omitempty"`
	NationalID      string    `json:"national_id,omitempty"`
	NationalIDValid bool      `json:"national_id_valid,omitempty"`
	Contact         string    `json:"contact,omitempty"`
	Reporter        string    `json:"reporter,omitempty"`
	Notes           string    `json:"notes,omitempty"`
	Revision        int       `json:"revision,omitempty"` // the sender's, rising with every change; ≥ 1
	RecordedAt      time.Time `json:"recorded_at,omitzero"`
	UpdatedAt       time.Time `json:"updated_at,omitzero"`
	Events          []Event   `json:"events,omitempty"`
}

// Event is a status event as a bundle carries it.
type Event struct {
	CID          string    `json:"cid"`
	ID           string    `json:"id,omitempty"`
	ExternalID   string    `json:"external_id,omitempty"`
	Status       string    `json:"status"`
	Date         string    `json:"date,omitempty"`
	Place        string    `json:"place,omitempty"`
	Verification string    `json:"verification"`
	Evidence     string    `json:"evidence,omitempty"`
	Supersedes   string    `json:"supersedes,omitempty"` // the sender's id of the event it corrects
	Text         string    `json:"text,omitempty"`
	Reporter     string    `json:"reporter,omitempty"`
	Contact      string    `json:"contact,omitempty"`
	Actor        string    `json:"actor,omitempty"`
	RecordedAt   time.Time `json:"recorded_at,omitzero"`
}

// contentID is the hex SHA-256 of a tag and the fields, each written as a
// netstring ("<length>:<bytes>,"): simple to reproduce in any language,
// and no two lists of fields encode alike.
func contentID(tag string, fields ...string) string {
	h := sha256.New()
	h.Write([]byte("peyvand-bundle/v1 " + tag + "\n"))
	for _, f := range fields {
		h.Write([]byte(strconv.Itoa(len(f)) + ":" + f + ","))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func itoa(n int) string { return strconv.Itoa(n) }
func btoa(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// ContentID is the source's content id: its name, kind, organisation
// and independence.
func (s Source) ContentID() string {
	return contentID("source", s.Name, string(s.Kind), s.Organisation, btoa(s.Independent))
}

// ContentID is the record's content id: what the sender's source says
// about the person, as sent. The sender's ids, revision and times are
// left out, so the same content sent twice has the same id.
func (r Record) ContentID() string {
	return contentID("record", r.Source, r.ExternalID, r.FullName, r.GivenName, r.FamilyName, r.FatherName,
		r.OtherNames, r.Gender, itoa(r.BirthYear), itoa(r.Age), r.AgeDate, r.City, r.Province,
		r.NationalID, btoa(r.NationalIDValid), r.Contact, r.Reporter, r.Notes)
}

// ContentID is the event's content id, which names the record it belongs
// to (by its source and external id) and what it says, as sent.
func (e Event) ContentID(source, recordExternalID string) string {
	return contentID("event", source, recordExternalID, e.ExternalID, e.Status, e.Date, e.Place,
		e.Verification, e.Evidence, e.Text, e.Reporter, e.Contact)
}

// Key is the external id the event is imported under: the sender's own,
// or its content id when the sender gave none.
func (e Event) Key() string {
	if e.ExternalID != "" {
		return e.ExternalID
	}
	return "b:" + e.CID
}

// fromSource converts a stored source for a bundle.
func fromSource(s peyvand.Source) Source {
	out := Source{Name: s.Name, Kind: s.Kind, Organisation: s.Organisation, Independent: s.Independent,
		ReceivedAt: s.ReceivedAt.UTC()}
	out.CID = out.ContentID()
	return out
}

// fromRecord converts a stored record and its events for a bundle,
// leaving out what rules do not share.
func fromRecord(source string, r peyvand.Record, evs []peyvand.StatusEvent, rules Rules) Record {
	out := Record{Source: source, ID: r.ID, ExternalID: r.ExternalID, PersonID: r.PersonID,
		FullName: r.FullName, GivenName: r.GivenName, FamilyName: r.FamilyName, FatherName: r.FatherName,
		OtherNames: r.OtherNames, Gender: string(r.Gender), BirthYear: r.BirthYear, Age: r.Age,
		AgeDate: r.AgeDate.String(), City: r.City, Province: r.Province, NationalID: r.NationalID,
		NationalIDValid: r.NationalIDValid, Revision: r.Revision, RecordedAt: r.RecordedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if rules.Contacts {
		out.Contact = r.Contact
	}
	if rules.Reporters {
		out.Reporter = r.Reporter
	}
	if rules.Texts {
		out.Notes = r.Notes
	}
	out.CID = out.ContentID()
	for _, e := range evs {
		ev := Event{ID: e.ID, ExternalID: e.ExternalID, Status: string(e.Status), Date: e.Date.String(),
			Place: e.Place, Verification: string(e.Verification), Evidence: e.Evidence, Supersedes: e.Supersedes,
			RecordedAt: e.RecordedAt.UTC()}
		if rules.Contacts {
			ev.Contact = e.Contact
		}
		if rules.Reporters {
			ev.Reporter = e.Reporter
		}
		if rules.Texts {
			ev.Text = e.Text
		}
		if rules.Actors {
			ev.Actor = e.Actor
		}
		ev.CID = ev.ContentID(source, r.ExternalID)
		out.Events = append(out.Events, ev)
	}
	return out
}

// row converts a bundle record into the row to import into the local
// source sourceID, checking it as an import checks a list's rows. The
// record keeps the sender's revision, so that the store ignores it when it
// holds a later one. Each event's verification is capped at what peer is
// trusted with, and a correction names the event it corrects by that
// event's key.
func (r Record) row(sourceID string, peer identity.Peer) (peyvand.ImportRow, error) {
	age, err := peyvand.ParseISODate(r.AgeDate)
	if err != nil {
		return peyvand.ImportRow{}, peyvand.Errorf(peyvand.EINVALID, "age_date: %s", peyvand.ErrorMessage(err))
	}
	rec := peyvand.Record{SourceID: sourceID, ExternalID: r.ExternalID,
		FullName: r.FullName, GivenName: r.GivenName, FamilyName: r.FamilyName, FatherName: r.FatherName,
		OtherNames: r.OtherNames, Gender: peyvand.Gender(r.Gender), BirthYear: r.BirthYear, Age: r.Age,
		AgeDate: age, City: r.City, Province: r.Province, NationalID: r.NationalID,
		NationalIDValid: r.NationalIDValid, Contact: r.Contact, Reporter: r.Reporter, Notes: r.Notes,
		Revision: r.Revision}
	if err := rec.Validate(); err != nil {
		return peyvand.ImportRow{}, err
	}
	// Supersedes is the sender's id of the corrected event, which means
	// nothing here; the event with that id in the record is known here by
	// its key. A record is sent with all its events, so a correction and
	// the event it corrects always travel together.
	keys := make(map[string]string, len(r.Events))
	for _, e := range r.Events {
		if e.ID != "" {
			keys[e.ID] = e.Key()
		}
	}
	row := peyvand.ImportRow{Record: rec}
	for i, e := range r.Events {
		d, err := peyvand.ParseISODate(e.Date)
		if err != nil {
			return row, peyvand.Errorf(peyvand.EINVALID, "event %d: date: %s", i+1, peyvand.ErrorMessage(err))
		}
		ev := peyvand.StatusEvent{ExternalID: e.Key(), Status: peyvand.Status(e.Status), Date: d, Place: e.Place,
			Verification: peyvand.Verification(e.Verification), Evidence: e.Evidence,
			Text: e.Text, Reporter: e.Reporter, Contact: e.Contact}
		if err := ev.Validate(); err != nil {
			return row, peyvand.Errorf(peyvand.EINVALID, "event %d: %s", i+1, peyvand.ErrorMessage(err))
		}
		ev.Verification = peer.Cap(ev.Verification)
		if e.Supersedes != "" {
			// A correction of an event of another of the sender's
			// records (of the same person) cannot be resolved here: the
			// event is kept, as an event of its own.
			ev.Supersedes = keys[e.Supersedes]
			if ev.Supersedes == ev.ExternalID {
				return row, peyvand.Errorf(peyvand.EINVALID, "event %d corrects itself", i+1)
			}
		}
		row.Events = append(row.Events, ev)
	}
	return row, nil
}
