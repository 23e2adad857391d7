package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"peyvand"
	"peyvand/persian"
)

// pageNames are the pages; each templates/<name>.html defines "title" and
// "content" for templates/layout.html.
var pageNames = []string{"home", "error", "inquiry", "inquiry_done", "lookup", "lookup_result", "report",
	"report_done", "list", "login", "staff_home", "review", "person", "cases", "case", "dashboard", "import",
	"field", "identity", "search"}

func loadPages() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		// missingkey=error turns a translation key missing from a
		// language into an error page instead of a silent blank.
		t, err := template.New(name).Option("missingkey=error").Funcs(funcs).
			ParseFS(files, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// funcs are the helpers templates use to write numbers and dates for the
// page's language.
var funcs = template.FuncMap{
	"num": formatNumber,
	"date": func(lang string, d peyvand.Date) string {
		if d.IsZero() {
			return ""
		}
		if lang == "fa" {
			return persian.FormatJalaliPersian(persian.Date{Year: d.Year, Month: d.Month, Day: d.Day})
		}
		return d.String()
	},
	"time": func(lang string, t time.Time) string {
		if t.IsZero() {
			return ""
		}
		d := t.UTC()
		if lang == "fa" {
			return persian.FormatJalaliPersian(persian.Date{Year: d.Year(), Month: int(d.Month()), Day: d.Day()}) +
				" " + persian.PersianDigits(d.Format("15:04"))
		}
		return d.Format("2006-01-02 15:04")
	},
	"pct": func(lang string, p float64) string {
		if lang == "fa" {
			return formatNumber(lang, int(p*100+0.5)) + "٪"
		}
		return formatNumber(lang, int(p*100+0.5)) + "%"
	},
	"weight": func(lang string, w float64) string {
		s := strconv.FormatFloat(w, 'f', 1, 64)
		if w > 0 {
			s = "+" + s
		}
		if lang == "fa" {
			return persian.PersianDigits(s)
		}
		return s
	},
	"list": func(xs ...string) []string { return xs },
	"t": func(m map[string]string, key string) string {
		if v, ok := m[key]; ok {
			return v
		}
		return key
	},
}

// page is what every template receives; pages use the fields they need.
type page struct {
	Lang, Dir string
	OtherLang string
	T         map[string]string
	Demo      bool
	Field     bool             // field mode: reports only
	CSRF      string           // the form token
	Staff     *peyvand.Account // the signed-in staff member, if any
	Path      string           // the request's path, for the language switch

	Counts []count // home

	StatusText string // error
	Message    string // error

	Form   map[string]string // a form's values, to show again after an error
	Errors []string          // what is wrong with the form
	Data   any               // the page's own data
}

type count struct{ Label, Value string }

func (s *Server) newPage(w http.ResponseWriter, r *http.Request) page {
	lang := pickLanguage(r)
	p := page{Lang: lang, Dir: "ltr", OtherLang: "fa", T: s.msgs[lang], Demo: s.demo, Field: s.field, Path: r.URL.Path}
	if lang == "fa" {
		p.Dir, p.OtherLang = "rtl", "en"
	}
	if w != nil {
		p.CSRF = s.csrfToken(w, r)
	}
	if a, ok := r.Context().Value(accountKey{}).(peyvand.Account); ok {
		p.Staff = &a
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
	p := s.newPage(nil, r)
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
