package web

import (
	"errors"
	"net/http"
	"strings"

	"peyvand"
	"peyvand/names"
	"peyvand/persian"
)

// maxSearchResults bounds a staff search's answer.
const maxSearchResults = 100

// searchHit is one person a staff search found.
type searchHit struct {
	PersonID  string
	Name      string // the first matching record's name
	OtherName string // a name in the other script, when one of the records has it
	BirthYear int
	City      string
	Records   int // matching records of this person
}

type searchPage struct {
	Query string
	Hits  []searchHit
	More  bool // more persons matched than are shown
}

// errSearchFull stops the walk once enough persons are found.
var errSearchFull = errors.New("enough results")

// handleSearch finds persons by name for verifiers, in either script and
// any romanisation the name keys cover: the query is folded and keyed as
// the published list's search is, over every record (not only published
// ones). Only names are searched and shown; sealed fields are not.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	sp := searchPage{Query: q}
	fq, kq := persian.Fold(q), names.Key(q)
	if fq != "" || kq != "" {
		byPerson := map[string]int{} // person → index in Hits
		err := s.store.WalkRecords(r.Context(), peyvand.RecordFilter{}, func(rec peyvand.Record) error {
			n := rec.DisplayName()
			all := n + "\n" + rec.OtherNames
			if !(fq != "" && strings.Contains(persian.Fold(all), fq)) && !(kq != "" && strings.Contains(names.Key(all), kq)) {
				return nil
			}
			i, ok := byPerson[rec.PersonID]
			if !ok {
				if len(sp.Hits) == maxSearchResults {
					sp.More = true
					return errSearchFull
				}
				i = len(sp.Hits)
				byPerson[rec.PersonID] = i
				sp.Hits = append(sp.Hits, searchHit{PersonID: rec.PersonID, Name: n})
			}
			h := &sp.Hits[i]
			h.Records++
			if h.OtherName == "" && n != "" && persian.HasArabicScript(n) != persian.HasArabicScript(h.Name) {
				h.OtherName = n
			}
			if h.BirthYear == 0 {
				h.BirthYear = rec.BirthYear
			}
			if h.City == "" {
				h.City = rec.City
			}
			return nil
		})
		if err != nil && !errors.Is(err, errSearchFull) {
			s.renderError(w, r, err)
			return
		}
	}
	p.Data = sp
	s.render(w, http.StatusOK, "search", p)
}
