package export

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"peyvand"
	"peyvand/pfif"
)

// PFIF status of each Peyvand status. PFIF knows only missing, alive and
// dead; the others go as no status, with the exact status on an extension
// line at the start of the note's text (pfif.WithExtension), which
// Peyvand's import reads back.
var pfifStatus = map[peyvand.Status]string{
	peyvand.StatusMissing:  pfif.BelievedMissing,
	peyvand.StatusKilled:   pfif.BelievedDead,
	peyvand.StatusExecuted: pfif.BelievedDead,
	peyvand.StatusSafe:     pfif.BelievedAlive,
	peyvand.StatusReleased: pfif.BelievedAlive,
}

// extension returns what a note's PFIF fields cannot say about e.
func extension(e peyvand.StatusEvent) map[string]string {
	kv := map[string]string{}
	if _, ok := pfifStatus[e.Status]; !ok || e.Status == peyvand.StatusExecuted || e.Status == peyvand.StatusReleased {
		kv["status"] = string(e.Status)
	}
	if e.Verification != "" && e.Verification != peyvand.Reported {
		kv["verification"] = string(e.Verification)
	}
	if !e.Date.IsZero() && e.Date.Day == 0 {
		kv["date"] = e.Date.String()
	}
	return kv
}

// PFIF writes every record as a PFIF 1.4 person with its events as notes.
// Record ids are written as the source gave them.
func PFIF(ctx context.Context, s peyvand.Store, w io.Writer, opt Options) error {
	snap, err := load(ctx, s, opt)
	if err != nil {
		return err
	}
	enc := pfif.NewEncoder(w)
	err = snap.records(ctx, s, opt, func(r peyvand.Record, evs []peyvand.StatusEvent) error {
		p := pfif.Person{PersonRecordID: r.ExternalID, EntryDate: pfifTime(r.UpdatedAt),
			SourceName: snap.sources[r.SourceID].Name, SourceDate: pfifTime(snap.sources[r.SourceID].ReceivedAt),
			FullName: r.FullName, GivenName: r.GivenName, FamilyName: r.FamilyName, AlternateNames: r.OtherNames,
			Sex: string(r.Gender), HomeCity: r.City, HomeState: r.Province,
			AuthorName: r.Reporter, Description: r.Notes}
		p.AuthorEmail, p.AuthorPhone = splitContact(r.Contact)
		if r.BirthYear != 0 {
			p.DateOfBirth = fmt.Sprintf("%04d", r.BirthYear)
		}
		if r.Age != 0 {
			p.Age = fmt.Sprint(r.Age)
		}
		for _, e := range evs {
			n := pfif.Note{NoteRecordID: e.ExternalID, PersonRecordID: r.ExternalID, EntryDate: pfifTime(e.RecordedAt),
				Status: pfifStatus[e.Status], LastKnownLocation: e.Place, AuthorName: e.Reporter,
				Text: pfif.WithExtension(extension(e), e.Text)}
			n.AuthorEmail, n.AuthorPhone = splitContact(e.Contact)
			if !e.Date.IsZero() {
				d := e.Date
				n.SourceDate = fmt.Sprintf("%04d-%02d-%02dT00:00:00Z", d.Year, max(d.Month, 1), max(d.Day, 1))
			}
			p.Notes = append(p.Notes, n)
		}
		return enc.WritePerson(p)
	})
	if err != nil {
		return err
	}
	return enc.Close()
}

// splitContact puts e-mail addresses in one field and the rest in another,
// as PFIF has them.
func splitContact(c string) (email, phone string) {
	var emails, others []string
	for _, line := range strings.Split(c, "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		} else if strings.Contains(line, "@") {
			emails = append(emails, line)
		} else {
			others = append(others, line)
		}
	}
	return strings.Join(emails, ", "), strings.Join(others, ", ")
}

func pfifTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}
