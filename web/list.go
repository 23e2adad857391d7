package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"sort"
	"strings"
	"time"

	"peyvand"
	"peyvand/names"
	"peyvand/persian"
)

// published is one person on the public list: a verified status that a
// verifier allowed to publish. Nothing sealed, no source identities.
type published struct {
	ID        string       `json:"id"`
	Name      string       `json:"name"`
	OtherName string       `json:"other_name,omitempty"` // the name in the other script, when a record has it
	Status    string       `json:"status"`
	Date      peyvand.Date `json:"-"`
	DateText  string       `json:"date,omitempty"`
	Place     string       `json:"place,omitempty"`
	City      string       `json:"city,omitempty"`
	Province  string       `json:"province,omitempty"`
	Updated   time.Time    `json:"updated"`
	search    string
}

// publishedList returns the published list, built at most once per
// publicTTL.
func (s *Server) publishedList(ctx context.Context) ([]published, error) {
	return s.listCache.get(s.now, func() ([]published, error) {
		list, err := s.buildPublishedList(ctx)
		if list == nil && err == nil {
			list = []published{}
		}
		return list, err
	})
}

// buildPublishedList returns the persons a verifier allowed to publish
// whose current status is verified, most recently changed first.
func (s *Server) buildPublishedList(ctx context.Context) ([]published, error) {
	allowed, err := s.store.Published(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []published
	for id, ok := range allowed {
		if !ok {
			continue
		}
		d, err := s.store.Dossier(ctx, id)
		if err != nil {
			return nil, err
		}
		if seen[d.Person.ID] || d.Person.ID != id { // merged away since: its person decides
			continue
		}
		seen[d.Person.ID] = true
		cur, ok := d.Current()
		if !ok || cur.Verification != peyvand.Verified {
			continue
		}
		p := published{ID: d.Person.ID, Status: string(cur.Status), Date: cur.Date, DateText: cur.Date.String(),
			Place: cur.Place, Updated: cur.RecordedAt}
		var keys []string
		for _, r := range d.Records {
			n := r.DisplayName()
			if n == "" {
				continue
			}
			keys = append(keys, persian.Fold(n), names.Key(n))
			switch {
			case p.Name == "":
				p.Name = n
			case p.OtherName == "" && persian.HasArabicScript(n) != persian.HasArabicScript(p.Name):
				p.OtherName = n
			}
			if p.City == "" {
				p.City, p.Province = r.City, r.Province
			}
		}
		p.search = strings.Join(keys, "\n")
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Updated.Equal(out[j].Updated) {
			return out[i].Updated.After(out[j].Updated)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// matches reports whether a published person matches a search, in either
// script: the query is folded and keyed like names are.
func (p published) matches(q string) bool {
	if q == "" {
		return true
	}
	return strings.Contains(p.search, persian.Fold(q)) || strings.Contains(p.search, names.Key(q))
}

type listPage struct {
	Query   string
	Persons []published
	Total   int
	Counts  []count
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	all, err := s.publishedList(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(w, r)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	lp := listPage{Query: q, Total: len(all)}
	byStatus := map[string]int{}
	for _, x := range all {
		byStatus[x.Status]++
		if x.matches(q) && len(lp.Persons) < 500 {
			lp.Persons = append(lp.Persons, x)
		}
	}
	for _, st := range peyvand.Statuses {
		if n := byStatus[string(st)]; n > 0 {
			lp.Counts = append(lp.Counts, count{Label: p.T["status_"+string(st)], Value: formatNumber(p.Lang, n)})
		}
	}
	p.Data = lp
	s.render(w, http.StatusOK, "list", p)
}

func (s *Server) handleListJSON(w http.ResponseWriter, r *http.Request) {
	all, err := s.publishedList(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if all == nil {
		all = []published{}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="peyvand-list.json"`)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(map[string]any{"persons": all, "count": len(all)})
}

func (s *Server) handleListCSV(w http.ResponseWriter, r *http.Request) {
	all, err := s.publishedList(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="peyvand-list.csv"`)
	w.Write([]byte("\ufeff")) // so that Excel reads the Persian names as UTF-8
	cw := csv.NewWriter(w)
	cw.Write([]string{"person_id", "full_name", "other_name", "status", "event_date", "place", "city", "province"})
	for _, p := range all {
		cw.Write([]string{p.ID, csvSafe(p.Name), csvSafe(p.OtherName), p.Status, p.DateText, csvSafe(p.Place), csvSafe(p.City), csvSafe(p.Province)})
	}
	cw.Flush()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Link    atomLink    `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomEntry struct {
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// handleListAtom is the published list as an Atom feed for diaspora
// channels. Links are relative (resolved against the feed's own address),
// so the feed works the same behind an onion service.
func (s *Server) handleListAtom(w http.ResponseWriter, r *http.Request) {
	all, err := s.publishedList(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	lang := pickLanguage(r)
	t := s.msgs[lang]
	f := atomFeed{ID: "urn:peyvand:list", Title: t["list_heading"], Link: atomLink{Href: "list", Rel: "alternate"},
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339)}
	for i, p := range all {
		up := p.Updated.UTC().Format(time.RFC3339)
		if i == 0 {
			f.Updated = up
		}
		summary := t["status_"+p.Status]
		if p.DateText != "" {
			summary += " · " + p.DateText
		}
		if p.Place != "" {
			summary += " · " + p.Place
		}
		f.Entries = append(f.Entries, atomEntry{ID: "urn:peyvand:person:" + p.ID, Title: p.Name, Updated: up,
			Link: atomLink{Href: "list#" + p.ID}, Summary: summary})
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	enc.Encode(f)
}
