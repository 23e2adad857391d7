package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// languages the site speaks, the default first.
var languages = []string{"en", "fa"}

// loadTranslations reads translations/<lang>.json for every language.
func loadTranslations() (map[string]map[string]string, error) {
	msgs := map[string]map[string]string{}
	for _, lang := range languages {
		name := path.Join("translations", lang+".json")
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		msgs[lang] = m
	}
	return msgs, nil
}

// text returns the translation of key in the request's language.
func (s *Server) text(r *http.Request, key string) string {
	return s.msgs[pickLanguage(r)][key]
}

// pickLanguage chooses the page's language: ?lang= when it names one the
// site speaks (the switch link), else the language chosen before (a
// cookie), else the best match in Accept-Language, else English.
func pickLanguage(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); supported(l) {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && supported(c.Value) {
		return c.Value
	}
	return fromAcceptLanguage(r.Header.Get("Accept-Language"))
}

const langCookie = "peyvand_lang"

// language remembers a language chosen with the switch link, so that
// forms and later pages keep it.
func (s *Server) language(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l := r.URL.Query().Get("lang"); supported(l) {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
		}
		next.ServeHTTP(w, r)
	})
}

func supported(lang string) bool {
	for _, l := range languages {
		if l == lang {
			return true
		}
	}
	return false
}

// fromAcceptLanguage returns the supported language the header ranks
// highest ("fa-IR,fa;q=0.9,en;q=0.8" → fa); ties go to the first listed.
func fromAcceptLanguage(header string) string {
	best, bestQ := languages[0], 0.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if supported(primary) && q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}

// formatNumber writes n for readers of lang: "1,234" in English, "۱٬۲۳۴"
// in Persian (Persian digits and the Arabic thousands separator).
func formatNumber(lang string, n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	if lang == "fa" {
		sep = "\u066c"
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		if lang == "fa" {
			c = '۰' + (c - '0')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
