package web

import (
	"context"
	"io"
	"net/http"
	"time"
)

// healthTimeout bounds a health check, so that a stuck database makes the
// check fail rather than hang the prober.
const healthTimeout = 2 * time.Second

// handleHealth answers /healthz and /readyz: 200 when the store answers,
// 503 when it does not. The body says no more than that.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if _, err := s.store.Stats(ctx); err != nil {
		s.log.Warn("health check: store unavailable", "route", r.Pattern, "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "unavailable\n")
		return
	}
	io.WriteString(w, "ok\n")
}
