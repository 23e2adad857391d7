package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"peyvand"
)

// TestLogPrivacy checks that the request log holds the route and the
// outcome but nothing that identifies the client or what they asked for.
func TestLogPrivacy(t *testing.T) {
	var buf bytes.Buffer
	h := New(Config{Store: fakeStore{stats: sampleStats}, Secret: testSecret,
		Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}).Handler()
	for _, tt := range []struct{ method, target string }{
		{"GET", "/?q=secret-name&lang=fa"},
		{"GET", "/person/Hosseini?code=7K3M-Q9XD"},
		{"POST", "/inquiry?contact=%2B49151"},
		{"BREW", "/healthz?token=abc"},
	} {
		req := httptest.NewRequest(tt.method, tt.target, strings.NewReader("contact=+49151000"))
		req.RemoteAddr = "203.0.113.7:4242"
		req.Header.Set("User-Agent", "Agent-Smith/1.0")
		req.Header.Set("X-Forwarded-For", "198.51.100.23")
		req.Header.Set("Accept-Language", "fa")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	log := buf.String()
	for _, want := range []string{`route="GET /{$}"`, `route="GET /"`, "status=404", "status=405", "method=OTHER", "duration="} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	for _, bad := range []string{"203.0.113", "198.51.100", "secret-name", "lang=fa", "Hosseini", "7K3M",
		"+49", "%2B49", "token", "Agent-Smith", "BREW", "/person", "?"} {
		if strings.Contains(log, bad) {
			t.Errorf("log contains %q:\n%s", bad, log)
		}
	}
}

func TestRecoverPanics(t *testing.T) {
	var buf bytes.Buffer
	s := New(Config{Store: fakeStore{}, Secret: testSecret, Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	h := s.logRequests(secureHeaders(s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("value holding secret-name")
	}))))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "Something went wrong") {
		t.Errorf("got %d %q", rec.Code, rec.Body)
	}
	if rec.Header().Get("X-Frame-Options") != "DENY" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("500 page headers: %v", rec.Header())
	}
	if log := buf.String(); !strings.Contains(log, "panic") || !strings.Contains(log, "status=500") ||
		strings.Contains(log, "secret-name") {
		t.Errorf("log:\n%s", log)
	}
}

func TestRenderError(t *testing.T) {
	s := New(Config{Store: fakeStore{}, Secret: testSecret})
	tests := []struct {
		err    error
		status int
		show   string
		hide   string
	}{
		{peyvand.Errorf(peyvand.ENOTFOUND, "no inquiry has this code"), 404, "no inquiry has this code", ""},
		{peyvand.Errorf(peyvand.EINVALID, "birth_year: 3000 is not plausible"), 400, "birth_year: 3000", ""},
		{peyvand.Errorf(peyvand.ECONFLICT, "record twice"), 409, "record twice", ""},
		{peyvand.Errorf(peyvand.EINTEGRITY, "audit entry 12 altered"), 500, "Something went wrong", "audit entry"},
		{peyvand.Errorf(peyvand.EINTERNAL, "pool exhausted"), 500, "Something went wrong", "pool"},
		{bytes.ErrTooLarge, 500, "Something went wrong", "too large"},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		s.renderError(rec, httptest.NewRequest("GET", "/", nil), tt.err)
		body := rec.Body.String()
		if rec.Code != tt.status || !strings.Contains(body, tt.show) || (tt.hide != "" && strings.Contains(body, tt.hide)) {
			t.Errorf("%v: %d, body %q", tt.err, rec.Code, body)
		}
	}
}

func TestHTTPStatus(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{peyvand.ENOTFOUND, 404},
		{peyvand.EINVALID, 400},
		{peyvand.ECONFLICT, 409},
		{peyvand.EUNAUTHORIZED, 401},
		{peyvand.EFORBIDDEN, 403},
		{peyvand.EINTEGRITY, 500},
		{peyvand.EINTERNAL, 500},
		{"", 500},
		{"something new", 500},
	}
	for _, tt := range tests {
		if got := httpStatus(tt.code); got != tt.want {
			t.Errorf("httpStatus(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}
