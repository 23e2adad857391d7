package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"peyvand"
	"peyvand/auth"
)

const sessionCookie = "peyvand_session"

// Session and lockout policy.
const (
	sessionTTL  = 8 * time.Hour
	maxFailures = 5                // consecutive failed sign-ins before a lock
	lockFor     = 15 * time.Minute // how long the lock lasts
)

type accountKey struct{}

// staff lets a request through when it carries a live session of an
// account that may act in role ("" for any role); else it sends the
// browser to sign in, or answers 403 for the wrong role.
func (s *Server) staff(role peyvand.Role, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := s.sessionAccount(r)
		if !ok {
			http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
			return
		}
		if role != "" && !a.Can(role) {
			s.renderStatus(w, r, http.StatusForbidden, s.text(r, "error_forbidden"))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), accountKey{}, a)))
		if r.Method == http.MethodPost {
			// A staff change (a verification, a publication, a merge)
			// shows on this instance's published list at once; other
			// instances rebuild theirs within publicTTL.
			s.listCache.invalidate()
		}
	})
}

func (s *Server) sessionAccount(r *http.Request) (peyvand.Account, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) < 40 || len(c.Value) > 64 {
		return peyvand.Account{}, false
	}
	ss, err := s.store.SessionByHash(r.Context(), s.mac("session", c.Value))
	if err != nil {
		return peyvand.Account{}, false
	}
	a, err := s.store.AccountByID(r.Context(), ss.AccountID)
	if err != nil || a.Disabled {
		return peyvand.Account{}, false
	}
	return a, true
}

// me is the signed-in account of a staff request.
func me(r *http.Request) peyvand.Account {
	a, _ := r.Context().Value(accountKey{}).(peyvand.Account)
	return a
}

// actor names the account in the audit chain.
func actor(a peyvand.Account) string { return "staff:" + a.Username }

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "login", s.newPage(w, r))
}

// handleLogin checks username, password and one-time code. Every failure
// gets the same answer, an unknown username costs the same time as a
// known one, failures are counted per client and per account, and an
// account locks after maxFailures in a row.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	fail := func() {
		p.Errors = []string{p.T["login_failed"]}
		s.render(w, http.StatusUnauthorized, "login", p)
	}
	if !s.logins.allow(s.clientKey(r)) {
		w.Header().Set("Retry-After", "900")
		s.renderStatus(w, r, http.StatusTooManyRequests, s.text(r, "error_rate"))
		return
	}
	ctx := r.Context()
	username := strings.TrimSpace(r.PostFormValue("username"))
	password, code := r.PostFormValue("password"), r.PostFormValue("code")
	a, err := s.store.AccountByName(ctx, username)
	if err != nil {
		auth.DummyCheck(password)
		fail()
		return
	}
	now := s.now().UTC()
	if a.Disabled || now.Before(a.LockedUntil) {
		auth.DummyCheck(password)
		fail()
		return
	}
	perr := auth.CheckPassword(a.PasswordHash, password)
	step, terr := auth.CheckTOTP(a.TOTPSecret, code, now)
	if perr == nil && terr == nil {
		// A code is good once: one read over a shoulder or replayed
		// from a captured request is refused.
		terr = s.store.UseTOTPStep(ctx, a.ID, step)
	}
	if perr != nil || terr != nil {
		a.FailedLogins++
		if a.FailedLogins >= maxFailures {
			a.LockedUntil, a.FailedLogins = now.Add(lockFor), 0
		}
		if err := s.store.UpdateAccount(ctx, "login:failed", a); err != nil {
			s.log.Error("record failed sign-in", "err", err)
		}
		fail()
		return
	}
	if a.FailedLogins != 0 || !a.LockedUntil.IsZero() {
		a.FailedLogins, a.LockedUntil = 0, time.Time{}
		if err := s.store.UpdateAccount(ctx, actor(a), a); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	token := auth.NewToken()
	if err := s.store.CreateSession(ctx, peyvand.Session{TokenHash: s.mac("session", token), AccountID: a.ID,
		CreatedAt: now, ExpiresAt: now.Add(sessionTTL)}); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL / time.Second)})
	http.Redirect(w, r, "/staff", http.StatusSeeOther)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.store.DeleteSession(r.Context(), s.mac("session", c.Value))
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) handleStaffHome(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	st, err := s.store.Stats(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p.Data = st
	s.render(w, http.StatusOK, "staff_home", p)
}

// mayUnseal reports whether a staff member may read the sealed fields
// (contacts, witnesses, testimony) of a record from source src: only staff
// of the organisation that holds the source, and admins.
func mayUnseal(a peyvand.Account, src peyvand.Source) bool {
	return a.Role == peyvand.RoleAdmin || (a.Organisation != "" && a.Organisation == src.Organisation)
}
