package demo

import (
	"encoding/csv"
	"io"
	"strconv"

	"peyvand"
)

// CSVHeader is the default import column set, which WriteCSV writes.
var CSVHeader = []string{"record_id", "source", "full_name", "given_name", "family_name", "father_name",
	"birth_year", "age", "gender", "city", "province", "event_date", "status", "place", "national_id"}

// WriteCSV writes every row of a data set as one list in the default
// import columns (a row per record, its first status event), for trying
// imports and measuring them.
func WriteCSV(w io.Writer, d Dataset) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	for _, sr := range d.Sources {
		for _, row := range sr.Rows {
			r := row.Record
			var e peyvand.StatusEvent
			if len(row.Events) > 0 {
				e = row.Events[0]
			}
			if err := cw.Write([]string{r.ExternalID, sr.Source.Name, r.FullName, r.GivenName, r.FamilyName,
				r.FatherName, num(r.BirthYear), num(r.Age), string(r.Gender), r.City, r.Province,
				e.Date.String(), string(e.Status), e.Place, r.NationalID}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
