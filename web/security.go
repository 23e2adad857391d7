package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"sync"
	"time"
)

// Request body limits: forms are small; a witness may attach a photo; an
// organisation's list may be large.
const (
	formLimit   = 64 << 10
	uploadLimit = 12 << 20
	importLimit = 64 << 20
)

// mac is the server's keyed hash, for tokens and client keys.
func (s *Server) mac(purpose, value string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

const csrfCookie = "peyvand_csrf"

// csrfToken returns the form token for this client, setting the cookie it
// is bound to when the client has none. A forged cross-site form cannot
// know the token: it is a MAC of a cookie the attacker cannot read.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 22 {
		return s.mac("csrf", c.Value)
	}
	b := make([]byte, 18)
	rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteStrictMode})
	// The request the page is rendered for carries it too, so that the
	// token on this page matches what the next request will send.
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: v})
	return s.mac("csrf", v)
}

var crossOrigin = http.NewCrossOriginProtection()

// form guards a state-changing request: a bounded body, refused when the
// browser says it comes from another site, and a valid form token.
func (s *Server) form(limit int64, next http.HandlerFunc) http.HandlerFunc {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := crossOrigin.Check(r); err != nil {
			s.renderStatus(w, r, http.StatusForbidden, s.text(r, "error_csrf"))
			return
		}
		var err error
		if ct := r.Header.Get("Content-Type"); len(ct) >= 19 && ct[:19] == "multipart/form-data" {
			err = r.ParseMultipartForm(1 << 20)
		} else {
			err = r.ParseForm()
		}
		if err != nil {
			status := http.StatusBadRequest
			if _, ok := err.(*http.MaxBytesError); ok {
				status = http.StatusRequestEntityTooLarge
			}
			s.renderStatus(w, r, status, s.text(r, "error_form"))
			return
		}
		c, cerr := r.Cookie(csrfCookie)
		if cerr != nil || !hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(s.mac("csrf", c.Value))) {
			s.renderStatus(w, r, http.StatusForbidden, s.text(r, "error_csrf"))
			return
		}
		next(w, r)
	})
}

// clientKey identifies a client for rate limiting only: a keyed hash of
// its address, kept in memory and never logged.
func (s *Server) clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return s.mac("client", host)[:16]
}

// public rate-limits a public submission per client and in total.
func (s *Server) public(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.global.allow("all") || !s.perClient.allow(s.clientKey(r)) {
			w.Header().Set("Retry-After", "60")
			s.renderStatus(w, r, http.StatusTooManyRequests, s.text(r, "error_rate"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limiter counts events per key in fixed windows. It forgets a key's
// count when its window ends, and bounds the number of keys it holds so
// that a flood of distinct keys cannot exhaust memory (it then refuses
// new keys until the window turns, which fails closed).
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	start  time.Time
	counts map[string]int
}

const maxLimiterKeys = 100_000

func newLimiter(max int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{max: max, window: window, now: now, counts: map[string]int{}}
}

// allow counts one event for key and reports whether it is within the
// limit.
func (l *limiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now := l.now(); now.Sub(l.start) >= l.window {
		l.start, l.counts = now, map[string]int{}
	}
	n, ok := l.counts[key]
	if !ok && len(l.counts) >= maxLimiterKeys {
		return false
	}
	if n >= l.max {
		return false
	}
	l.counts[key] = n + 1
	return true
}
