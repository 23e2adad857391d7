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

// handleHealth answers /healthz (liveness): 200 when the store answers, 503
// when it does not. The body says no more than that.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	s.answerHealth(w, r, nil)
}

// handleReady answers /readyz (readiness): like /healthz, and also 503
// while the server is not ready to take traffic (the linkage index is
// still being built), so a load balancer sends families elsewhere.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	s.answerHealth(w, r, s.ready)
}

func (s *Server) answerHealth(w http.ResponseWriter, r *http.Request, ready func() error) {
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
	if ready != nil {
		if err := ready(); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "starting\n")
			return
		}
	}
	io.WriteString(w, "ok\n")
}

// HealthHandler serves /healthz and /readyz for the operator's listener,
// beside the metrics, so probes need not go through the public site.
func (s *Server) HealthHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	return mux
}
