package export

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"

	"peyvand"
)

// csvColumns are the import's column names (package ingest reads them
// back), each with its HXL hashtag.
var csvColumns = []struct{ name, hxl string }{
	{"record_id", "#meta+id"},
	{"source", "#meta+source"},
	{"full_name", "#affected+name"},
	{"given_name", "#affected+name+given"},
	{"family_name", "#affected+name+family"},
	{"father_name", "#affected+name+father"},
	{"birth_year", "#affected+birth+year"},
	{"age", "#affected+age"},
	{"gender", "#affected+gender"},
	{"city", "#adm2+name"},
	{"province", "#adm1+name"},
	{"event_date", "#date+event"},
	{"status", "#status+event"},
	{"national_id", "#affected+id+national"},
	{"other_names", "#affected+name+alt"},
	{"place", "#loc+event"},
	{"verification", "#status+verification"},
	{"evidence", "#meta+evidence"},
	{"event_id", "#meta+event+id"},
	{"person_id", "#affected+person+id"},
}

var sealedColumns = []struct{ name, hxl string }{
	{"contact", "#contact+sealed"},
	{"reporter", "#meta+reporter+sealed"},
	{"notes", "#description+sealed"},
}

// CSV writes one row per status event (a record without events gets one
// row), in the import's columns, so that the file imports back as the same
// records and events.
func CSV(ctx context.Context, s peyvand.Store, w io.Writer, opt Options) error {
	snap, err := load(ctx, s, opt)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cols := csvColumns
	if opt.IncludeSealed {
		cols = append(cols[:len(cols):len(cols)], sealedColumns...)
	}
	header, tags := make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		header[i], tags[i] = c.name, c.hxl
	}
	cw.Write(header)
	if opt.HXL {
		cw.Write(tags)
	}
	err = snap.records(ctx, s, opt, func(r peyvand.Record, evs []peyvand.StatusEvent) error {
		base := []string{r.ExternalID, snap.sources[r.SourceID].Name, r.FullName, r.GivenName, r.FamilyName,
			r.FatherName, itoa(r.BirthYear), itoa(r.Age), string(r.Gender), r.City, r.Province}
		tail := []string{r.NationalID, r.OtherNames}
		if len(evs) == 0 {
			evs = []peyvand.StatusEvent{{}}
		}
		for _, e := range evs {
			row := append(append([]string{}, base...), e.Date.String(), string(e.Status))
			row = append(row, tail...)
			row = append(row, e.Place, string(e.Verification), e.Evidence, e.ExternalID, r.PersonID)
			if opt.IncludeSealed {
				row = append(row, r.Contact, r.Reporter, r.Notes)
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
