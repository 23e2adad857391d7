package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"peyvand"
)

// pageNames are the pages; each templates/<name>.html defines "title" and
// "content" for templates/layout.html.
var pageNames = []string{"home", "error"}

func loadPages() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		// missingkey=error turns a translation key missing from a
		// language into an error page instead of a silent blank.
		t, err := template.New(name).Option("missingkey=error").
			ParseFS(files, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// page is what every template receives; pages use the fields they need.
type page struct {
	Lang, Dir string
	OtherLang string
	T         map[string]string
	Demo      bool

	Counts []count // home

	StatusText string // error
	Message    string // error
}

type count struct{ Label, Value string }

func (s *Server) newPage(r *http.Request) page {
	lang := pickLanguage(r)
	p := page{Lang: lang, Dir: "ltr", OtherLang: "fa", T: s.msgs[lang], Demo: s.demo}
	if lang == "fa" {
		p.Dir, p.OtherLang = "rtl", "en"
	}
	return p
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render page", "page", name, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintln(w, "internal error")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Language")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderStatus shows an error page with a message safe for the user.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p := s.newPage(r)
	p.StatusText, p.Message = formatNumber(p.Lang, status), msg
	s.render(w, status, "error", p)
}

// renderError shows err to the user: the application's own message for
// the user's mistakes (4xx), a generic one for ours (5xx), which are
// logged instead.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	status := httpStatus(peyvand.ErrorCode(err))
	if status >= 500 {
		s.log.Error("request failed", "route", r.Pattern, "err", err)
		s.renderStatus(w, r, status, s.text(r, "error_server"))
		return
	}
	s.renderStatus(w, r, status, peyvand.ErrorMessage(err))
}

// httpStatus maps an application error code to an HTTP status.
func httpStatus(code string) int {
	switch code {
	case peyvand.ENOTFOUND:
		return http.StatusNotFound
	case peyvand.EINVALID:
		return http.StatusBadRequest
	case peyvand.ECONFLICT:
		return http.StatusConflict
	case peyvand.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case peyvand.EFORBIDDEN:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError // EINTEGRITY, EINTERNAL and anything unknown
}
