package export

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"peyvand"
)

// JSON document shapes. Field names are snake_case like the CSV columns.
type jsonSource struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	Organisation string `json:"organisation,omitempty"`
	Independent  bool   `json:"independent"`
	ReceivedAt   string `json:"received_at"`
}

type jsonEvent struct {
	ID           string `json:"id"`
	ExternalID   string `json:"event_id,omitempty"`
	Status       string `json:"status"`
	Date         string `json:"date,omitempty"`
	Place        string `json:"place,omitempty"`
	Verification string `json:"verification"`
	Evidence     string `json:"evidence,omitempty"`
	Supersedes   string `json:"supersedes,omitempty"`
	Text         string `json:"text,omitempty"`
	Reporter     string `json:"reporter,omitempty"`
	Contact      string `json:"contact,omitempty"`
	RecordedAt   string `json:"recorded_at"`
}

type jsonRecord struct {
	ID              string      `json:"id"`
	Source          string      `json:"source"`
	RecordID        string      `json:"record_id"`
	PersonID        string      `json:"person_id"`
	FullName        string      `json:"full_name,omitempty"`
	GivenName       string      `json:"given_name,omitempty"`
	FamilyName      string      `json:"family_name,omitempty"`
	FatherName      string      `json:"father_name,omitempty"`
	OtherNames      string      `json:"other_names,omitempty"`
	Gender          string      `json:"gender,omitempty"`
	BirthYear       int         `json:"birth_year,omitempty"`
	Age             int         `json:"age,omitempty"`
	AgeDate         string      `json:"age_date,omitempty"`
	City            string      `json:"city,omitempty"`
	Province        string      `json:"province,omitempty"`
	NationalID      string      `json:"national_id,omitempty"`
	NationalIDValid bool        `json:"national_id_valid,omitempty"`
	Contact         string      `json:"contact,omitempty"`
	Reporter        string      `json:"reporter,omitempty"`
	Notes           string      `json:"notes,omitempty"`
	Revision        int         `json:"revision"`
	Events          []jsonEvent `json:"events"`
}

// JSON writes {"format", "version", "sources": [...], "records": [...]},
// each record with its events, streaming the records.
func JSON(ctx context.Context, s peyvand.Store, w io.Writer, opt Options) error {
	snap, err := load(ctx, s, opt)
	if err != nil {
		return err
	}
	var srcs []jsonSource
	all, err := s.Sources(ctx)
	if err != nil {
		return err
	}
	for _, src := range all {
		if snap.filter.SourceID != "" && src.ID != snap.filter.SourceID {
			continue
		}
		srcs = append(srcs, jsonSource{src.ID, src.Name, string(src.Kind), src.Organisation, src.Independent, ts(src.ReceivedAt)})
	}
	sb, err := json.Marshal(srcs)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "{\"format\":\"peyvand-export\",\"version\":1,\"sources\":%s,\"records\":[", sb); err != nil {
		return err
	}
	first := true
	err = snap.records(ctx, s, opt, func(r peyvand.Record, evs []peyvand.StatusEvent) error {
		jr := jsonRecord{ID: r.ID, Source: snap.sources[r.SourceID].Name, RecordID: r.ExternalID, PersonID: r.PersonID,
			FullName: r.FullName, GivenName: r.GivenName, FamilyName: r.FamilyName, FatherName: r.FatherName,
			OtherNames: r.OtherNames, Gender: string(r.Gender), BirthYear: r.BirthYear, Age: r.Age,
			AgeDate: r.AgeDate.String(), City: r.City, Province: r.Province, NationalID: r.NationalID,
			NationalIDValid: r.NationalIDValid, Contact: r.Contact, Reporter: r.Reporter, Notes: r.Notes,
			Revision: r.Revision, Events: []jsonEvent{}}
		for _, e := range evs {
			jr.Events = append(jr.Events, jsonEvent{e.ID, e.ExternalID, string(e.Status), e.Date.String(), e.Place,
				string(e.Verification), e.Evidence, e.Supersedes, e.Text, e.Reporter, e.Contact, ts(e.RecordedAt)})
		}
		b, err := json.Marshal(jr)
		if err != nil {
			return err
		}
		if !first {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		first = false
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "]}\n")
	return err
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
