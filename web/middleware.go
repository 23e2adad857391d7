package web

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"
)

// securityHeaders go on every response. The policy allows nothing but the
// site's own stylesheet and images: no scripts, no frames, no third-party
// requests a network observer could see.
var securityHeaders = map[string]string{
	"Content-Security-Policy":    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
	"X-Content-Type-Options":     "nosniff",
	"Referrer-Policy":            "no-referrer",
	"X-Frame-Options":            "DENY",
	"Cross-Origin-Opener-Policy": "same-origin",
	"Permissions-Policy":         "camera=(), microphone=(), geolocation=()",
}

func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range securityHeaders {
			h.Set(k, v)
		}
		next.ServeHTTP(w, r)
	})
}

// allowMethods answers 405 to anything but GET, HEAD and POST before any
// route sees it.
func (s *Server) allowMethods(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodPost:
			next.ServeHTTP(w, r)
		default:
			w.Header().Set("Allow", "GET, HEAD, POST")
			s.renderStatus(w, r, http.StatusMethodNotAllowed, s.text(r, "error_method"))
		}
	})
}

// statusRecorder remembers the status a handler wrote, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request: method, route pattern, status and
// duration. It never logs the client's address, the path as typed, the
// query string, the User-Agent or anything the client sent: those would
// tell whoever reads the logs (or seizes the server) who looked for whom.
// The route pattern ("GET /{$}") names the handler, not the request.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			took := time.Since(start)
			route := r.Pattern // set by the mux on this same request
			if route == "" {
				route = "none"
			}
			s.log.LogAttrs(r.Context(), level, "request",
				slog.String("method", logMethod(r.Method)),
				slog.String("route", route),
				slog.Int("status", status),
				slog.Duration("duration", took))
			s.metrics.requests.Inc(route, logMethod(r.Method), strconv.Itoa(status))
			s.metrics.latency.Observe(took.Seconds(), route)
		}()
		next.ServeHTTP(rec, r)
	})
}

// logMethod keeps arbitrary client-chosen method names out of the log.
func logMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// recoverPanics turns a panic into a 500 page. It logs the stack, which
// names code, not the panic value, which could hold what the user sent.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pw := &wroteRecorder{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic serving request", "route", r.Pattern, "stack", string(debug.Stack()))
			if pw.wrote {
				// Too late for an error page: abort, so that the client
				// sees a broken response rather than a truncated one.
				panic(http.ErrAbortHandler)
			}
			s.renderStatus(w, r, http.StatusInternalServerError, s.text(r, "error_server"))
		}()
		next.ServeHTTP(pw, r)
	})
}

// wroteRecorder remembers whether a handler started its response.
type wroteRecorder struct {
	http.ResponseWriter
	wrote bool
}

func (w *wroteRecorder) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *wroteRecorder) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *wroteRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
