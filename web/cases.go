package web

import (
	"net/http"
	"strings"

	"peyvand"
)

// caseView is a case as the caseworkers' queue shows it. The family's
// contact is filled in only for the caseworker the case is assigned to.
type caseView struct {
	peyvand.Case
	Inquiry    peyvand.Inquiry
	Record     peyvand.Record
	PersonID   string
	Current    peyvand.StatusEvent
	Mine       bool
	AssignedTo string // username
}

func (s *Server) caseView(r *http.Request, c peyvand.Case, accounts map[string]string) (caseView, error) {
	ctx := r.Context()
	v := caseView{Case: c, Mine: c.AssignedTo == me(r).ID, AssignedTo: accounts[c.AssignedTo]}
	in, err := s.store.Inquiry(ctx, c.InquiryID)
	if err != nil {
		return v, err
	}
	if !v.Mine {
		in.Contact = ""
		v.Delivery = ""
	}
	v.Inquiry = in
	if v.Record, err = s.store.Record(ctx, in.RecordID); err != nil {
		return v, err
	}
	v.Record.Contact, v.Record.Reporter, v.Record.Notes = "", "", ""
	d, err := s.store.Dossier(ctx, v.Record.PersonID)
	if err != nil {
		return v, err
	}
	v.PersonID = d.Person.ID
	v.Current, _ = d.Current()
	v.Current.Text, v.Current.Reporter, v.Current.Contact = "", "", ""
	return v, nil
}

func (s *Server) accountNames(r *http.Request) (map[string]string, error) {
	as, err := s.store.Accounts(r.Context())
	m := map[string]string{}
	for _, a := range as {
		m[a.ID] = a.Username
	}
	return m, err
}

func (s *Server) handleCases(w http.ResponseWriter, r *http.Request) {
	cs, err := s.store.Cases(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	names, err := s.accountNames(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var views []caseView
	for _, c := range cs {
		v, err := s.caseView(r, c, names)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		views = append(views, v)
	}
	p := s.newPage(w, r)
	p.Data = views
	s.render(w, http.StatusOK, "cases", p)
}

func (s *Server) handleCase(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.CaseOf(r.Context(), r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	names, err := s.accountNames(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v, err := s.caseView(r, c, names)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(w, r)
	p.Data = v
	s.render(w, http.StatusOK, "case", p)
}

// handleCaseUpdate takes a case ("take") or records how the family was
// told ("told"). Only the assigned caseworker may record the telling.
func (s *Server) handleCaseUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.store.CaseOf(ctx, r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	a := me(r)
	switch r.PostFormValue("action") {
	case "take":
		if c.State == peyvand.CaseTold || (c.AssignedTo != "" && c.AssignedTo != a.ID && a.Role != peyvand.RoleAdmin) {
			s.renderStatus(w, r, http.StatusConflict, s.text(r, "error_case_taken"))
			return
		}
		c.State, c.AssignedTo = peyvand.CaseAssigned, a.ID
	case "told":
		how := strings.TrimSpace(r.PostFormValue("how"))
		if c.AssignedTo != a.ID {
			s.renderStatus(w, r, http.StatusForbidden, s.text(r, "error_not_assigned"))
			return
		}
		if how == "" {
			s.renderStatus(w, r, http.StatusBadRequest, s.text(r, "error_need_how"))
			return
		}
		c.State = peyvand.CaseTold
		c.Delivery = s.now().UTC().Format("2006-01-02 15:04 UTC") + ": " + how
	default:
		s.renderStatus(w, r, http.StatusBadRequest, s.text(r, "error_form"))
		return
	}
	if err := s.store.UpdateCase(ctx, actor(a), c); err != nil {
		if peyvand.ErrorCode(err) == peyvand.ECONFLICT { // another caseworker acted first
			s.renderStatus(w, r, http.StatusConflict, s.text(r, "error_case_taken"))
			return
		}
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/cases/"+c.InquiryID, http.StatusSeeOther)
}
