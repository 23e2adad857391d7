package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"peyvand"
	"peyvand/ingest"
)

// Actors for the audit chain: the public side has no accounts, and its
// entries say only which form a change came from.
const (
	actorFamily  = "public:inquiry"
	actorWitness = "public:report"
	actorSystem  = "system:web"
)

// WitnessSource is the source that holds reports made through the site.
const WitnessSource = "witness-reports"

// personFields are the form fields that describe a person, named as the
// import's columns so that the same rules read them.
var personFields = []string{"full_name", "given_name", "family_name", "father_name", "birth_year", "age",
	"gender", "city", "province"}

// formValues returns the named fields of a form, trimmed.
func formValues(r *http.Request, names ...string) map[string]string {
	m := map[string]string{}
	for _, n := range names {
		m[n] = strings.TrimSpace(r.PostFormValue(n))
	}
	return m
}

// emptyForm has every field a template reads (templates fail on a
// missing key, so that a typo shows in the tests).
func emptyForm(names []string) map[string]string {
	m := map[string]string{}
	for _, n := range names {
		m[n] = ""
	}
	return m
}

// readPerson reads the person described in a form with the import's
// column rules (Jalali or Gregorian years, genders in four languages…).
func readPerson(vals map[string]string, extra ...string) (ingest.Row, error) {
	if vals["full_name"] == "" && vals["given_name"] == "" && vals["family_name"] == "" {
		return ingest.Row{}, peyvand.Errorf(peyvand.EINVALID, "name")
	}
	header := append(append([]string{}, personFields...), extra...)
	cells := make([]string, len(header))
	for i, h := range header {
		cells[i] = vals[h]
	}
	cols, err := ingest.ResolveColumns(header, nil)
	if err != nil {
		return ingest.Row{}, err
	}
	row, err := cols.Convert(cells, ingest.ParseOptions{})
	if err != nil {
		return row, err
	}
	if !row.Record.HasName() {
		return row, peyvand.Errorf(peyvand.EINVALID, "name")
	}
	return row, nil
}

// fieldMessage turns a parse error into a message for the form.
func (s *Server) fieldMessage(p page, err error) string {
	var fe *ingest.FieldError
	if errors.As(err, &fe) {
		return p.T["field_"+string(fe.Field)] + ": " + fe.Reason
	}
	if peyvand.ErrorCode(err) == peyvand.EINVALID && peyvand.ErrorMessage(err) == "name" {
		return p.T["error_need_name"]
	}
	return peyvand.ErrorMessage(err)
}

var inquiryFields = append(append([]string{}, personFields...), "last_seen", "last_seen_place", "relationship", "contact")

func (s *Server) handleInquiryForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	p.Form = emptyForm(inquiryFields)
	s.render(w, http.StatusOK, "inquiry", p)
}

// handleInquiry registers a family's inquiry and shows its private code,
// once: the code is not stored and cannot be shown again.
func (s *Server) handleInquiry(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	p.Form = formValues(r, inquiryFields...)
	row, err := readPerson(p.Form)
	if err == nil && (len(p.Form["relationship"]) > 200 || len(p.Form["contact"]) > 2000 ||
		len(p.Form["last_seen"]) > 200 || len(p.Form["last_seen_place"]) > 200) {
		err = peyvand.Errorf(peyvand.EINVALID, "%s", p.T["error_too_long"])
	}
	if err != nil {
		p.Errors = []string{s.fieldMessage(p, err)}
		s.render(w, http.StatusBadRequest, "inquiry", p)
		return
	}
	rec := row.Record
	if seen := strings.TrimSpace(p.Form["last_seen"] + " " + p.Form["last_seen_place"]); seen != "" {
		rec.Notes = "last seen: " + seen
	}
	code := peyvand.NewInquiryCode()
	in, err := s.store.CreateInquiry(r.Context(), actorFamily,
		peyvand.Inquiry{Relationship: p.Form["relationship"], Contact: p.Form["contact"]}, rec, code)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.linkOne(r.Context(), in.RecordID, "inquiry")
	p.Data = code
	s.render(w, http.StatusOK, "inquiry_done", p)
}

func (s *Server) handleLookupForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "lookup", s.newPage(w, r))
}

// lookupResult is what a family sees for their code.
type lookupResult struct {
	Found      bool
	Caseworker bool // there is news a caseworker brings in person
	Status     peyvand.Status
	StatusKey  string
	Level      string
	Date       peyvand.Date
	Place      string
	Records    int // how many records the registry links to the person
}

// handleLookup answers a family's code. A wrong code gets one answer,
// whatever the reason; news of a death or execution is never shown here:
// the case goes to the caseworkers' queue instead.
func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	code, _ := peyvand.NormalizeInquiryCode(r.PostFormValue("code"))
	if code == "" {
		code = "malformed"
	}
	if !s.perCode.allow(code) {
		w.Header().Set("Retry-After", "3600")
		s.renderStatus(w, r, http.StatusTooManyRequests, s.text(r, "error_rate"))
		return
	}
	res, err := s.lookup(r.Context(), r.PostFormValue("code"))
	if err != nil && peyvand.ErrorCode(err) != peyvand.ENOTFOUND {
		s.renderError(w, r, err)
		return
	}
	p.Data = res
	s.render(w, http.StatusOK, "lookup_result", p)
}

func (s *Server) lookup(ctx context.Context, code string) (lookupResult, error) {
	var res lookupResult
	in, err := s.store.InquiryByCode(ctx, code)
	if err != nil {
		return res, err
	}
	res.Found = true
	ps, err := s.store.PersonStatus(ctx, in.RecordID)
	if err != nil {
		return res, err
	}
	res.Records = ps.Records - 1 // not the family's own inquiry
	cur, ok := ps.Current()
	if !ok {
		return res, nil
	}
	if cur.Status.Sensitive() {
		res.Caseworker = true
		if c, err := s.store.CaseOf(ctx, in.ID); err == nil && c.State == peyvand.CaseTold {
			// The family was told in person; the page may now say so
			// without details.
			return res, nil
		}
		if _, err := s.store.OpenCase(ctx, actorSystem, in.ID, cur.Status); err != nil {
			return res, err
		}
		return res, nil
	}
	res.Status, res.StatusKey, res.Level = cur.Status, "status_"+string(cur.Status), "level_"+string(cur.Verification)
	res.Date, res.Place = cur.Date, cur.Place
	return res, nil
}

var reportFields = append(append([]string{}, personFields...), "status", "event_date", "place", "how", "reporter", "reporter_contact")

func (s *Server) handleReportForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	p.Form = emptyForm(reportFields)
	s.render(w, http.StatusOK, "report", p)
}

// handleReport stores a witness's report about one person: a record of the
// witness-reports source and a status event, the witness's identity and
// testimony sealed, an attached photo stripped of its metadata.
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	p.Form = formValues(r, reportFields...)
	fail := func(msg string) {
		p.Errors = []string{msg}
		s.render(w, http.StatusBadRequest, "report", p)
	}
	row, err := readPerson(p.Form, "status", "event_date", "place")
	if err != nil {
		fail(s.fieldMessage(p, err))
		return
	}
	if len(row.Events) == 0 {
		fail(p.T["error_need_status"])
		return
	}
	if len(p.Form["how"]) > 20000 || len(p.Form["reporter"]) > 2000 || len(p.Form["reporter_contact"]) > 2000 {
		fail(p.T["error_too_long"])
		return
	}
	photo, photoType, err := readAttachment(r)
	if err != nil {
		fail(p.T["error_attachment"])
		return
	}
	rec := row.Record
	rec.ExternalID = peyvand.NewID("web")
	rec.Reporter, rec.Contact = p.Form["reporter"], p.Form["reporter_contact"]
	ev := row.Events[0]
	ev.Text, ev.Reporter, ev.Contact = p.Form["how"], p.Form["reporter"], p.Form["reporter_contact"]
	ctx := r.Context()
	if err := s.putReport(ctx, rec, ev); err != nil {
		s.renderError(w, r, err)
		return
	}
	src, err := s.store.SourceByName(ctx, WitnessSource)
	var id string
	if err == nil {
		err = s.store.WalkRecords(ctx, peyvand.RecordFilter{SourceID: src.ID, ExternalID: rec.ExternalID},
			func(x peyvand.Record) error { id = x.ID; return nil })
	}
	if err == nil && photo != nil {
		_, err = s.store.AddAttachment(ctx, actorWitness, peyvand.Attachment{RecordID: id, ContentType: photoType, Data: photo})
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.linkOne(ctx, id, "report")
	s.render(w, http.StatusOK, "report_done", p)
}

func (s *Server) putReport(ctx context.Context, rec peyvand.Record, ev peyvand.StatusEvent) error {
	tx, err := s.store.BeginImport(ctx, actorWitness, peyvand.ImportMeta{Format: "web-report"})
	if err != nil {
		return err
	}
	src, err := tx.Source(ctx, peyvand.Source{Name: WitnessSource, Kind: peyvand.SourceWitness,
		Organisation: "witnesses", Independent: true})
	if err != nil {
		tx.Rollback()
		return err
	}
	rec.SourceID = src.ID
	if _, err := tx.Put(ctx, peyvand.ImportRow{Record: rec, Events: []peyvand.StatusEvent{ev}}); err != nil {
		tx.Rollback()
		return err
	}
	_, err = tx.Commit(ctx)
	return err
}

// maxAttachment bounds a witness's photo.
const maxAttachment = 8 << 20

// readAttachment reads the optional photo of a report and returns it
// re-encoded, which drops EXIF, GPS and every other metadata block; nil
// when there is none.
func readAttachment(r *http.Request) ([]byte, string, error) {
	f, hdr, err := r.FormFile("photo")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) || (err == nil && hdr.Size == 0) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, maxAttachment+1)); err != nil || buf.Len() > maxAttachment {
		return nil, "", errors.New("attachment too large")
	}
	return stripImage(buf.Bytes())
}
