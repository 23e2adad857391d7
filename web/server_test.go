package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"peyvand"
	"peyvand/demo"
	"peyvand/sqlite"
	"peyvand/storetest"
)

// fakeStore answers Stats and nothing else; the embedded nil Store makes
// any other call panic, which is what a test should see.
type fakeStore struct {
	peyvand.Store
	stats peyvand.Stats
	err   error
}

func (f fakeStore) Stats(context.Context) (peyvand.Stats, error) { return f.stats, f.err }

var testSecret = []byte("0123456789abcdef0123456789abcdef")

var sampleStats = peyvand.Stats{Sources: 5, Records: 1234, Persons: 987, Events: 2345, Inquiries: 10}

func newTestServer(t *testing.T, store peyvand.Store, isDemo bool) http.Handler {
	t.Helper()
	return New(Config{Store: store, Demo: isDemo, Secret: testSecret}).Handler()
}

func do(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRoutes(t *testing.T) {
	h := newTestServer(t, fakeStore{stats: sampleStats}, false)
	tests := []struct {
		method, target string
		status         int
		ctype, body    string
	}{
		{"GET", "/", 200, "text/html", "Peyvand"},
		{"HEAD", "/", 200, "text/html", ""},
		{"GET", "/healthz", 200, "text/plain", "ok"},
		{"HEAD", "/healthz", 200, "text/plain", ""},
		{"GET", "/readyz", 200, "text/plain", "ok"},
		{"GET", "/static/style.css", 200, "text/css", "--accent"},
		{"GET", "/nope", 404, "text/html", "There is no page at this address."},
		{"GET", "/static/", 404, "text/html", "no page"},
		{"GET", "/healthz/more", 404, "text/html", "no page"},
		{"GET", "/index.html", 404, "text/html", "no page"},
		{"POST", "/", 405, "text/html", "does not answer this kind of request"},
		{"PUT", "/healthz", 405, "text/html", "does not answer"},
		{"DELETE", "/nope", 405, "text/html", "does not answer"},
		{"OPTIONS", "/", 405, "text/html", "does not answer"},
		{"POST", "/list", 405, "text/html", "does not answer"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			rec := do(h, tt.method, tt.target, nil)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("Content-Type %q, want %s", ct, tt.ctype)
			}
			if !strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("body does not contain %q:\n%s", tt.body, rec.Body)
			}
			if tt.status == 405 && rec.Header().Get("Allow") != "GET, HEAD, POST" {
				t.Errorf("Allow %q", rec.Header().Get("Allow"))
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	h := newTestServer(t, fakeStore{stats: sampleStats}, false)
	for _, tt := range []struct {
		method, target string
		html           bool
	}{
		{"GET", "/", true}, {"GET", "/nope", true}, {"POST", "/", true},
		{"GET", "/healthz", false}, {"GET", "/static/style.css", false},
	} {
		rec := do(h, tt.method, tt.target, nil)
		for k, v := range securityHeaders {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("%s %s: %s = %q, want %q", tt.method, tt.target, k, got, v)
			}
		}
		if tt.html && rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: Cache-Control %q, want no-store", tt.method, tt.target, rec.Header().Get("Cache-Control"))
		}
	}
	if got := securityHeaders["Content-Security-Policy"]; got != "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'" {
		t.Errorf("CSP %q", got)
	}
}

func TestHomeLanguages(t *testing.T) {
	h := newTestServer(t, fakeStore{stats: sampleStats}, false)
	tests := []struct {
		name, target, accept string
		want, notWant        []string
	}{
		{"default English", "/", "", []string{`<html lang="en" dir="ltr">`, "1,234", "987", "2,345", `href="/?lang=fa"`, "Family inquiries"},
			[]string{"۱", `dir="rtl"`}},
		{"Accept-Language fa", "/", "fa-IR,fa;q=0.9,en;q=0.5", []string{`<html lang="fa" dir="rtl">`, "۱٬۲۳۴", "۹۸۷", "۲٬۳۴۵", "۵", `href="/?lang=en"`, "پیوند"},
			[]string{"1,234", "987", `dir="ltr"`}},
		{"Accept-Language other", "/", "de-DE,de;q=0.9", []string{`lang="en"`}, []string{`dir="rtl"`}},
		{"English preferred over Persian", "/", "en-GB,fa;q=0.5", []string{`lang="en"`}, nil},
		{"switch to Persian", "/?lang=fa", "en", []string{`<html lang="fa" dir="rtl">`, "۱٬۲۳۴"}, nil},
		{"switch to English", "/?lang=en", "fa", []string{`<html lang="en" dir="ltr">`, "1,234"}, nil},
		{"unknown lang ignored", "/?lang=xx", "fa", []string{`lang="fa"`}, nil},
		{"Persian 404", "/nope", "fa", []string{`dir="rtl"`, "۴۰۴", "صفحه‌ای نیست"}, []string{"404"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := do(h, "GET", tt.target, map[string]string{"Accept-Language": tt.accept}).Body.String()
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(body, s) {
					t.Errorf("page has %q", s)
				}
			}
		})
	}
}

// TestPageHygiene checks what the adversary model asks of every page: no
// scripts, no inline styles, no absolute URLs, no third-party assets.
func TestPageHygiene(t *testing.T) {
	h := newTestServer(t, fakeStore{stats: sampleStats}, true)
	for _, target := range []string{"/", "/?lang=fa", "/nope"} {
		body := do(h, "GET", target, nil).Body.String()
		for _, bad := range []string{"<script", "style=", "<style", "http://", "https://", `="//`, "javascript:"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", target, bad)
			}
		}
	}
}

func TestDemoBanner(t *testing.T) {
	for _, isDemo := range []bool{true, false} {
		h := newTestServer(t, fakeStore{stats: sampleStats}, isDemo)
		for _, tt := range []struct{ target, banner string }{
			{"/?lang=en", "Demo: all data here is fictitious."},
			{"/?lang=fa", "نسخهٔ نمایشی: همهٔ داده‌های این‌جا ساختگی است."},
			{"/nope", "Demo: all data here is fictitious."},
		} {
			body := do(h, "GET", tt.target, nil).Body.String()
			if strings.Contains(body, tt.banner) != isDemo {
				t.Errorf("demo %v, %s: banner shown = %v", isDemo, tt.target, !isDemo)
			}
		}
	}
}

func TestStoreDown(t *testing.T) {
	secret := "disk I/O error at /var/lib/peyvand/secret.db"
	h := newTestServer(t, fakeStore{err: errors.New(secret)}, false)
	tests := []struct {
		target string
		status int
		body   string
	}{
		{"/healthz", 503, "unavailable"},
		{"/readyz", 503, "unavailable"},
		{"/", 500, "Something went wrong on our side"},
	}
	for _, tt := range tests {
		rec := do(h, "GET", tt.target, nil)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.body) {
			t.Errorf("%s: %d %q, want %d containing %q", tt.target, rec.Code, rec.Body, tt.status, tt.body)
		}
		if strings.Contains(rec.Body.String(), "secret.db") {
			t.Errorf("%s leaks the internal error", tt.target)
		}
	}
}

// TestWithDemoStore serves a real SQLite store loaded with the demo data.
func TestWithDemoStore(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "web.db"), storetest.TestKeys(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := demo.Load(ctx, s, demo.Generate(demo.Options{Seed: 1, Persons: 40})); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := newTestServer(t, s, true)
	if rec := do(h, "GET", "/healthz", nil); rec.Code != 200 {
		t.Errorf("healthz %d", rec.Code)
	}
	body := do(h, "GET", "/?lang=en", nil).Body.String()
	if !strings.Contains(body, "<dd>"+formatNumber("en", st.Records)+"</dd>") || !strings.Contains(body, "fictitious") {
		t.Errorf("home page does not show %d records and the demo banner:\n%s", st.Records, body)
	}
}
