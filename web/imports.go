package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"peyvand"
	"peyvand/export"
	"peyvand/ingest"
)

type importResult struct {
	Done    bool
	Result  ingest.Result
	Errors  []string // one per rejected line
	Message string
}

func (s *Server) handleImportForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	p.Data = importResult{}
	s.render(w, http.StatusOK, "import", p)
}

// handleImport imports an uploaded list through the same path as the
// command line: one transaction, every bad line named. With "skip" the good
// rows land and each bad one is listed; without, nothing lands.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	res := importResult{}
	show := func(status int) {
		p.Data = res
		s.render(w, status, "import", p)
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		res.Message = p.T["error_form"]
		show(http.StatusBadRequest)
		return
	}
	defer f.Close()
	// The importer reads a file by name (its extension says CSV, XLSX or
	// PFIF); the upload goes to a private temporary directory and is
	// removed at once.
	dir, err := os.MkdirTemp("", "peyvand-upload-")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	defer os.RemoveAll(dir)
	name := filepath.Base(strings.ReplaceAll(hdr.Filename, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "upload.csv"
	}
	path := filepath.Join(dir, name)
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err == nil {
		_, err = io.Copy(out, f)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	kind := peyvand.SourceKind(r.PostFormValue("kind"))
	if kind == "" {
		kind = peyvand.SourceList
	}
	var rejects bytes.Buffer
	opt := ingest.Options{Actor: actor(me(r)), Source: strings.TrimSpace(r.PostFormValue("source")), Kind: kind,
		Organisation: me(r).Organisation, Independent: r.PostFormValue("independent") == "1",
		SkipInvalid: r.PostFormValue("skip") == "1", Rejects: &rejects}
	res.Result, err = ingest.File(r.Context(), s.store, path, opt)
	if err != nil {
		var re *ingest.RowError
		if errors.As(err, &re) || peyvand.ErrorCode(err) == peyvand.EINVALID {
			res.Message = err.Error()
			show(http.StatusBadRequest)
			return
		}
		s.renderError(w, r, err)
		return
	}
	for _, line := range strings.Split(strings.TrimSpace(rejects.String()), "\n") {
		if line != "" && len(res.Errors) < 1000 {
			res.Errors = append(res.Errors, line)
		}
	}
	res.Done = true
	for outcome, n := range map[string]int{"created": res.Result.Created, "updated": res.Result.Updated,
		"unchanged": res.Result.Unchanged, "rejected": res.Result.Rejected} {
		s.metrics.importRows.Add(float64(n), outcome)
	}
	if res.Result.Created+res.Result.Updated > 0 {
		s.linkAll(r.Context())
	}
	show(http.StatusOK)
}

// handleExport downloads the registry as CSV with HXL tags, without
// sealed fields.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="peyvand-export.csv"`)
	if err := export.CSV(r.Context(), s.store, w, export.Options{HXL: true}); err != nil {
		s.log.Error("export", "err", err)
	}
}
