package web

import (
	"context"
	"net/http"

	"peyvand"
)

// handleHome shows what Peyvand is and what the registry holds: totals
// only, never a name, since the page is open to anyone.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	st, err := s.stats(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(w, r)
	for _, c := range []struct {
		key string
		n   int
	}{
		{"count_sources", st.Sources}, {"count_records", st.Records}, {"count_persons", st.Persons},
		{"count_events", st.Events}, {"count_inquiries", st.Inquiries},
	} {
		p.Counts = append(p.Counts, count{Label: p.T[c.key], Value: formatNumber(p.Lang, c.n)})
	}
	s.render(w, http.StatusOK, "home", p)
}

// stats returns the registry's totals, counted at most once per
// publicTTL: counting every table's rows on each view of a public page
// would let a flood of views load the database.
func (s *Server) stats(ctx context.Context) (peyvand.Stats, error) {
	return s.statsCache.get(s.now, func() (peyvand.Stats, error) { return s.store.Stats(ctx) })
}
