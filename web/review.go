package web

import (
	"context"
	"net/http"
	"strings"

	"peyvand"
)

// reviewItem is one uncertain pair with both records and the reasons.
type reviewItem struct {
	A, B        peyvand.Record
	SourceA     string
	SourceB     string
	Probability float64
	Fields      []reviewField
}

type reviewField struct {
	Field, A, B, Label string
	Weight             float64
}

const reviewPageSize = 20

// handleReview shows the pairs the linkage engine could not decide, side
// by side with the weight each field gave.
func (s *Server) handleReview(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	ctx := r.Context()
	var items []reviewItem
	if s.linker != nil {
		srcs, err := s.sourceNames(ctx)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		for _, rp := range s.linker.Review() {
			if len(items) == reviewPageSize {
				break
			}
			a, errA := s.store.Record(ctx, rp.A)
			b, errB := s.store.Record(ctx, rp.B)
			if errA != nil || errB != nil || a.PersonID == b.PersonID {
				continue // merged since the queue was made
			}
			it := reviewItem{A: a, B: b, SourceA: srcs[a.SourceID].Name, SourceB: srcs[b.SourceID].Name, Probability: rp.Probability}
			for _, c := range rp.Explanation.Fields {
				it.Fields = append(it.Fields, reviewField{Field: c.Field, A: c.A, B: c.B, Label: c.Label, Weight: c.Weight})
			}
			items = append(items, it)
		}
	}
	p.Data = items
	s.render(w, http.StatusOK, "review", p)
}

func (s *Server) sourceNames(ctx context.Context) (map[string]peyvand.Source, error) {
	srcs, err := s.store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	m := map[string]peyvand.Source{}
	for _, src := range srcs {
		m[src.ID] = src
	}
	return m, nil
}

// handleDecide records a reviewer's decision on a pair; "same" merges the
// two persons at once.
func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request) {
	a, b := r.PostFormValue("a"), r.PostFormValue("b")
	d := peyvand.Decision(r.PostFormValue("decision"))
	var err error
	if s.linker != nil {
		err = s.linker.Decide(r.Context(), actor(me(r)), a, b, d)
	} else {
		err = s.store.Decide(r.Context(), actor(me(r)), peyvand.PairDecision{RecordA: a, RecordB: b, Decision: d})
		if err == nil && d == peyvand.Same {
			_, err = s.store.MergePersons(r.Context(), actor(me(r)), [][]string{{a, b}})
		}
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/review", http.StatusSeeOther)
}

// personView is a person's dossier as a staff member may see it.
type personView struct {
	Dossier    peyvand.Dossier
	Records    []recordView
	Events     []eventView
	Current    peyvand.StatusEvent
	HasCurrent bool
	Published  bool
	// Independent is the number of independent sources that list the
	// person; VerifyRule says what "verified" needs.
	Independent int
	VerifyRule  string
}

type recordView struct {
	peyvand.Record
	Source string
	Sealed bool // the sealed fields are hidden from this staff member
}

type eventView struct {
	peyvand.StatusEvent
	Superseded bool
	Sealed     bool
}

func (s *Server) personView(ctx context.Context, a peyvand.Account, id string) (personView, error) {
	var v personView
	d, err := s.store.Dossier(ctx, id)
	if err != nil {
		return v, err
	}
	srcs, err := s.sourceNames(ctx)
	if err != nil {
		return v, err
	}
	v.Dossier = d
	srcOf := map[string]peyvand.Source{}
	independent := map[string]bool{}
	for _, rec := range d.Records {
		src := srcs[rec.SourceID]
		srcOf[rec.ID] = src
		rv := recordView{Record: rec, Source: src.Name}
		if !mayUnseal(a, src) {
			rv.Contact, rv.Reporter, rv.Notes, rv.Sealed = "", "", "", rec.Contact != "" || rec.Reporter != "" || rec.Notes != ""
		}
		if src.Independent {
			independent[src.ID] = true
		}
		v.Records = append(v.Records, rv)
	}
	v.Independent = len(independent)
	superseded := map[string]bool{}
	for _, e := range d.Events {
		if e.Supersedes != "" {
			superseded[e.Supersedes] = true
		}
	}
	for _, e := range d.Events {
		ev := eventView{StatusEvent: e, Superseded: superseded[e.ID]}
		if !mayUnseal(a, srcOf[e.RecordID]) {
			ev.Sealed = e.Text != "" || e.Reporter != "" || e.Contact != ""
			ev.Text, ev.Reporter, ev.Contact = "", "", ""
		}
		v.Events = append(v.Events, ev)
	}
	v.Current, v.HasCurrent = d.Current()
	pub, err := s.store.Published(ctx)
	v.Published = pub[d.Person.ID]
	v.VerifyRule = "verify_rule"
	return v, err
}

func (s *Server) handlePerson(w http.ResponseWriter, r *http.Request) {
	v, err := s.personView(r.Context(), me(r), r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(w, r)
	p.Data = v
	s.render(w, http.StatusOK, "person", p)
}

// handleVerify raises (or lowers) the verification level of a status event
// by adding an event that supersedes it, with the evidence. "Verified"
// needs evidence a reader can check (a document, a reference) or two
// independent sources listing the person.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v, err := s.personView(ctx, me(r), r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	eventID := r.PostFormValue("event")
	level := peyvand.Verification(r.PostFormValue("level"))
	evidence := strings.TrimSpace(r.PostFormValue("evidence"))
	var target *peyvand.StatusEvent
	for i := range v.Dossier.Events {
		if v.Dossier.Events[i].ID == eventID {
			target = &v.Dossier.Events[i]
		}
	}
	switch {
	case target == nil:
		s.renderStatus(w, r, http.StatusNotFound, s.text(r, "error_no_event"))
		return
	case !level.Valid():
		s.renderStatus(w, r, http.StatusBadRequest, s.text(r, "error_level"))
		return
	case level == peyvand.Verified && evidence == "" && v.Independent < 2:
		s.renderStatus(w, r, http.StatusBadRequest, s.text(r, "verify_rule"))
		return
	}
	e := *target
	e.ID, e.ExternalID, e.Supersedes, e.Verification = "", "", target.ID, level
	if evidence != "" {
		e.Evidence = evidence
	}
	if _, err := s.store.AddEvent(ctx, actor(me(r)), e); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/person/"+v.Dossier.Person.ID, http.StatusSeeOther)
}

func (s *Server) handlePublish(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	d, err := s.store.Dossier(r.Context(), id)
	if err == nil {
		err = s.store.SetPublished(r.Context(), actor(me(r)), d.Person.ID, r.PostFormValue("allowed") == "1")
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/person/"+d.Person.ID, http.StatusSeeOther)
}

// handleSplit moves the checked records out into a new person, and
// records that they are not the same as the records left behind, so that
// linking does not merge them back.
func (s *Server) handleSplit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, err := s.store.Dossier(ctx, r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	out := map[string]bool{}
	for _, id := range r.PostForm["record"] {
		out[id] = true
	}
	var moving, staying []string
	for _, rec := range d.Records {
		if out[rec.ID] {
			moving = append(moving, rec.ID)
		} else {
			staying = append(staying, rec.ID)
		}
	}
	if len(moving) == 0 || len(staying) == 0 {
		s.renderStatus(w, r, http.StatusBadRequest, s.text(r, "error_split"))
		return
	}
	newID, err := s.store.SplitPerson(ctx, actor(me(r)), moving)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	for _, a := range moving {
		for _, b := range staying {
			if err := s.store.Decide(ctx, actor(me(r)), peyvand.PairDecision{RecordA: a, RecordB: b, Decision: peyvand.Different}); err != nil {
				s.renderError(w, r, err)
				return
			}
		}
	}
	http.Redirect(w, r, "/staff/person/"+newID, http.StatusSeeOther)
}
